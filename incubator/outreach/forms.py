from django import forms
from django.utils.translation import gettext_lazy as _

from core.adapters import PhoneNumberField
from core.models import ProductCategory, Township, User, Village
from incubator.outreach.models import Attendance, GroupMessage
from incubator.outreach.selectors import group_messages as audiences
from incubator.recruitment.models import Application, Cohort
from mentors.risks import reason_choices

CHOOSE_COHORT = _("Choose the cohort.")
CHOOSE_TOWNSHIP = _("Choose the township.")
CHOOSE_CAMPAIGN = _("Choose the campaign.")


def _mentors():
    return User.objects.filter(mentor_profile__isnull=False).order_by("real_name", "pk")


class SupervisionFilterForm(forms.Form):
    township = forms.ModelChoiceField(Township.objects.order_by("code"), required=False, label=_("Township"))
    cohort = forms.ModelChoiceField(Cohort.objects.order_by("-starts_on", "name"), required=False, label=_("Cohort"))
    mentor = forms.ModelChoiceField(User.objects.none(), required=False, label=_("Mentor"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["mentor"].queryset = _mentors()
        self.fields["mentor"].label_from_instance = lambda user: user.display_name

    def value(self, name):
        return self.cleaned_data.get(name) if self.is_valid() else None


class AtRiskFilterForm(SupervisionFilterForm):
    reason = forms.ChoiceField(required=False, label=_("Reason"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Any reason")), *reason_choices()]


class ContactsFilterForm(SupervisionFilterForm):
    days = forms.IntegerField(min_value=1, max_value=365, required=False, label=_("Not contacted for (days)"))


class ProfileCorrectionForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    phone = PhoneNumberField(required=False)
    village = forms.ModelChoiceField(
        Village.objects.select_related("township"), required=False, label=_("Home village")
    )
    products = forms.ModelMultipleChoiceField(
        ProductCategory.objects.all(), required=False, widget=forms.CheckboxSelectMultiple, label=_("Products")
    )
    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        help_text=_("Kept in the history, which the person sees on their profile page."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, person, **kwargs):
        kwargs.setdefault(
            "initial",
            {
                "real_name": person.real_name,
                "phone": person.phone or "",
                "village": person.village_id,
                "products": list(person.products.values_list("pk", flat=True)),
            },
        )
        super().__init__(*args, **kwargs)
        self.fields["village"].label_from_instance = lambda village: village.full_name


class GroupMessageForm(forms.Form):
    audience = forms.ChoiceField(label=_("Send to"), widget=forms.RadioSelect)
    cohort = forms.ModelChoiceField(Cohort.objects.none(), required=False, label=_("Cohort"))
    township = forms.ModelChoiceField(Township.objects.none(), required=False, label=_("Township"))
    campaign = forms.ModelChoiceField(Cohort.objects.none(), required=False, label=_("Campaign"))
    application_status = forms.ChoiceField(required=False, label=_("Applicants whose application is"))
    title = forms.CharField(label=_("Title"), max_length=100)
    text = forms.CharField(
        label=_("Message"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Sent in the app, and by email or SMS to each person: keep it short."),
    )

    def __init__(self, *args, sender, **kwargs):
        super().__init__(*args, **kwargs)
        self.sender = sender
        choices = list(GroupMessage.Audience.choices)
        self.fields["cohort"].queryset = audiences.cohort_choices(sender=sender)
        self.fields["township"].queryset = audiences.township_choices(sender=sender)
        campaigns = audiences.campaign_choices(sender=sender)
        self.fields["campaign"].queryset = campaigns
        if not campaigns.exists():
            choices = [c for c in choices if c[0] != GroupMessage.Audience.CAMPAIGN]
            del self.fields["campaign"], self.fields["application_status"]
        else:
            self.fields["application_status"].choices = [("", _("any status")), *Application.Status.choices]
        self.fields["audience"].choices = choices

    def clean(self):
        cleaned = super().clean()
        needed = {
            GroupMessage.Audience.COHORT: ("cohort", CHOOSE_COHORT),
            GroupMessage.Audience.TOWNSHIP: ("township", CHOOSE_TOWNSHIP),
            GroupMessage.Audience.CAMPAIGN: ("campaign", CHOOSE_CAMPAIGN),
        }.get(cleaned.get("audience"))
        if needed and not cleaned.get(needed[0]):
            self.add_error(needed[0], needed[1])
        return cleaned


class AttendanceForm(forms.Form):
    """One choice per trainee on the roster (present, absent, excused), radio buttons a thumb can hit."""

    def __init__(self, *args, roster, **kwargs):
        super().__init__(*args, **kwargs)
        self.roster = roster
        for person, status in roster:
            self.fields[f"t{person.pk}"] = forms.ChoiceField(
                label=person.display_name,
                choices=Attendance.Status.choices,
                required=False,
                initial=status or None,
                widget=forms.RadioSelect(attrs={"class": "attendance-choice"}),
            )

    def statuses(self) -> dict[int, str]:
        return {
            person.pk: self.cleaned_data[f"t{person.pk}"]
            for person, _status in self.roster
            if self.cleaned_data.get(f"t{person.pk}")
        }
