from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import notifications
from core.me import MeSection
from core.models import ProductCategory, Township, Village


class TownshipViewSet(SnippetViewSet):
    model = Township
    icon = "site"
    list_display = ["name", "name_en", "code"]
    search_fields = ["name", "name_en", "code"]


class VillageViewSet(SnippetViewSet):
    model = Village
    icon = "home"
    list_display = ["name", "name_en", "township", "code"]
    list_filter = ["township"]
    search_fields = ["name", "name_en", "code"]


class ProductCategoryViewSet(SnippetViewSet):
    model = ProductCategory
    icon = "tag"
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]


class PlacesAndProductsGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Places and products")
    menu_icon = "site"
    menu_order = 300
    items = (TownshipViewSet, VillageViewSet, ProductCategoryViewSet)


register_snippet(PlacesAndProductsGroup)


@hooks.register("register_me_section")
def notifications_section(request):
    unread = notifications.unread_count(request.user)
    return MeSection(
        title=_("Notifications"),
        url=reverse("core:notifications"),
        description=_("Messages about your applications, tasks and certificates."),
        badge=str(unread) if unread else "",
        order=80,
    )


@hooks.register("register_me_section")
def profile_section(request):
    return MeSection(
        title=_("Profile and account"),
        url=reverse("core:profile"),
        description=_("Your name, village, products, language, phone and password."),
        order=90,
    )
