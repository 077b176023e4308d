from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy

from wagtail import hooks

from core import roles
from core.cache_families import PAVILION_FIGURES
from core.home import HomeSection
from core.office import OfficeMenuItem

from . import admin_views, selectors
from .models import PavilionTargets, ProductProposal

admin_urlpatterns = [
    path("", admin_views.proposal_list, name="proposals"),
    path("<int:pk>/", admin_views.proposal_detail, name="proposal"),
]


@hooks.register("register_admin_urls")
def register_admin_urls():
    return [path("pavilion/", include((admin_urlpatterns, "pavilion_admin"), namespace="pavilion_admin"))]


@hooks.register("register_admin_menu_item")
def register_proposals_menu():
    return OfficeMenuItem(
        gettext_lazy("Product proposals"), "/admin/pavilion/", name="pavilion-proposals", icon_name="pick", order=170
    )


@hooks.register("register_home_section")
def featured_products_section(request):
    """A few of the pavilion's products on the home page."""
    products = list(selectors.featured_products())
    if not products:
        return None
    index = products[0].get_parent()
    return HomeSection(
        template="pavilion/includes/home_featured.html",
        context={"products": products, "index_url": index.get_url(request)},
        order=60,
    )


@hooks.register("register_county_dashboard_section")
def pavilion_dashboard_section(request, *, year, township, targets):
    from incubator.merchants import dashboard_cache

    def compute():
        target = PavilionTargets.load().products_target
        count = selectors.product_count()
        return {
            "count": count,
            "target": target,
            "percent": min(100, count * 100 // target) if target else 100,
            "pending": ProductProposal.objects.filter(status=ProductProposal.Status.PENDING).count(),
            "proposals_url": reverse("pavilion_admin:proposals"),
        }

    # Kept under its own family: the sales reports that drop the rest of the dashboard do not
    # change it (core/cache_families.py, PAVILION_FIGURES).
    template, context = dashboard_cache.section(
        name="pavilion", template="pavilion/admin/dashboard_section.html", compute=compute, family=PAVILION_FIGURES
    )
    return 30, template, context


@hooks.register("register_demo_seed")
def pavilion_demo_seed():
    from .demo import seed

    return 70, seed


@hooks.register("register_role_permissions")
def pavilion_permissions():
    # Product pages are edited with the office's page permissions (core.roles); the target here.
    return {roles.OFFICE: ["pavilion.change_paviliontargets"]}
