import datetime

from django import forms
from django.utils.translation import gettext_lazy as _

from incubator.villages.models import StationPurchase


class StationDayForm(forms.Form):
    """The partner's day on a phone: one pair of fields per buying-in category, then selling out."""

    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    villagers_served = forms.IntegerField(label=_("Villagers served"), min_value=0, initial=0)
    sell_orders = forms.IntegerField(label=_("Orders sold out of the village"), min_value=0, initial=0)
    sell_value = forms.DecimalField(
        label=_("Value sold out (yuan)"), min_value=0, max_digits=14, decimal_places=2, initial=0
    )
    sell_products = forms.CharField(label=_("Products sold out"), max_length=200, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for value, label in StationPurchase.Category.choices:
            self.fields[f"{value}_orders"] = forms.IntegerField(
                label=_("%(category)s: orders bought in") % {"category": label}, min_value=0, initial=0
            )
            self.fields[f"{value}_value"] = forms.DecimalField(
                label=_("%(category)s: value (yuan)") % {"category": label},
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=0,
            )

    def purchases(self) -> dict:
        data = self.cleaned_data
        return {
            value: (data.get(f"{value}_orders") or 0, data.get(f"{value}_value") or 0)
            for value in StationPurchase.Category.values
        }

    def buy_fields(self):
        return [self[f"{value}_{part}"] for value in StationPurchase.Category.values for part in ("orders", "value")]

    def sell_fields(self):
        return [self[name] for name in ("sell_orders", "sell_value", "sell_products")]


def initial_for(log) -> dict:
    if log is None:
        return {}
    initial = {name: getattr(log, name) for name in ("villagers_served", "sell_orders", "sell_value", "sell_products")}
    for line in log.purchases.all():
        initial[f"{line.category}_orders"], initial[f"{line.category}_value"] = line.orders, line.value
    return initial


class CampaignFigureForm(forms.Form):
    shop = forms.ModelChoiceField(label=_("Shop"), queryset=None)
    day = forms.DateField(label=_("Day"), widget=forms.DateInput(attrs={"type": "date"}))
    orders = forms.IntegerField(label=_("Orders"), min_value=0)
    quantity = forms.IntegerField(label=_("Quantity sold"), min_value=0)
    sales = forms.DecimalField(label=_("Sales (yuan)"), min_value=0, max_digits=14, decimal_places=2)

    def __init__(self, *args, shops, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shop"].queryset = shops


class SendBackForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=300)


class PeriodForm(forms.Form):
    first = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    last = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def period(self, *, today: datetime.date) -> tuple[datetime.date, datetime.date]:
        first = last = None
        if self.is_bound and self.is_valid():
            first, last = self.cleaned_data["first"], self.cleaned_data["last"]
        return first or today - datetime.timedelta(days=29), last or today
