import django_filters

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.models import ProductCategory, Township, Village
from incubator.recruitment.models import Application, Cohort, RecruitmentCampaignPage


class ApplicationFilter(django_filters.FilterSet):
    """Filters of the office's application listing (also used by the exports)."""

    q = django_filters.CharFilter(label=_("Search"), method="search")
    campaign = django_filters.ModelChoiceFilter(
        label=_("Campaign"), queryset=RecruitmentCampaignPage.objects.order_by("-opens_at")
    )
    status = django_filters.ChoiceFilter(label=_("Status"), choices=Application.Status.choices)
    township = django_filters.ModelChoiceFilter(
        label=_("Township"), field_name="village__township", queryset=Township.objects.all()
    )
    village = django_filters.ModelChoiceFilter(label=_("Village"), queryset=Village.objects.select_related("township"))
    product = django_filters.ModelChoiceFilter(
        label=_("Product"), field_name="products", queryset=ProductCategory.objects.all(), distinct=True
    )
    poor_household = django_filters.BooleanFilter(label=_("Registered poor household"))
    cohort = django_filters.ModelChoiceFilter(
        label=_("Cohort"), field_name="applicant__trainee_profile__cohort", queryset=Cohort.objects.all()
    )
    in_cohort = django_filters.BooleanFilter(label=_("In a cohort"), method="filter_in_cohort")
    ordering = django_filters.OrderingFilter(
        label=_("Sort by"),
        fields=(("submitted_at", "submitted_at"), ("score", "score"), ("real_name", "real_name"), ("status", "status")),
        field_labels={
            "submitted_at": _("Date sent"),
            "score": _("Score"),
            "real_name": _("Name"),
            "status": _("Status"),
        },
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_in_cohort(self, queryset, name, value):
        # "No" lists accepted applicants still waiting for a cohort, among others.
        if value is None:
            return queryset
        placed = Q(applicant__trainee_profile__cohort__isnull=False)
        return queryset.filter(placed) if value else queryset.exclude(placed)

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        digits = "".join(ch for ch in value if ch.isdigit())
        condition = Q(real_name__icontains=value) | Q(products_note__icontains=value)
        if len(digits) >= 4:
            condition |= Q(phone__contains=digits)
        return queryset.filter(condition)
