"""A merchant proposes a product for the pavilion and follows their proposals (under /me/)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from core.service_errors import add_service_errors
from incubator.pavilion import services

from .forms import ProposalForm
from .models import ProductProposal


@login_required
def my_proposals(request):
    proposals = ProductProposal.objects.filter(proposer=request.user).select_related("category", "page")
    return render(
        request,
        "pavilion/my_proposals.html",
        {"proposals": list(proposals[:50]), "can_propose": services.can_propose(request.user)},
    )


@login_required
def propose(request):
    if not services.can_propose(request.user):
        return render(request, "pavilion/propose.html", {"form": None}, status=200)
    form = ProposalForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.propose_product(proposer=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Thank you: the office will review your proposal."))
            return redirect("pavilion:my_proposals")
    return render(request, "pavilion/propose.html", {"form": form})
