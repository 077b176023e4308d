"""allauth forms we extend. Kept apart from core.forms, which allauth itself imports (the
sign-up form class), to avoid a circular import."""

from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms
from allauth.mfa.totp import forms as totp_forms

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


def _limit_unknown(value: str, error: ValidationError) -> None:
    """Answer "no such account" only within the `account_lookup` limit, then "too many attempts".

    Sign-up tells villagers plainly that a phone is already registered (enumeration prevention
    is off for clarity), so the forms that answer "no such account" are rate limited per visitor
    and per value; look-ups of real accounts are limited by allauth's own limits.
    """
    from allauth.account.adapter import get_adapter
    from allauth.core import context, ratelimit

    if not ratelimit.consume(context.request, action="account_lookup", key=(value or "").lower()):
        raise get_adapter().validation_error("too_many_login_attempts") from error
    raise error


class ResetPasswordForm(allauth_forms.ResetPasswordForm):
    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as error:
            _limit_unknown(self.data.get("email", "").strip(), error)


class RequestLoginCodeForm(allauth_forms.RequestLoginCodeForm):
    def clean_phone(self) -> str:
        try:
            return super().clean_phone()
        except ValidationError as error:
            _limit_unknown(self.cleaned_data.get("phone") or "", error)

    def clean_email(self) -> str:
        try:
            return super().clean_email()
        except ValidationError as error:
            _limit_unknown(self.cleaned_data.get("email") or "", error)


class LoginForm(allauth_forms.LoginForm):
    """Many villagers share one phone: staying signed in is a choice, unticked, that says so."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        login = self.fields.get("login")
        if (
            login is not None
        ):  # allauth's label is "Login" (登录, like the button) and its placeholder English-flavoured
            login.label = _("Mobile phone or email")
            login.widget.attrs.pop("placeholder", None)
        remember = self.fields.get("remember")  # offered while ACCOUNT_SESSION_REMEMBER is None
        if remember is not None:
            remember.label = _("Keep me signed in on this phone")
            remember.help_text = _(
                "Leave this unticked on a phone other people use too: you are signed out when the browser closes."
            )


def signup_initial(request) -> dict:
    """What the sign-up form can fill in already: each higher app that has asked the visitor for a
    name or phone (an application typed before signing up) offers it through the
    `register_signup_initial` hook, a function taking the request and returning field values."""
    from wagtail import hooks

    initial = {}
    if request is None:
        return initial
    for fn in hooks.get_hooks("register_signup_initial"):
        for name, value in (fn(request) or {}).items():
            if value and name not in initial:
                initial[name] = value
    return initial


class SignupForm(allauth_forms.SignupForm):
    """allauth's sign-up form (with core.forms.SignupExtraForm's real name), worded for villagers and
    filled with what the person already typed into an application."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        email = self.fields.get("email")
        if email is not None:
            email.label = _("Email (optional)")
            email.widget.attrs.pop("placeholder", None)
        if not self.is_bound:
            from allauth.core import context

            for name, value in signup_initial(context.request).items():
                if name in self.fields:
                    self.initial.setdefault(name, value)


VERIFICATION_CODE = _("Verification code")


class VerificationCodeMixin:
    """The code field of allauth's code forms is labelled "Code", which the merged catalogues turn
    into 编号 (a certificate's number): it is a 验证码, typed from an SMS or an authenticator app."""

    numeric = True

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        code = self.fields["code"]
        code.label = VERIFICATION_CODE
        code.widget.attrs.pop("placeholder", None)
        code.widget.attrs["autocomplete"] = "one-time-code"
        if self.numeric:
            code.widget.attrs["inputmode"] = "numeric"


class VerifyPhoneForm(VerificationCodeMixin, allauth_forms.VerifyPhoneForm):
    pass


class ConfirmLoginCodeForm(VerificationCodeMixin, allauth_forms.ConfirmLoginCodeForm):
    pass


class ConfirmEmailVerificationCodeForm(VerificationCodeMixin, allauth_forms.ConfirmEmailVerificationCodeForm):
    pass


class AuthenticateForm(VerificationCodeMixin, mfa_forms.AuthenticateForm):
    numeric = False  # a recovery code has letters too


class ReauthenticateForm(VerificationCodeMixin, mfa_forms.ReauthenticateForm):
    numeric = False


class ActivateTOTPForm(VerificationCodeMixin, totp_forms.ActivateTOTPForm):
    pass
