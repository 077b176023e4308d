from django import forms
from django.utils.translation import gettext_lazy as _

from core.models import User

NEED_PHONE_OR_EMAIL = _("Enter a mobile phone number or an email address (or both).")


class SignupExtraForm(forms.Form):
    """Fields allauth's sign-up form adds from us: the real name, and 'a phone or an email'."""

    real_name = forms.CharField(
        label=_("Real name"),
        max_length=60,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
        help_text=_("As on your ID card; it is printed on your certificate."),
    )
    field_order = ["real_name", "phone", "email", "password1", "password2"]

    def clean(self):
        cleaned = super().clean()
        no_field_errors = not self.errors.get("phone") and not self.errors.get("email")
        if no_field_errors and not cleaned.get("phone") and not cleaned.get("email"):
            raise forms.ValidationError(NEED_PHONE_OR_EMAIL, code="phone_or_email")
        return cleaned

    def signup(self, request, user):
        user.real_name = self.cleaned_data["real_name"]
        user.save(update_fields=["real_name"])


class ProfileForm(forms.ModelForm):
    class Meta:
        model = User
        fields = ["real_name", "preferred_language", "village", "products"]
        widgets = {"products": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["village"].queryset = self.fields["village"].queryset.select_related("township")
        self.fields["village"].label_from_instance = lambda village: village.full_name
