"""Merchants propose a product for the pavilion; the office accepts (a draft page is created
under the pavilion for the office to complete and publish) or rejects with a reason. The
proposer is notified either way."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext_lazy as _

from core import notifications
from incubator.pavilion.models import PavilionIndexPage, PavilionProductPage, ProductProposal

ERROR_NOT_A_MERCHANT = _("Only a merchant with a registered shop can propose a product.")
ERROR_NOT_PENDING = _("This proposal has been reviewed already.")
ERROR_REASON_NEEDED = _("Say why the proposal is not accepted.")
ERROR_NO_PAVILION = _("Create the pavilion page first: the accepted product's draft goes under it.")


def can_propose(user) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and user.shops.exists()


@transaction.atomic
def propose_product(*, proposer, name: str, category, story: str, village=None, season: str = "") -> ProductProposal:
    if not can_propose(proposer):
        raise PermissionDenied(ERROR_NOT_A_MERCHANT)
    proposal = ProductProposal(
        proposer=proposer, name=name.strip(), category=category, story=story.strip(), village=village, season=season
    )
    proposal.full_clean()
    proposal.save()
    return proposal


def _locked_pending(proposal) -> ProductProposal:
    proposal = ProductProposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != ProductProposal.Status.PENDING:
        raise ValidationError(ERROR_NOT_PENDING)
    return proposal


def _unique_slug(parent, name: str, pk: int) -> str:
    base = slugify(name, allow_unicode=True)[:60] or f"product-{pk}"
    slug, n = base, 1
    while parent.get_children().filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def accept_proposal(*, proposal: ProductProposal, by) -> ProductProposal:
    """Accept: a draft product page (not live) under the pavilion, linked to the proposal."""
    proposal = _locked_pending(proposal)
    parent = PavilionIndexPage.objects.first()
    if parent is None:
        raise ValidationError(ERROR_NO_PAVILION)
    page = PavilionProductPage(
        title=proposal.name,
        slug=_unique_slug(parent, proposal.name, proposal.pk),
        category=proposal.category,
        season=proposal.season,
        story=proposal.story,
        live=False,
    )
    if proposal.village_id:
        page.origin_villages = [proposal.village]
        page.origin_townships = [proposal.village.township]
    parent.add_child(instance=page)
    page.save_revision(user=by, log_action=True)
    proposal.status, proposal.page = ProductProposal.Status.ACCEPTED, page
    proposal.reviewed_by, proposal.reviewed_at = by, timezone.now()
    proposal.save(update_fields=["status", "page", "reviewed_by", "reviewed_at"])
    notifications.notify(
        recipient=proposal.proposer,
        kind="pavilion_proposal_accepted",
        title=notifications.message(_("Your product %(name)s will join the county's pavilion"), name=proposal.name),
        body=_("The office is preparing its page; it will be published soon."),
        url=reverse("pavilion:my_proposals"),
    )
    return proposal


@transaction.atomic
def reject_proposal(*, proposal: ProductProposal, by, reason: str) -> ProductProposal:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REASON_NEEDED})
    proposal = _locked_pending(proposal)
    proposal.status, proposal.reason = ProductProposal.Status.REJECTED, reason
    proposal.reviewed_by, proposal.reviewed_at = by, timezone.now()
    proposal.save(update_fields=["status", "reason", "reviewed_by", "reviewed_at"])
    notifications.notify(
        recipient=proposal.proposer,
        kind="pavilion_proposal_rejected",
        title=notifications.message(_("Your product %(name)s was not added to the pavilion"), name=proposal.name),
        body=reason,
        url=reverse("pavilion:my_proposals"),
    )
    return proposal
