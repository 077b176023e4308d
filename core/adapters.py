"""allauth customised through its adapter: phone numbers on core.User, SMS via our sender."""

from allauth.account.adapter import DefaultAccountAdapter

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy

from core.links import absolute_url
from core.phone import normalise_phone
from core.sms import SMSError, send_sms

SMS_NOT_SENT = gettext_lazy(
    "The text message could not be sent to this number just now. Please try again later, or use your email."
)


class PhoneNumberField(forms.CharField):
    """A mobile number typed the local way (13800138000) or in E.164; cleaned to E.164."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label", gettext_lazy("Mobile phone"))
        kwargs.setdefault(
            "widget",
            forms.TextInput(
                attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel", "placeholder": "13800138000"}
            ),
        )
        kwargs.setdefault("max_length", 20)
        super().__init__(*args, **kwargs)

    def clean(self, value):
        value = super().clean(value)
        return normalise_phone(value) if value else value


def user_display(user) -> str:
    """ACCOUNT_USER_DISPLAY: how allauth names a person ("Successfully signed in as ..."): the real
    name, else the phone or email, never the generated username (core.models.User.get_full_name)."""
    return user.get_full_name()


class AccountAdapter(DefaultAccountAdapter):
    # allauth's Chinese catalogue lacks the phone messages; ours are translated in core's catalogue.
    error_messages = {
        **DefaultAccountAdapter.error_messages,
        "phone_taken": gettext_lazy("This mobile phone number is already registered. Sign in, or reset your password."),
        "phone_password_mismatch": gettext_lazy("The mobile phone number or password is not correct."),
        "email_password_mismatch": gettext_lazy("The email address or password is not correct."),
        "unknown_phone": gettext_lazy("No account uses this mobile phone number."),
    }

    def send_mail(self, template_prefix, email, context):
        # allauth builds its links (confirm an email, reset a password, sign up) from the
        # request's host, which behind the proxy may be an internal name: every link in an
        # email carries SITE_URL instead (core.links).
        context = {
            key: absolute_url(value, ours=True) if key.endswith("_url") and isinstance(value, str) else value
            for key, value in context.items()
        }
        return super().send_mail(template_prefix, email, context)

    def phone_form_field(self, **kwargs):
        # allauth labels it "Phone" (电话号码): villagers sign up with a mobile, and it is named so everywhere.
        kwargs.pop("label", None)
        return PhoneNumberField(**kwargs)

    def clean_phone(self, phone: str) -> str:
        return normalise_phone(phone)

    def send_verification_code_sms(self, user, phone: str, code: str, **kwargs) -> None:
        self._send_sms(phone, "verification_code", code=code)

    def send_unknown_account_sms(self, phone: str, **kwargs) -> None:
        self._send_sms(phone, "unknown_account")

    def _send_sms(self, phone: str, key: str, **params) -> None:
        # A refused or limited message must not break the page: say so, and let the person try later.
        try:
            send_sms(phone, key, **params)
        except SMSError:
            if self.request is not None:
                messages.error(self.request, SMS_NOT_SENT)

    def set_phone(self, user, phone: str, verified: bool) -> None:
        user.phone = phone
        user.phone_verified = verified
        if user.pk:  # during sign-up the user is saved by save_user afterwards
            user.save(update_fields=["phone", "phone_verified"])

    def get_phone(self, user):
        if not user.phone:
            return None
        return user.phone, user.phone_verified

    def set_phone_verified(self, user, phone: str) -> None:
        if user.phone == phone:
            user.phone_verified = True
            user.save(update_fields=["phone_verified"])

    def get_user_by_phone(self, phone: str):
        from core.models import User

        try:
            phone = normalise_phone(phone)
        except ValidationError:
            return None
        return User.objects.filter(phone=phone).order_by("pk").first()

    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        language = getattr(request, "LANGUAGE_CODE", None)
        if language:
            user.preferred_language = language
        if commit:
            user.save()
        return user
