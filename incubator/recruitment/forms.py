"""The application form: the facts the office needs, then the campaign's own questions."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from wagtail.contrib.forms.forms import FormBuilder

from core.models import ProductCategory, Village
from core.phone import normalise_phone
from core.widgets import QuickSelect
from incubator.recruitment.models import RUBRIC, RUBRIC_MAX, Application, Cohort
from incubator.recruitment.services.applying import NOT_ELIGIBLE, ApplicantFacts, is_village_eligible

QUESTION_PREFIX = "q_"


class VillageChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return obj.full_name


class ApplicationForm(forms.Form):
    real_name = forms.CharField(label=_("Real name"), max_length=60)
    phone = forms.CharField(
        label=_("Mobile phone"),
        max_length=20,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        help_text=_("Only the county e-commerce office sees your phone number."),
    )
    village = VillageChoiceField(
        label=_("Your village"), queryset=Village.objects.none(), empty_label=_("Choose your village")
    )
    products = forms.ModelMultipleChoiceField(
        label=_("Products you grow or make"),
        queryset=ProductCategory.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    products_note = forms.CharField(label=_("Other products, or how much you produce"), max_length=200, required=False)
    online_experience = forms.ChoiceField(
        label=_("Experience selling online"), choices=Application.Experience.choices, widget=forms.RadioSelect
    )
    has_smartphone = forms.BooleanField(
        label=_("I have a smartphone I can use every day"), required=False, initial=True
    )
    poor_household = forms.BooleanField(
        label=_("My household is a registered poor household"),
        required=False,
        help_text=_("Only the county e-commerce office sees this; it never appears on public pages."),
    )

    def __init__(self, *args, campaign, **kwargs):
        super().__init__(*args, **kwargs)
        self.campaign = campaign
        self.fields["village"].queryset = Village.objects.select_related("township")
        self.questions = list(campaign.questions.all())
        for name, field in FormBuilder(self.questions).formfields.items():
            self.fields[QUESTION_PREFIX + name] = field

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean_village(self):
        village = self.cleaned_data["village"]
        if not is_village_eligible(campaign=self.campaign, village=village):
            raise ValidationError(NOT_ELIGIBLE, code="not_eligible")
        return village

    def question_fields(self):
        return [self[name] for name in self.fields if name.startswith(QUESTION_PREFIX)]

    def profile_fields(self):
        return [self[name] for name in self.fields if not name.startswith(QUESTION_PREFIX)]

    def facts(self) -> ApplicantFacts:
        data = self.cleaned_data
        answers = {
            name[len(QUESTION_PREFIX) :]: value for name, value in data.items() if name.startswith(QUESTION_PREFIX)
        }
        return ApplicantFacts(
            real_name=data["real_name"].strip(),
            phone=data["phone"],
            village=data["village"],
            products=list(data["products"]),
            products_note=data["products_note"].strip(),
            online_experience=data["online_experience"],
            has_smartphone=data["has_smartphone"],
            poor_household=data["poor_household"],
            answers=answers,
        )

    @classmethod
    def initial_for_person(cls, user) -> dict:
        """What the person told us before: their account, else their last application (name, phone)."""
        from core.phone import display_phone
        from incubator.recruitment.services.applying import last_application_of

        if not user.is_authenticated:
            return {"online_experience": Application.Experience.NONE}
        last = last_application_of(user)
        return {
            "real_name": user.real_name or (last.real_name if last else ""),
            "phone": user.phone_display or (display_phone(last.phone) if last else ""),
            "village": user.village_id or (last.village_id if last else None),
            "products": list(user.products.values_list("pk", flat=True)),
            "online_experience": last.online_experience if last else Application.Experience.NONE,
        }

    def initial_from_draft(self, data: dict) -> dict:
        """A saved draft (field name -> list of values, as posted) as this form's initial values,
        shaped by each field's widget, so that a draft never shows errors before it is sent."""
        from django.http import QueryDict

        posted = QueryDict(mutable=True)
        for key, values in data.items():
            posted.setlist(key, values)
        return {name: field.widget.value_from_datadict(posted, {}, name) for name, field in self.fields.items()}

    @classmethod
    def initial_for_application(cls, application: Application) -> dict:
        from core.phone import display_phone

        initial = {
            "real_name": application.real_name,
            "phone": display_phone(application.phone),
            "village": application.village_id,
            "products": [p.pk for p in application.products.all()],
            "products_note": application.products_note,
            "online_experience": application.online_experience,
            "has_smartphone": application.has_smartphone,
            "poor_household": application.poor_household,
        }
        initial.update({QUESTION_PREFIX + key: value for key, value in application.answers.items()})
        return initial


class ResubmitForm(ApplicationForm):
    """The application form again, with the answer to the office's open question."""

    answer = forms.CharField(
        label=_("Your answer to the office's question"), widget=forms.Textarea(attrs={"rows": 4}), max_length=2000
    )

    def profile_fields(self):
        return [field for field in super().profile_fields() if field.name != "answer"]


class QuestionForm(forms.Form):
    question = forms.CharField(
        label=_("Question for the applicant"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text=_("The applicant sees it on their application, can change it and sends it again."),
    )


class ReviewerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.display_name


class ReviewersForm(forms.Form):
    reviewers = ReviewerChoiceField(
        label=_("Reviewers"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, exclude=(), **kwargs):
        from incubator.recruitment.selectors import office_reviewers

        super().__init__(*args, **kwargs)
        self.fields["reviewers"].queryset = office_reviewers().exclude(pk__in=[p.pk for p in exclude])


NO_ROWS = _("Select at least one application: tick its row first.")


class BulkActionForm(forms.Form):
    """The listing's bulk decision. Every requirement is checked here, on the server, and said in
    the page (the browser's own hints are off: a select it blocks on says nothing visible)."""

    ACCEPT, COHORT, ASSIGN = "accept", "cohort", "assign"

    action = forms.ChoiceField(label=_("With the selected rows:"), choices=[], widget=QuickSelect)
    cohort = forms.ModelChoiceField(
        label=_("Cohort"), queryset=Cohort.objects.none(), required=False, widget=QuickSelect
    )
    reviewers = ReviewerChoiceField(label=_("Reviewers"), queryset=None, required=False)

    def __init__(self, *args, actions, campaign_ids=None, **kwargs):
        from incubator.recruitment.selectors import office_reviewers

        kwargs.setdefault("auto_id", "bulk-%s")  # the filters above have a cohort field too
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Choose an action")), *actions]
        self.fields["action"].error_messages["required"] = _("Choose an action.")
        cohorts = CohortChoiceForm(campaign_ids=campaign_ids).fields["cohort"]
        self.fields["cohort"].queryset = cohorts.queryset
        self.fields["cohort"].choices = cohorts.choices
        self.fields["reviewers"].queryset = office_reviewers()
        self.applications = []

    def selected_ids(self) -> list[int]:
        ids = self.data.getlist("ids") if hasattr(self.data, "getlist") else []
        return [int(pk) for pk in ids if str(pk).isdigit()]

    def clean(self):
        data = super().clean()
        # First come, first served: when places run out, the earliest applications get them.
        self.applications = list(
            Application.objects.filter(pk__in=self.selected_ids())
            .select_related("campaign", "village", "applicant")
            .order_by("submitted_at", "id")
        )
        if not self.applications:
            self.add_error(None, ValidationError(NO_ROWS, code="no_rows"))
        action = data.get("action")
        if action == self.COHORT and not data.get("cohort"):
            self.add_error("cohort", _("Choose the cohort to add the selected applicants to."))
        if action == self.ASSIGN and not data.get("reviewers"):
            self.add_error("reviewers", _("Choose at least one reviewer."))
        return data


class ScoreForm(forms.Form):
    """The office's rubric: 0 to RUBRIC_MAX per criterion."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in RUBRIC:
            self.fields[key] = forms.IntegerField(label=label, min_value=0, max_value=RUBRIC_MAX, required=False)


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Office note"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class StatusForm(forms.Form):
    status = forms.ChoiceField(label=_("New status"), choices=[])
    note = forms.CharField(label=_("Note (kept in the history)"), required=False, max_length=500)

    def __init__(self, *args, allowed, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [(s, Application.Status(s).label) for s in allowed]


class CohortChoiceForm(forms.Form):
    cohort = forms.ModelChoiceField(label=_("Cohort"), queryset=Cohort.objects.none(), empty_label=_("Choose a cohort"))

    def __init__(self, *args, campaign_ids=None, **kwargs):
        from incubator.recruitment.selectors import cohort_choices

        super().__init__(*args, **kwargs)
        # Only cohorts that have not ended: at county scale there are hundreds of past ones.
        today = timezone.localdate()
        qs = Cohort.objects.filter(ends_on__gte=today)
        if campaign_ids is not None:
            qs = qs.filter(campaign_id__in=campaign_ids)
        field = self.fields["cohort"]
        field.queryset = qs  # what a submitted choice is checked against
        # What the select offers, from the cache (the same rows as `qs`).
        field.choices = [("", field.empty_label), *cohort_choices(running_on=today, campaign_ids=campaign_ids)]


class ImportForm(forms.Form):
    class Kind:
        APPLICANTS = "applicants"
        TRAINEES = "trainees"

    sheet = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Columns: real name, mobile phone, village (code or name), products (separated by commas), "
            "poor household (yes/no), experience (none/some/shop). The first row holds the column names."
        ),
    )
    campaign = forms.ModelChoiceField(label=_("Campaign"), queryset=None, empty_label=_("Choose a campaign"))
    cohort = forms.ModelChoiceField(
        label=_("Cohort (to import trainees)"),
        queryset=Cohort.objects.select_related("campaign"),
        required=False,
        empty_label=_("None: import applicants only"),
        help_text=_("With a cohort, each row is accepted and added to it as a trainee."),
    )

    def __init__(self, *args, **kwargs):
        from incubator.recruitment.models import RecruitmentCampaignPage

        super().__init__(*args, **kwargs)
        self.fields["campaign"].queryset = RecruitmentCampaignPage.objects.order_by("-opens_at")

    def clean_sheet(self):
        sheet = self.cleaned_data["sheet"]
        name = sheet.name.lower()
        if not (name.endswith(".csv") or name.endswith(".xlsx")):
            raise ValidationError(_("Upload a .csv or .xlsx file."), code="bad_type")
        if sheet.size > 5 * 1024 * 1024:
            raise ValidationError(_("The file is larger than 5 MB."), code="too_big")
        return sheet

    def clean(self):
        data = super().clean()
        cohort, campaign = data.get("cohort"), data.get("campaign")
        if cohort and campaign and cohort.campaign_id != campaign.pk:
            self.add_error("cohort", _("This cohort belongs to another campaign."))
        return data
