from django.conf import settings
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from core import export_views, notifications, roles, security
from core.me import MeSection
from core.models import ProductCategory, SMSMessage, SMSTemplate, Township, Village


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


class SMSTemplateViewSet(SnippetViewSet):
    """The texts registered with the SMS providers and their template codes (core/sms)."""

    model = SMSTemplate
    icon = "mail"
    list_display = ["key", "description", "text", "tencent_template_id", "aliyun_template_code"]
    search_fields = ["key", "text"]


class SMSMessageViewSet(SnippetViewSet):
    """Every text message sent or refused, with the provider's answer and the delivery receipt."""

    model = SMSMessage
    icon = "list-ul"
    list_display = ["created_at", "template_key", "backend", "status", "outcome", "error_code", "receipt_code"]
    list_filter = ["status", "outcome", "backend", "template_key"]
    inspect_view_enabled = True
    add_to_admin_menu = False


class TextMessagesGroup(SnippetViewSetGroup):
    menu_label = gettext_lazy("Text messages")
    menu_icon = "mail"
    menu_order = 310
    items = (SMSTemplateViewSet, SMSMessageViewSet)


register_snippet(TextMessagesGroup)


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


class SecondFactorPanel(Component):
    """On the admin home: whether the office must use a second factor here, and whether this person does."""

    name = "second_factor"
    template_name = "core/admin/second_factor_panel.html"
    order = 10

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        user = parent_context["request"].user
        context.update(
            required=settings.STAFF_MFA_REQUIRED,
            has_second_factor=security.has_second_factor(user),
            manage_url=reverse("mfa_index"),
        )
        return context


@hooks.register("construct_homepage_panels")
def add_second_factor_panel(request, panels):
    if roles.is_office(request.user):  # office staff and superusers
        panels.append(SecondFactorPanel())


# --- Exports (core/export_jobs.py): the page of background exports with their progress --------

export_urlpatterns = [
    path("", export_views.export_list, name="index"),
    path("new/", export_views.export_request, name="request"),
    path("<int:pk>/download/", export_views.export_download, name="download"),
]


@hooks.register("register_admin_urls")
def register_export_urls():
    return [path("exports/", include((export_urlpatterns, "exports"), namespace="exports"))]
