"""Forms of the office's mentor admin (Wagtail)."""

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.forms import WagtailAdminModelForm

from core import roles
from core.models import User
from core.phone import normalise_phone

from . import invitations
from .models import MentorProfile

PROFILE_FIELDS = ["bio", "expertise", "skills", "townships", "capacity", "is_active", "wechat", "contact_note"]
# Inviting fills the profile but never activates it (accepting does).
INVITATION_PROFILE_FIELDS = [name for name in PROFILE_FIELDS if name != "is_active"]


class MentorProfileForm(WagtailAdminModelForm):
    class Meta:
        model = MentorProfile
        fields = PROFILE_FIELDS
        widgets = {
            "expertise": forms.CheckboxSelectMultiple,
            "skills": forms.CheckboxSelectMultiple,
            "townships": forms.CheckboxSelectMultiple,
        }

    def clean(self):
        data = super().clean()
        # Only accepting the invitation makes a mentor: the office cannot switch the profile on first.
        person = self.instance.user if self.instance.pk else None
        if data.get("is_active") and person is not None and not roles.is_mentor(person):
            self.add_error("is_active", invitations.NOT_ACCEPTED_YET)
        return data


class MentorCreateForm(MentorProfileForm):
    """An invitation to be a mentor: the person (found by email or phone, or created) and their profile.

    The profile stays inactive until the person accepts. An existing person is invited at their
    own email or phone; a new one gets an account without a password and a link that sets it.
    """

    real_name = forms.CharField(label=_("Real name"), max_length=60)
    email = forms.EmailField(label=_("Email"), required=False)
    phone = forms.CharField(label=_("Mobile phone"), max_length=20, required=False)

    class Meta(MentorProfileForm.Meta):
        fields = INVITATION_PROFILE_FIELDS

    field_order = ["real_name", "email", "phone", *INVITATION_PROFILE_FIELDS]

    def clean_phone(self):
        value = self.cleaned_data.get("phone", "").strip()
        return normalise_phone(value) if value else ""

    def clean(self):
        data = super().clean()
        email, phone = data.get("email", ""), data.get("phone", "")
        if "phone" in data and not email and not phone:
            raise ValidationError(invitations.CONTACT_REQUIRED)
        invitations.check_invitable(invitations.find_person(email=email, phone=phone))
        return data


class MentorChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return _("%(name)s (%(load)s of %(capacity)s)") % {
            "name": obj.display_name,
            "load": obj.load,
            "capacity": obj.mentor_profile.capacity,
        }


class AssignForm(forms.Form):
    mentor = MentorChoiceField(label=_("Mentor"), queryset=User.objects.none())
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
    allow_over_capacity = forms.BooleanField(
        label=_("Assign even if the mentor is full"),
        required=False,
    )

    def __init__(self, *args, trainee=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = (
            User.objects.filter(mentor_profile__is_active=True)
            .select_related("mentor_profile")
            .annotate(load=Count("mentee_assignments", filter=Q(mentee_assignments__ended_at__isnull=True)))
            .order_by("real_name", "pk")
        )
        if trainee is not None:
            qs = qs.exclude(pk=trainee.pk)
        self.fields["mentor"].queryset = qs


class EndAssignmentForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)
