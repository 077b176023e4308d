from django.db import models
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from core.home import home_sections
from core.pages import DirectRouteMixin, ViewRestrictionsInOneQueryMixin
from incubator.blocks import ContentStreamBlock


class HomePage(DirectRouteMixin, ViewRestrictionsInOneQueryMixin, Page):
    """The county's front page: a hero and sections, then live campaigns and courses."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    parent_page_types = ["wagtailcore.Page"]
    max_count = 1

    class Meta:
        verbose_name = _("home page")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["home_sections"] = home_sections(request)
        return context


class ContentPage(ViewRestrictionsInOneQueryMixin, Page):
    """A generic page: about the programme, contact, policies."""

    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(ContentStreamBlock(), blank=True, verbose_name=_("body"))

    content_panels = Page.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["incubator.HomePage", "incubator.ContentPage"]
    subpage_types = ["incubator.ContentPage"]

    class Meta:
        verbose_name = _("content page")
