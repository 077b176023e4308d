from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import roles
from core.me import MeSection
from core.office import OfficeMenuItem

from . import admin_views
from .admin_forms import StationAdminForm
from .models import SalesCampaign, Station, VillageHouseholds

admin_urlpatterns = [
    path("stations/", admin_views.station_overview, name="stations"),
    path("stations/<int:pk>/", admin_views.station_detail, name="station"),
    path("taobao/", admin_views.taobao_villages, name="taobao"),
    path("campaigns/", admin_views.campaign_list, name="campaigns"),
    path("campaigns/<int:pk>/", admin_views.campaign_detail, name="campaign"),
    path("campaigns/<int:pk>/verify/", admin_views.campaign_verify, name="campaign_verify"),
    path("figures/<int:pk>/send-back/", admin_views.figure_send_back, name="figure_send_back"),
    path("figures/<int:pk>/verify/", admin_views.figure_verify, name="figure_verify"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("villages/", include((admin_urlpatterns, "villages_admin"), namespace="villages_admin"))]


villages_menu = Menu(
    items=[
        OfficeMenuItem(
            gettext_lazy("Station figures"),
            "/admin/villages/stations/",
            name="station-figures",
            icon_name="home",
            order=10,
        ),
        OfficeMenuItem(
            gettext_lazy("Campaign results"),
            "/admin/villages/campaigns/",
            name="campaign-results",
            icon_name="date",
            order=20,
        ),
        OfficeMenuItem(
            gettext_lazy("Taobao villages"),
            "/admin/villages/taobao/",
            name="taobao-villages",
            icon_name="site",
            order=30,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_villages_menu():
    return SubmenuMenuItem(
        gettext_lazy("Village e-commerce"), villages_menu, name="villages", icon_name="home", order=155
    )


class StationViewSet(SnippetViewSet):
    model = Station
    icon = "home"
    menu_label = gettext_lazy("Stations")
    list_display = ["village", "partner", "opened_on", "closed_on"]
    list_filter = ["village__township"]
    edit_handler = ObjectList(
        [
            FieldPanel("village"),
            FieldPanel("partner"),
            FieldPanel("shop"),
            FieldRowPanel([FieldPanel("opened_on"), FieldPanel("closed_on")]),
        ],
        base_form_class=StationAdminForm,
    )

    def get_queryset(self, request):
        return Station.objects.select_related("village__township", "partner")


class SalesCampaignViewSet(SnippetViewSet):
    model = SalesCampaign
    icon = "date"
    menu_label = gettext_lazy("Sales campaigns")
    list_display = ["name", "product", "starts_on", "ends_on", "target_quantity"]
    panels = [
        FieldPanel("name"),
        FieldPanel("product"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldRowPanel([FieldPanel("target_quantity"), FieldPanel("unit"), FieldPanel("target_sales")]),
        FieldPanel("shops"),
    ]


class VillageHouseholdsViewSet(SnippetViewSet):
    model = VillageHouseholds
    icon = "group"
    menu_label = gettext_lazy("Village households")
    list_display = ["village", "households", "counted_on"]
    panels = [FieldPanel("village"), FieldRowPanel([FieldPanel("households"), FieldPanel("counted_on")])]

    def get_queryset(self, request):
        return VillageHouseholds.objects.select_related("village__township")


class VillagesGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Stations and campaigns")
    menu_icon = "home"
    menu_order = 165
    items = (StationViewSet, SalesCampaignViewSet, VillageHouseholdsViewSet)


register_snippet(VillagesGroup)


@hooks.register("register_role_permissions")
def villages_permissions():
    return {
        roles.OFFICE: [
            f"villages.{action}_{model}"
            for model in ("station", "salescampaign", "villagehouseholds")
            for action in ("add", "change", "view")
        ]
        + ["villages.change_villagetargets"]
    }


@hooks.register("register_me_section")
def station_section(request):
    """A village partner's station log on /me/ (only for someone who runs a station)."""
    if not Station.objects.filter(partner=request.user, closed_on__isnull=True).exists():
        return None
    return MeSection(
        title=_("My village station"),
        url=reverse("villages:my_station"),
        description=_("Log the day: what you bought in for villagers and what the village sold."),
        order=45,
    )


@hooks.register("register_county_dashboard_section")
def villages_dashboard_section(request, *, year, township, targets):
    """Taobao villages and product figures on the county dashboard."""
    from incubator.merchants import dashboard_cache
    from incubator.villages.selectors.dashboard import dashboard_section

    template, context = dashboard_cache.section(
        name="villages",
        template="villages/admin/dashboard_section.html",
        year=year,
        township=township,
        compute=lambda: dashboard_section(year=year, township=township),
    )
    return 20, template, context


@hooks.register("register_county_dashboard_section")
def villages_stations_dashboard_section(request, *, year, township, targets):
    """The stations' records and the latest campaigns: rendered once per change of their own
    family (VILLAGE_FIGURES), whatever the filters; a sales report does not render them again."""
    from core.cache_families import VILLAGE_FIGURES
    from incubator.merchants import dashboard_cache
    from incubator.villages.selectors.dashboard import stations_section

    template, context = dashboard_cache.section(
        name="stations",
        template="villages/admin/dashboard_stations.html",
        family=VILLAGE_FIGURES,
        compute=stations_section,
    )
    return 25, template, context


@hooks.register("register_demo_seed")
def villages_demo_seed():
    from .demo import seed

    return 60, seed
