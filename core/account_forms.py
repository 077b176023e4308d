"""allauth forms we extend. Kept apart from core.forms, which allauth itself imports (the
sign-up form class), to avoid a circular import."""

from allauth.account import forms as allauth_forms

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
        remember = self.fields.get("remember")  # offered while ACCOUNT_SESSION_REMEMBER is None
        if remember is not None:
            remember.label = _("Keep me signed in on this phone")
            remember.help_text = _(
                "Leave this unticked on a phone other people use too: you are signed out when the browser closes."
            )
