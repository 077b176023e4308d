from types import SimpleNamespace

import django_filters

from django.db.models import Q
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _

from core.choices import product_choices, township_choices, village_choices
from core.search.records import matching
from core.suggestions import SuggestingTextInput, matching_values
from core.widgets import QuickNullBooleanSelect, QuickSelect
from incubator.recruitment import selectors
from incubator.recruitment.models import Application, ReviewerAssignment


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the office's application listing (also used by the exports)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    # Choice lists come from the cache (core.choices): five tables not read on every request.
    campaign = django_filters.ChoiceFilter(label=_("Campaign"), choices=selectors.campaign_choices, widget=QuickSelect)
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices, widget=QuickSelect)
    township = django_filters.ChoiceFilter(
        label=_("Township"), field_name="village__township", choices=township_choices, widget=QuickSelect
    )
    # Hundreds of villages and cohorts: search boxes with suggestions, not selects of every one
    # (core/suggestions.py); a typed name matches the cached choice lists.
    village = django_filters.CharFilter(
        label=_("Village"),
        method="filter_village",
        widget=SuggestingTextInput(url=reverse_lazy("recruitment_admin:suggest", args=["village"])),
    )
    product = django_filters.ChoiceFilter(
        label=_("Product"), field_name="products", choices=product_choices, distinct=True, widget=QuickSelect
    )
    poor_household = django_filters.BooleanFilter(label=_("Registered poor household"), widget=QuickNullBooleanSelect)
    cohort = django_filters.CharFilter(
        label=_("Cohort"),
        method="filter_cohort",
        widget=SuggestingTextInput(url=reverse_lazy("recruitment_admin:suggest", args=["cohort"])),
    )
    in_cohort = django_filters.BooleanFilter(
        label=_("In a cohort"), method="filter_in_cohort", widget=QuickNullBooleanSelect
    )
    mine = django_filters.BooleanFilter(label=_("Assigned to me"), method="filter_mine", widget=QuickNullBooleanSelect)
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        widget=QuickSelect,
        fields=(
            ("submitted_at", "submitted_at"),
            ("mean_score", "score"),
            ("real_name", "real_name"),
            ("status", "status"),
        ),
        field_labels={
            "submitted_at": _("Date sent"),
            "mean_score": _("Mean score"),
            "real_name": _("Name"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_village(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(village__in=matching_values(village_choices(), value))

    def filter_cohort(self, queryset, name, value):
        if not value.strip():
            return queryset
        return queryset.filter(
            applicant__trainee_profile__cohort__in=matching_values(selectors.cohort_choices(), value)
        )

    def filter_in_cohort(self, queryset, name, value):
        # "No" lists accepted applicants still waiting for a cohort, among others.
        if value is None:
            return queryset
        placed = Q(applicant__trainee_profile__cohort__isnull=False)
        return queryset.filter(placed) if value else queryset.exclude(placed)

    def filter_mine(self, queryset, name, value):
        user = getattr(self.request, "user", None)
        if value is None or user is None:
            return queryset
        assigned = Q(pk__in=ReviewerAssignment.objects.filter(reviewer=user).values("application_id"))
        return queryset.filter(assigned) if value else queryset.exclude(assigned)

    def search(self, queryset, name, value):
        # Each word in the name or the products note (Chinese found inside them), or a phone's digits.
        return queryset.filter(matching(value, fields=["real_name", "products_note"], phone_fields=["phone"]))


def application_listing(data, *, user=None):
    """The office's application listing for a query (`data`: request.GET or an export's filters)
    as `user` sees it ("assigned to me"): the filter set and its rows, newest first unless the
    query orders them."""
    filterset = ApplicationFilter(
        data or None, queryset=selectors.admin_applications(), request=SimpleNamespace(user=user)
    )
    qs = filterset.qs if filterset.is_bound else filterset.queryset
    if not (filterset.is_bound and data.get("ordering")):
        qs = qs.order_by("-submitted_at", "-id")
    return filterset, qs
