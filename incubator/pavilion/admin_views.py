"""The office reviews the merchants' product proposals (Wagtail admin, office only)."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from core.office import office_required
from core.service_errors import add_service_errors
from incubator.pavilion import services

from .forms import RejectForm
from .models import ProductProposal


def _render(request, template, context, *, title, status=200):
    context = {"page_title": title, "header_title": title, "header_icon": "pick", **context}
    return TemplateResponse(request, template, context, status=status)


@office_required
def proposal_list(request):
    status = request.GET.get("status") or ProductProposal.Status.PENDING
    if status not in ProductProposal.Status.values:
        status = ProductProposal.Status.PENDING
    proposals = (
        ProductProposal.objects.filter(status=status)
        .select_related("proposer", "category", "village__township", "page")
        .order_by("created_at", "pk")[:100]
    )
    return _render(
        request,
        "pavilion/admin/proposals.html",
        {"proposals": list(proposals), "status": status, "statuses": ProductProposal.Status.choices},
        title=_("Product proposals"),
    )


@office_required
def proposal_detail(request, pk):
    proposal = get_object_or_404(
        ProductProposal.objects.select_related("proposer", "category", "village__township", "page"), pk=pk
    )
    form = RejectForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "accept":
                proposal = services.accept_proposal(proposal=proposal, by=request.user)
                messages.success(request, _("Accepted: a draft page was created for you to complete."))
                return redirect("wagtailadmin_pages:edit", proposal.page_id)
            if form.is_valid():
                services.reject_proposal(proposal=proposal, by=request.user, reason=form.cleaned_data["reason"])
                messages.success(request, _("The proposal was rejected and its proposer told why."))
                return redirect("pavilion_admin:proposals")
        except ValidationError as error:
            add_service_errors(form, error)
    return _render(request, "pavilion/admin/proposal.html", {"proposal": proposal, "form": form}, title=proposal.name)
