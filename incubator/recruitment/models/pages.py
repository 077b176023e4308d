"""Wagtail pages of recruitment: the campaign index at /recruit/ and one page per campaign.

A campaign's application window is separate from the page's publication: a page can be live
for weeks before applications open, and stay live after they close.
"""

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.forms.models import AbstractFormField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Page
from wagtail.search import index

from core.pages import ViewRestrictionsInOneQueryMixin
from incubator.recruitment.blocks import CampaignStreamBlock


class RecruitmentIndexPage(ViewRestrictionsInOneQueryMixin, Page):
    """/recruit/: the open, upcoming and past campaigns."""

    intro = models.TextField(_("introduction"), blank=True)

    content_panels = Page.content_panels + [FieldPanel("intro")]
    parent_page_types = ["incubator.HomePage"]
    subpage_types = ["recruitment.RecruitmentCampaignPage"]
    max_count = 1

    class Meta:
        verbose_name = _("recruitment index page")

    def get_context(self, request, *args, **kwargs):
        from incubator.recruitment import selectors

        context = super().get_context(request, *args, **kwargs)
        context.update(selectors.campaign_listing(parent=self))
        return context


class RecruitmentCampaignPage(ViewRestrictionsInOneQueryMixin, RoutablePageMixin, Page):
    """One recruitment campaign: who is wanted, how many, when to apply, and the form's questions."""

    class Kind(models.TextChoices):
        VILLAGE_PARTNER = "village_partner", _("Village e-commerce partner")
        ONLINE_MERCHANT = "online_merchant", _("Online merchant")
        COOPERATIVE_LEADER = "cooperative_leader", _("Cooperative leader")

    class State(models.TextChoices):
        NOT_YET_OPEN = "not_yet_open", _("Not yet open")
        OPEN = "open", _("Open for applications")
        CLOSED = "closed", _("Closed")
        FULL = "full", _("Full")

    kind = models.CharField(_("kind of campaign"), max_length=30, choices=Kind.choices, default=Kind.VILLAGE_PARTNER)
    intro = models.TextField(_("introduction"), blank=True, help_text=_("One or two sentences shown in lists."))
    body = StreamField(CampaignStreamBlock(), blank=True, verbose_name=_("body"))
    eligibility = RichTextField(_("who can apply"), blank=True, features=["bold", "italic", "ol", "ul", "link"])
    eligible_townships = ParentalManyToManyField(
        "core.Township",
        blank=True,
        related_name="+",
        verbose_name=_("eligible townships"),
        help_text=_(
            "Every village of these townships may apply. Leave both lists empty to open the campaign to the whole county."
        ),
    )
    eligible_villages = ParentalManyToManyField(
        "core.Village",
        blank=True,
        related_name="+",
        verbose_name=_("eligible villages"),
        help_text=_("Single villages that may apply, in addition to the townships above."),
    )
    quota = models.PositiveIntegerField(
        _("places"), default=60, help_text=_("How many applicants can be accepted in all.")
    )
    quota_per_village = models.PositiveSmallIntegerField(
        _("places per village"),
        null=True,
        blank=True,
        help_text=_("Optional: at most this many accepted applicants from one village (1 = one partner per village)."),
    )
    opens_at = models.DateTimeField(_("applications open"))
    closes_at = models.DateTimeField(_("applications close"))
    thank_you_text = RichTextField(_("message after applying"), blank=True, features=["bold", "italic", "link"])

    content_panels = Page.content_panels + [
        FieldPanel("kind"),
        FieldPanel("intro"),
        FieldPanel("body"),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("opens_at"), FieldPanel("closes_at")]),
                FieldRowPanel([FieldPanel("quota"), FieldPanel("quota_per_village")]),
            ],
            heading=_("Application window and places"),
        ),
        MultiFieldPanel(
            [FieldPanel("eligibility"), FieldPanel("eligible_townships"), FieldPanel("eligible_villages")],
            heading=_("Eligibility"),
        ),
        InlinePanel("questions", label=_("Extra questions"), heading=_("Extra questions of the application form")),
        FieldPanel("thank_you_text"),
    ]
    search_fields = Page.search_fields + [index.SearchField("intro"), index.SearchField("body")]
    parent_page_types = ["recruitment.RecruitmentIndexPage"]
    subpage_types: list[str] = []

    class Meta:
        verbose_name = _("recruitment campaign")
        verbose_name_plural = _("recruitment campaigns")

    def clean(self):
        from django.core.exceptions import ValidationError

        super().clean()
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            raise ValidationError({"closes_at": _("Applications must close after they open.")})

    def window_state(self, now=None) -> str:
        now = now or timezone.now()
        if now < self.opens_at:
            return self.State.NOT_YET_OPEN
        if now >= self.closes_at:
            return self.State.CLOSED
        return self.State.OPEN

    def state(self, *, accepted: int, now=None) -> str:
        """Open, not yet open, closed or full, given how many applicants are accepted."""
        window = self.window_state(now)
        if window == self.State.OPEN and accepted >= self.quota:
            return self.State.FULL
        return window

    def places_left(self, *, accepted: int) -> int:
        return max(self.quota - accepted, 0)

    @path("")
    def campaign(self, request):
        from incubator.recruitment import selectors

        context = self.get_context(request)
        context.update(selectors.campaign_summary(campaign=self, user=request.user))
        return self.render(request, context_overrides=context)

    @path("apply/")
    def apply(self, request):
        from incubator.recruitment.page_serving import apply_to_campaign

        return apply_to_campaign(request, self)


class CampaignQuestion(AbstractFormField):
    """An extra question of a campaign's form, built by editors like Wagtail's form builder."""

    page = ParentalKey(RecruitmentCampaignPage, on_delete=models.CASCADE, related_name="questions")

    class Meta(AbstractFormField.Meta):
        verbose_name = _("extra question")
        verbose_name_plural = _("extra questions")
