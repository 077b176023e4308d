"""allauth forms we extend. Kept apart from core.forms, which allauth itself imports (the
sign-up form class), to avoid a circular import."""

from allauth.account import forms as allauth_forms

from django.core.exceptions import ValidationError


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
