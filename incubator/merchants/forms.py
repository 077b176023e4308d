import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.choices import township_code_choices
from core.models import ProductCategory, Township
from core.widgets import QuickSelect
from courses.forms import MultipleFileField, MultipleFileInput
from incubator.merchants.services.sales import ERROR_NEGATIVE

from . import periods
from .models import Shop

ERROR_MONTH_FORMAT = _("Enter the month as year and month, for example 2026-10.")
ERROR_OPENED_IN_FUTURE = _("The opening date cannot be in the future.")
ERROR_URL_SCHEME = _("Enter the full shop address, starting with http:// or https://")


class MonthInput(forms.DateInput):
    input_type = "month"

    def format_value(self, value):
        if isinstance(value, datetime.date):
            return f"{value:%Y-%m}"
        return value


class MonthField(forms.DateField):
    """A calendar month typed as YYYY-MM (phones show a month picker); cleaned to its first day."""

    widget = MonthInput
    input_formats = ["%Y-%m", "%Y-%m-%d", "%Y/%m", "%Y年%m月"]
    default_error_messages = {"invalid": ERROR_MONTH_FORMAT}

    def to_python(self, value):
        value = super().to_python(value)
        return periods.month_start(value) if value else value


class ShopURLField(forms.URLField):
    """Shop addresses typed without a scheme are taken as https (every platform serves https)."""

    def __init__(self, **kwargs):
        kwargs["assume_scheme"] = "https"
        super().__init__(**kwargs)


class ShopForm(forms.ModelForm):
    class Meta:
        model = Shop
        fields = ["platform", "name", "url", "opened_on", "products", "products_note", "in_directory"]
        field_classes = {"url": ShopURLField}
        widgets = {
            "opened_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "products": forms.CheckboxSelectMultiple,
            "url": forms.URLInput(attrs={"inputmode": "url", "placeholder": "https://"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["products"].queryset = ProductCategory.objects.order_by("sort_order", "slug")
        self.fields["url"].error_messages["invalid"] = ERROR_URL_SCHEME

    def clean_opened_on(self):
        opened_on = self.cleaned_data["opened_on"]
        if opened_on and opened_on > periods.today():
            raise ValidationError(ERROR_OPENED_IN_FUTURE)
        return opened_on


class SalesReportForm(forms.Form):
    month = MonthField(label=_("Month"), help_text=_("The month these figures are for."))
    orders = forms.IntegerField(
        label=_("Orders"),
        min_value=0,
        error_messages={"min_value": ERROR_NEGATIVE},
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
    )
    sales = forms.DecimalField(
        label=_("Sales (yuan)"),
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages={"min_value": ERROR_NEGATIVE},
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "min": 0, "step": "0.01"}),
    )
    products_sold = forms.CharField(
        label=_("Main products sold"),
        max_length=200,
        required=False,
        help_text=_("For example: navel oranges, 5 kg boxes."),
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            self.fields["month"].disabled = True


class EvidenceForm(forms.Form):
    files = MultipleFileField(
        label=_("Screenshots or PDF of the seller back office"),
        widget=MultipleFileInput(attrs={"accept": "image/jpeg,image/png,image/webp,application/pdf"}),
        help_text=_("The month's sales summary as the platform shows it. You can choose several files."),
    )


class OrderExportForm(forms.Form):
    month = MonthField(label=_("Month"), help_text=_("The month the exported orders are from."))
    file = forms.FileField(
        label=_("Order export (CSV or XLSX)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.xlsx"}),
        help_text=_("The file the platform's seller back office exports: refunded and cancelled orders are left out."),
    )


class OfficeOrderExportForm(OrderExportForm):
    """The office reads an order export the merchant sent into the report's own month, with a reason."""

    month = None
    reason = forms.CharField(
        label=_("Reason"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: the merchant sent the file by WeChat on 3 November."),
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=500, widget=forms.Textarea(attrs={"rows": 3}))


class OfficeCorrectionForm(SalesReportForm):
    reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For example: reported by phone on 3 November; the merchant's screenshot shows 1,280 yuan."),
    )


class OfficeEntryForm(OfficeCorrectionForm):
    shop = forms.ModelChoiceField(label=_("Shop"), queryset=Shop.objects.order_by("name", "pk"))
    field_order = ["shop", "month", "orders", "sales", "products_sold", "reason"]


class CertificateLookupForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocapitalize": "characters", "autocomplete": "off", "spellcheck": "false"}),
    )

    def clean_code(self):
        return "".join(self.cleaned_data["code"].split()).upper()


class DirectoryFilterForm(forms.Form):
    product = forms.ModelChoiceField(
        label=_("Product"),
        queryset=ProductCategory.objects.order_by("sort_order", "slug"),
        to_field_name="slug",
        required=False,
        empty_label=_("All products"),
    )
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All townships"),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))


class DashboardFilterForm(forms.Form):
    year = forms.TypedChoiceField(label=_("Year"), coerce=int, required=False, empty_value=None, widget=QuickSelect)
    township = forms.ModelChoiceField(
        label=_("Township"),
        queryset=Township.objects.order_by("code"),
        to_field_name="code",
        required=False,
        empty_label=_("All townships"),
        widget=QuickSelect,
    )

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", _("Last 24 months"))] + [(y, str(y)) for y in years]
        # The select's options from the cache (a submitted code is still checked against the table).
        township = self.fields["township"]
        township.choices = [("", township.empty_label), *township_code_choices()]
