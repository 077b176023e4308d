from django import forms
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import roles
from core.admin_tables import yes_no
from core.cache_families import POVERTY_REPORT
from core.me import MeSection
from core.office import OfficeMenuItem
from incubator.merchants import periods
from incubator.merchants.selectors.dashboard import pace

from . import admin_views, report_cache
from .models import Household
from .selectors.access import leads_a_cooperative
from .selectors.report import poor_households_by_township_expression
from .services.households import mask_id_card

# --- Admin pages ---------------------------------------------------------------------------

admin_urlpatterns = [
    path("", admin_views.report, name="report"),
    path("households/", admin_views.household_income_list, name="household_income"),
    path("import/", admin_views.import_households, name="import"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("cooperatives/", include((admin_urlpatterns, "cooperatives_admin"), namespace="cooperatives_admin"))]


poverty_menu = Menu(
    items=[
        OfficeMenuItem(
            gettext_lazy("Poverty alleviation"),
            "/admin/cooperatives/",
            name="poverty-report",
            icon_name="table",
            order=10,
            permission="cooperatives.view_household",
        ),
        OfficeMenuItem(
            gettext_lazy("Household income"),
            "/admin/cooperatives/households/",
            name="household-income",
            icon_name="list-ul",
            order=20,
            permission="cooperatives.view_household",
        ),
        OfficeMenuItem(
            gettext_lazy("Household register"),
            "/admin/snippets/cooperatives/household/",
            name="household-register",
            icon_name="group",
            order=30,
            permission="cooperatives.view_household",
        ),
        OfficeMenuItem(
            gettext_lazy("Import households"),
            "/admin/cooperatives/import/",
            name="household-import",
            icon_name="upload",
            order=40,
            permission="cooperatives.add_household",
        ),
        OfficeMenuItem(
            gettext_lazy("Cooperatives' ledgers"),
            "/me/cooperative/",
            name="cooperative-ledgers",
            icon_name="doc-full",
            order=50,
            permission="cooperatives.view_household",
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_poverty_menu():
    return SubmenuMenuItem(
        gettext_lazy("Cooperatives and households"), poverty_menu, name="cooperatives", icon_name="group", order=155
    )


# --- The household register (a snippet): the ID card is typed in full and kept masked ---------


class HouseholdAdminForm(WagtailAdminModelForm):
    id_card = forms.CharField(
        label=gettext_lazy("ID-card number"),
        required=False,
        max_length=18,
        help_text=gettext_lazy("Optional. Only its last four characters are kept."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.id_card_masked:
            self.fields["id_card"].initial = self.instance.id_card_masked

    def clean_id_card(self):
        try:
            return mask_id_card(self.cleaned_data.get("id_card") or "")
        except forms.ValidationError as error:
            raise forms.ValidationError(error.messages) from error

    def save(self, commit=True):
        self.instance.id_card_masked = self.cleaned_data.get("id_card") or ""
        return super().save(commit=commit)


class HouseholdViewSet(SnippetViewSet):
    model = Household
    icon = "group"
    add_to_admin_menu = False  # listed in the "Cooperatives and households" menu
    list_display = ["head_name", "village", "members", yes_no(Household, "is_registered_poor"), "poor_since"]
    list_filter = ["is_registered_poor", "village__township"]
    search_fields = ["head_name", "phone"]
    inspect_view_enabled = True
    inspect_view_fields = [
        "head_name",
        "village",
        "members",
        "is_registered_poor",
        "poor_since",
        "phone",
        "id_card_masked",
    ]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("head_name"), FieldPanel("village")]),
            FieldRowPanel([FieldPanel("members"), FieldPanel("phone")]),
            FieldRowPanel([FieldPanel("is_registered_poor"), FieldPanel("poor_since")]),
            FieldPanel("id_card"),
        ],
        base_form_class=HouseholdAdminForm,
    )

    def get_queryset(self, request):
        return Household.objects.select_related("village")


register_snippet(HouseholdViewSet)


# --- Roles, /me/, the county dashboard, the demo -----------------------------------------------


@hooks.register("register_role_permissions")
def cooperatives_permissions():
    return {
        roles.OFFICE: [
            "cooperatives.add_household",
            "cooperatives.change_household",
            "cooperatives.view_household",
            "cooperatives.view_membership",
        ]
    }


@hooks.register("register_me_section")
def ledger_section(request):
    """A cooperative's leader keeps its ledger from /me/."""
    if not leads_a_cooperative(request.user):
        return None
    return MeSection(
        title=_("My cooperative's ledger"),
        url=reverse("cooperatives:list"),
        description=_("Member households, inputs given, produce bought, sales and dividends."),
        order=45,
    )


@hooks.register("merchants_cooperative_poor_households")
def township_poor_households():
    return poor_households_by_township_expression(day=periods.today())


@hooks.register("register_county_dashboard_section")
def poverty_dashboard_section(request, *, year, township, targets):
    """The poverty-alleviation figures beside the merchant figures, with the target: rendered once
    per change of what the report reads (the POVERTY_REPORT family), filter, day and language."""
    from incubator.merchants import dashboard_cache

    today = periods.today()
    report_year = year or today.year

    def compute():
        linked = report_cache.poor_households_linked()
        kpi = pace(
            key="poor_households",
            label=_("Registered poor households linked"),
            value=linked,
            target=targets.poor_households_target,
            start=targets.programme_start,
            deadline=targets.merchants_deadline,
            today=today,
        )
        return {
            "report": report_cache.poverty_report(year=report_year, township=township, targets=targets),
            "kpis": [kpi] if targets.poor_households_target else [],
            "linked": linked,
            "report_url": reverse("cooperatives_admin:report"),
        }

    template, context = dashboard_cache.section(
        name="poverty",
        template="cooperatives/admin/dashboard_section.html",
        year=report_year,
        township=township,
        extra=str(targets.pk),
        family=POVERTY_REPORT,
        compute=compute,
    )
    # Beside the merchant figures: before the villages (20) and the pavilion (30).
    return 10, template, context


@hooks.register("register_demo_seed")
def cooperatives_demo_seed():
    from .demo import seed

    return 60, seed
