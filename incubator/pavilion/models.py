"""The county's specialty pavilion (特色馆): Wagtail pages of its products, curated by the
office, and the merchants' proposals of a product for it."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.models import Orderable, Page
from wagtail.search import index

from core.pages import ViewRestrictionsInOneQueryMixin


class PavilionIndexPage(ViewRestrictionsInOneQueryMixin, Page):
    """The pavilion's front: every product, filtered by category and township."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["incubator.HomePage"]
    subpage_types = ["pavilion.PavilionProductPage"]
    max_count = 1

    class Meta:
        verbose_name = _("specialty pavilion")

    def get_context(self, request, *args, **kwargs):
        from incubator.pavilion.page_serving import index_context

        context = super().get_context(request, *args, **kwargs)
        context.update(index_context(page=self, request=request))
        return context


class PavilionProductPage(ViewRestrictionsInOneQueryMixin, Page):
    """One specialty product: where it comes from, when, its story and the shops that sell it."""

    category = models.ForeignKey(
        "core.ProductCategory", on_delete=models.PROTECT, related_name="pavilion_pages", verbose_name=_("category")
    )
    origin_townships = ParentalManyToManyField(
        "core.Township", blank=True, related_name="pavilion_pages", verbose_name=_("origin townships")
    )
    origin_villages = ParentalManyToManyField(
        "core.Village", blank=True, related_name="pavilion_pages", verbose_name=_("origin villages")
    )
    season = models.CharField(
        _("season"), max_length=80, blank=True, help_text=_("When it is sold, for example: November to February.")
    )
    story = models.TextField(_("short story"), max_length=1200, blank=True)
    featured = models.BooleanField(_("feature on the home page"), default=False)

    content_panels = Page.content_panels + [
        FieldPanel("category"),
        MultiFieldPanel([FieldPanel("origin_townships"), FieldPanel("origin_villages")], heading=_("Origin")),
        FieldRowPanel([FieldPanel("season"), FieldPanel("featured")]),
        FieldPanel("story"),
        InlinePanel("photos", label=_("Photos"), max_num=6),
    ]
    search_fields = Page.search_fields + [index.SearchField("story")]
    parent_page_types = ["pavilion.PavilionIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("specialty product")
        verbose_name_plural = _("specialty products")

    def get_context(self, request, *args, **kwargs):
        from incubator.pavilion.page_serving import product_context

        context = super().get_context(request, *args, **kwargs)
        context.update(product_context(page=self))
        return context


class PavilionPhoto(Orderable):
    page = ParentalKey(PavilionProductPage, on_delete=models.CASCADE, related_name="photos")
    image = models.ForeignKey(
        "wagtailimages.Image", on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("image")
    )
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    panels = [FieldPanel("image"), FieldPanel("caption")]


class ProductProposal(models.Model):
    """A merchant proposes a product for the pavilion; the office accepts it (a draft page is
    made for the office to finish) or rejects it with a reason."""

    class Status(models.TextChoices):
        PENDING = "pending", _("awaiting review")
        ACCEPTED = "accepted", _("accepted")
        REJECTED = "rejected", _("rejected")

    proposer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="pavilion_proposals",
        verbose_name=_("proposer"),
    )
    name = models.CharField(_("product name"), max_length=120)
    category = models.ForeignKey(
        "core.ProductCategory", on_delete=models.PROTECT, related_name="+", verbose_name=_("category")
    )
    village = models.ForeignKey(
        "core.Village",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("village of origin"),
    )
    season = models.CharField(_("season"), max_length=80, blank=True)
    story = models.TextField(_("what makes it special"), max_length=1200)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    page = models.ForeignKey(
        PavilionProductPage, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("page")
    )
    created_at = models.DateTimeField(_("proposed"), auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("product proposal")
        verbose_name_plural = _("product proposals")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="rejected") | ~Q(reason=""), name="productproposal_rejected_needs_reason"
            )
        ]

    def __str__(self):
        return self.name


@register_setting(icon="pick")
class PavilionTargets(BaseGenericSetting):
    """The county's target for the pavilion ("200 specialty products")."""

    products_target = models.PositiveIntegerField(_("specialty products in the pavilion"), default=200)

    panels = [FieldPanel("products_target")]

    class Meta:
        verbose_name = _("pavilion target")
