from django import forms
from django.utils.translation import gettext_lazy as _

from core.choices import township_code_choices
from core.models import Township
from incubator.merchants.forms import MonthField

from .models import CooperativeSale, DividendDeclaration, Household, InputGiven, Membership, Purchase
from .services.ledger import member_shops

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
NUMBER = {"inputmode": "decimal"}


class HouseholdChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.head_name} · {obj.village.name}"


def _member_households(cooperative):
    return Household.objects.filter(memberships__cooperative=cooperative).select_related("village").distinct()


class HouseholdFields(forms.ModelForm):
    id_card = forms.CharField(
        label=_("ID-card number"),
        required=False,
        max_length=18,
        help_text=_("Optional. Only its last four characters are kept."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    class Meta:
        model = Household
        fields = ["head_name", "village", "members", "is_registered_poor", "poor_since", "phone"]
        widgets = {"poor_since": DATE, "phone": forms.TextInput(attrs={"inputmode": "tel"})}


class NewMemberForm(HouseholdFields):
    """A household registered and made a member in one step (the leader's phone)."""

    joined_on = forms.DateField(label=_("Joined"), widget=DATE)
    shares = forms.IntegerField(label=_("Shares"), min_value=0, initial=1)


class ExistingMemberForm(forms.Form):
    """The office makes a household of the register a member (by its register number)."""

    household = forms.ModelChoiceField(
        label=_("Household number in the register"), queryset=Household.objects.all(), widget=forms.NumberInput
    )
    joined_on = forms.DateField(label=_("Joined"), widget=DATE)
    shares = forms.IntegerField(label=_("Shares"), min_value=0, initial=1)


class LeaveForm(forms.ModelForm):
    reason = forms.CharField(label=_("Reason"), required=False, max_length=300)

    class Meta:
        model = Membership
        fields = ["left_on"]
        widgets = {"left_on": DATE}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["left_on"].required = True


class _LedgerForm(forms.ModelForm):
    def __init__(self, *args, cooperative, correcting=False, **kwargs):
        super().__init__(*args, **kwargs)
        if "household" in self.fields:
            self.fields["household"] = HouseholdChoiceField(
                label=_("Household"), queryset=_member_households(cooperative)
            )
        if correcting:
            self.fields["reason"] = forms.CharField(label=_("Why is it corrected?"), max_length=300)


class InputForm(_LedgerForm):
    class Meta:
        model = InputGiven
        fields = ["household", "item", "quantity", "unit", "value", "given_on"]
        widgets = {"given_on": DATE, "quantity": forms.NumberInput(NUMBER), "value": forms.NumberInput(NUMBER)}


class PurchaseForm(_LedgerForm):
    class Meta:
        model = Purchase
        fields = ["household", "product", "quantity", "unit", "amount", "bought_on"]
        widgets = {"bought_on": DATE, "quantity": forms.NumberInput(NUMBER), "amount": forms.NumberInput(NUMBER)}


class SaleForm(_LedgerForm):
    month = MonthField(label=_("Month"))

    class Meta:
        model = CooperativeSale
        fields = ["shop", "month", "product", "quantity", "unit", "amount"]
        widgets = {"quantity": forms.NumberInput(NUMBER), "amount": forms.NumberInput(NUMBER)}

    def __init__(self, *args, cooperative, **kwargs):
        super().__init__(*args, cooperative=cooperative, **kwargs)
        self.fields["shop"].queryset = member_shops(cooperative)


class DividendForm(_LedgerForm):
    class Meta:
        model = DividendDeclaration
        fields = ["year", "total", "rule", "unit", "paid_on"]
        widgets = {"paid_on": DATE, "total": forms.NumberInput(NUMBER)}

    def __init__(self, *args, correcting=False, **kwargs):
        super().__init__(*args, correcting=correcting, **kwargs)
        if correcting:
            self.fields.pop("year")


FORMS = {"input": InputForm, "purchase": PurchaseForm, "sale": SaleForm, "dividend": DividendForm}


class ReportFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, choices=())
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All townships"),
    )
    poor_only = forms.BooleanField(label=_("Registered poor households only"), required=False)

    def __init__(self, *args, years, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [(year, str(year)) for year in years]
        township = self.fields["township"]
        township.choices = [("", township.empty_label), *township_code_choices()]


class HouseholdImportForm(forms.Form):
    sheet = forms.FileField(
        label=_("Spreadsheet (CSV or XLSX)"),
        help_text=_(
            "Columns: head of household, village (code or name), people in the household, registered poor "
            "household (yes/no), registered since, contact phone, ID-card number (only its last four characters "
            "are kept). The first row holds the column names."
        ),
    )
    cooperative = forms.ModelChoiceField(
        label=_("Make them members of"), queryset=None, required=False, empty_label=_("No cooperative")
    )
    joined_on = forms.DateField(label=_("Joined on"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        from incubator.merchants.models import Cooperative

        super().__init__(*args, **kwargs)
        self.fields["cooperative"].queryset = Cooperative.objects.order_by("township__code", "name")

    def clean(self):
        data = super().clean()
        if data.get("cooperative") and not data.get("joined_on"):
            self.add_error("joined_on", _("Say from when the households are members."))
        return data
