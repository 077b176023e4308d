import django_filters

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import roles
from core.admin_tables import yes_no
from core.choices import township_choices
from core.export_jobs import TableExportMixin
from core.home import HomeSection
from core.me import MeSection
from core.office import OfficeMenuItem, is_office_staff
from core.search.records import RecordSearchMixin
from incubator.merchants.selectors.shops import directory_shops, monthly_sales, owner_shops
from incubator.merchants.services.shops import set_shop_verified
from incubator.recruitment.selectors import person_township_q

from . import admin_views, charts, dashboard_cache, exports, periods
from .admin_forms import CooperativeAdminForm, ShopAdminForm
from .models import Cooperative, OrderExportFormat, SalesReport, Shop

# --- Admin pages ---------------------------------------------------------------------------

admin_urlpatterns = [
    path("", admin_views.dashboard, name="dashboard"),
    path("graduation/", admin_views.graduation_index, name="graduation"),
    path("graduation/<int:cohort_id>/", admin_views.graduation_cohort, name="graduation_cohort"),
    path("certificates/", admin_views.certificate_list, name="certificates"),
    path("certificates/<int:pk>/revoke/", admin_views.certificate_revoke, name="certificate_revoke"),
    path("certificates/<int:pk>/reissue/", admin_views.certificate_reissue, name="certificate_reissue"),
    path("reports/new/", admin_views.report_enter, name="report_enter"),
    path("reports/<int:pk>/", admin_views.report_review, name="report"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("county/", include((admin_urlpatterns, "merchants_admin"), namespace="merchants_admin"))]


programme_menu = Menu(
    items=[
        OfficeMenuItem(
            gettext_lazy("County dashboard"), "/admin/county/", name="county-dashboard", icon_name="table", order=10
        ),
        OfficeMenuItem(
            gettext_lazy("Graduation"), "/admin/county/graduation/", name="graduation", icon_name="success", order=20
        ),
        OfficeMenuItem(
            gettext_lazy("Certificates"),
            "/admin/county/certificates/",
            name="certificates",
            icon_name="doc-full",
            order=30,
        ),
        OfficeMenuItem(gettext_lazy("Exports"), "/admin/exports/", name="exports", icon_name="download", order=40),
        OfficeMenuItem(
            gettext_lazy("Enter a sales report"),
            "/admin/county/reports/new/",
            name="report-enter",
            icon_name="plus",
            order=50,
        ),
    ]
)


@hooks.register("register_admin_menu_item")
def register_programme_menu():
    return SubmenuMenuItem(
        gettext_lazy("County results"), programme_menu, name="county-results", icon_name="table", order=150
    )


class CountySummaryPanel(Component):
    """The dashboard's key figures and funnel on the admin home page."""

    name = "county_summary"
    template_name = "merchants/admin/home_panel.html"
    order = 50

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        from .models import CountyTargets

        context.update(dashboard_cache.summary(targets=CountyTargets.load()))
        context["dashboard_url"] = reverse("merchants_admin:dashboard")
        return context


@hooks.register("construct_homepage_panels")
def add_county_summary(request, panels):
    if is_office_staff(request.user):
        panels.append(CountySummaryPanel())


# --- Snippets: shops, sales reports, cooperatives ------------------------------------------


class ShopFilterSet(WagtailFilterSet):
    township = django_filters.ChoiceFilter(
        label=gettext_lazy("Township"), choices=township_choices, method="in_township"
    )

    class Meta:
        model = Shop
        fields = ["platform", "is_verified", "in_directory"]

    def in_township(self, queryset, name, value):
        return queryset.filter(person_township_q(value, user_path="owner")) if value else queryset


class ShopIndexView(RecordSearchMixin, TableExportMixin, SnippetIndexView):
    export_table = exports.SHOPS
    phone_search_fields = ["owner__phone"]


class ShopViewSet(SnippetViewSet):
    model = Shop
    icon = "tag"
    menu_label = gettext_lazy("Shops")
    list_display = [
        "name",
        "owner",
        "platform",
        "opened_on",
        yes_no(Shop, "is_verified"),
        yes_no(Shop, "in_directory"),
    ]
    filterset_class = ShopFilterSet
    search_fields = ["name", "products_note", "owner__real_name", "url"]  # and the owner's phone (ShopIndexView)
    index_view_class = ShopIndexView
    list_export = exports.SHOPS.names
    export_headings = exports.SHOPS.headings
    export_filename = "shops"
    edit_handler = ObjectList(
        [
            FieldPanel("owner"),
            FieldRowPanel([FieldPanel("platform"), FieldPanel("opened_on")]),
            FieldPanel("name"),
            FieldPanel("url"),
            FieldPanel("products"),
            FieldPanel("products_note"),
            FieldRowPanel([FieldPanel("is_verified"), FieldPanel("in_directory")]),
        ],
        base_form_class=ShopAdminForm,
    )

    def get_queryset(self, request):
        return Shop.objects.select_related("owner")


class SalesReportFilterSet(WagtailFilterSet):
    # The dashboard's filters (year, the merchant's township) beside the listing's own, so the
    # dashboard's "full export" and the listing's download are one table with one filter set.
    year = django_filters.NumberFilter(label=gettext_lazy("Year"), field_name="month__year")
    township = django_filters.ChoiceFilter(
        label=gettext_lazy("Township"), choices=township_choices, method="in_township"
    )
    platform = django_filters.ChoiceFilter(
        label=gettext_lazy("Platform"), field_name="shop__platform", choices=Shop.Platform.choices
    )

    class Meta:
        model = SalesReport
        fields = ["status", "is_late", "evidence_level", "month"]

    def in_township(self, queryset, name, value):
        return queryset.filter(person_township_q(value, user_path="shop__owner")) if value else queryset


class SalesReportIndexView(TableExportMixin, SnippetIndexView):
    export_table = exports.SALES_REPORTS


class SalesReportViewSet(SnippetViewSet):
    """The office's listing of reports, filtered by status (pending, flagged), late and evidence.
    Changes go through the report's own page (services.sales), never through a snippet form."""

    model = SalesReport
    icon = "list-ul"
    menu_label = gettext_lazy("Monthly sales")
    list_display = [
        "shop",
        "month",
        "orders",
        "sales",
        "status",
        yes_no(SalesReport, "is_late"),
        "evidence_level",
        "updated_at",
    ]
    filterset_class = SalesReportFilterSet
    search_fields = ["shop__name", "products_sold"]
    index_view_class = SalesReportIndexView
    list_export = exports.SALES_REPORTS.names
    export_headings = exports.SALES_REPORTS.headings
    export_filename = "sales-reports"
    inspect_view_enabled = True
    panels = [FieldPanel("orders"), FieldPanel("sales"), FieldPanel("products_sold")]

    def get_queryset(self, request):
        return SalesReport.objects.select_related("shop")


class CooperativeIndexView(TableExportMixin, SnippetIndexView):
    export_table = exports.COOPERATIVES


class OrderExportFormatViewSet(SnippetViewSet):
    model = OrderExportFormat
    icon = "table"
    menu_label = gettext_lazy("Order export formats")
    list_display = ["platform", "order_id_column", "order_time_column", "amount_column", "status_column"]


class CooperativeViewSet(SnippetViewSet):
    model = Cooperative
    icon = "group"
    menu_label = gettext_lazy("Cooperatives")
    list_display = ["name", "township", "leader", "founded_on"]
    list_filter = ["township"]
    search_fields = ["name"]
    index_view_class = CooperativeIndexView
    list_export = exports.COOPERATIVES.names
    export_headings = exports.COOPERATIVES.headings
    export_filename = "cooperatives"
    edit_handler = ObjectList(Cooperative.panels, base_form_class=CooperativeAdminForm)

    def get_queryset(self, request):
        return Cooperative.objects.select_related("township", "leader")


class MerchantsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Shops and sales")
    menu_icon = "group"
    menu_order = 160
    items = (ShopViewSet, SalesReportViewSet, CooperativeViewSet, OrderExportFormatViewSet)


register_snippet(MerchantsGroup)


def _sync_verified(request, instance):
    if isinstance(instance, Shop):
        if instance.is_verified and instance.verified_at is None:
            set_shop_verified(shop=instance, by=request.user, verified=True)
        elif not instance.is_verified and instance.verified_at is not None:
            set_shop_verified(shop=instance, by=request.user, verified=False)


@hooks.register("register_snippet_listing_buttons")
def sales_report_buttons(snippet, user, next_url=None):
    if isinstance(snippet, SalesReport) and is_office_staff(user):
        yield ListingButton(
            _("Verify or correct") if snippet.awaits_verification else _("Correct"),
            reverse("merchants_admin:report", args=[snippet.pk]),
            priority=10,
        )


# A report changes only through services.sales, which keeps its history (who, when, old and new,
# why): Wagtail's own forms for it (open to an administrator, who holds every permission) lead to
# the report's page and the office's entry form instead, and a report is never deleted.
REPORT_NOT_DELETED = gettext_lazy(
    "A sales report is not deleted: its history stays on the record. Correct it on its page, with a reason."
)


@hooks.register("before_create_snippet")
def sales_report_entered_with_a_reason(request, model):
    if model is SalesReport:
        return redirect("merchants_admin:report_enter")
    return None


@hooks.register("before_edit_snippet")
def sales_report_corrected_on_its_page(request, instance):
    if isinstance(instance, SalesReport):
        return redirect("merchants_admin:report", pk=instance.pk)
    return None


@hooks.register("before_delete_snippet")
def sales_reports_are_not_deleted(request, instances):
    if any(isinstance(instance, SalesReport) for instance in instances):
        messages.error(request, str(REPORT_NOT_DELETED))
        return redirect("wagtailsnippets_merchants_salesreport:list")
    return None


@hooks.register("after_create_snippet")
def shop_created(request, instance):
    _sync_verified(request, instance)


@hooks.register("after_edit_snippet")
def shop_edited(request, instance):
    _sync_verified(request, instance)


# --- Roles, /me/ and the mentor's trainee page ---------------------------------------------


@hooks.register("register_role_permissions")
def merchants_permissions():
    return {
        roles.OFFICE: [
            "merchants.add_shop",
            "merchants.change_shop",
            "merchants.view_shop",
            "merchants.view_salesreport",
            "merchants.view_orderexportformat",
            "merchants.change_orderexportformat",
            "merchants.add_cooperative",
            "merchants.change_cooperative",
            "merchants.delete_cooperative",
            "merchants.view_cooperative",
            "merchants.view_certificate",
            "merchants.change_countytargets",
            "merchants.change_certificatesignature",
        ]
    }


@hooks.register("register_me_section")
def shops_section(request):
    shops = Shop.objects.filter(owner=request.user).count()
    return MeSection(
        title=_("My shops and sales"),
        url=reverse("merchants:shops"),
        description=_(
            "Register your online shops, report monthly sales and see your sales trend; download your certificate."
        ),
        badge=str(shops) if shops else "",
        order=40,
    )


@hooks.register("mentors_trainee_panels")
def trainee_sales_panel(request, trainee):
    """The mentor sees their trainee's shops and sales trend on the trainee's page."""
    shops = list(owner_shops(owner=trainee))
    if not shops:
        return None
    last = periods.month_start(periods.today())
    first = periods.add_months(last, -11)
    points = monthly_sales(owner=trainee, first=first, last=last)
    chart = charts.sales_chart(
        points, title=_("Monthly sales, last %(n)s months") % {"n": 12}, chart_id=f"trainee-{trainee.pk}-sales"
    )
    return "merchants/includes/trainee_sales_panel.html", {"shops": shops, "chart": chart}


@hooks.register("mentors_area_tabs")
def mentor_sales_tab():
    return "sales", _("Sales to verify"), reverse("merchants:mentor_reports")


@hooks.register("register_demo_seed")
def merchants_demo_seed():
    from .demo import seed

    return 50, seed


@hooks.register("register_home_section")
def directory_home_section(request):
    """A few of the county's merchant shops on the home page, linking to the directory."""
    shops = list(directory_shops()[:6])
    if not shops:
        return None
    return HomeSection(template="merchants/includes/home_directory.html", context={"shops": shops}, order=70)


@hooks.register("register_export_tables")
def merchants_export_tables():
    return exports.EXPORT_TABLES
