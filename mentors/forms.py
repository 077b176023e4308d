from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import CheckIn


class CheckInForm(forms.ModelForm):
    class Meta:
        model = CheckIn
        fields = ["date", "channel", "notes", "next_steps"]
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "channel": forms.RadioSelect,
            "notes": forms.Textarea(attrs={"rows": 4}),
            "next_steps": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "notes": _("What you talked about, what you saw, how the trainee is doing."),
            "next_steps": _("What the trainee (or you) will do before the next check-in."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate
        self.fields["date"].widget.attrs["max"] = timezone.localdate().isoformat()


class ReviewForm(forms.Form):
    APPROVE = "approve"
    CHANGES = "changes"

    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=[(APPROVE, _("Approve")), (CHANGES, _("Ask for changes"))],
        widget=forms.RadioSelect,
    )
    feedback = forms.CharField(
        label=_("Feedback for the trainee"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Required when asking for changes: say what to change and how."),
    )

    @property
    def approve(self) -> bool:
        return self.cleaned_data["decision"] == self.APPROVE


class RecommendationForm(forms.Form):
    note = forms.CharField(
        label=_("Why is the trainee ready?"),
        required=False,  # the service says what is missing, in its own words
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("The county office reads this when it decides on graduation."),
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=300)
