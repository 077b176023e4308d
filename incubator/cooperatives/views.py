"""The cooperative's ledger on a phone: kept by the cooperative's leader, and by the county office.

Everything is under /me/cooperative/ (private, never stored). Another person's cooperative, or
a household that is not a member of the cooperative, is a 404."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.office import is_office_staff
from core.service_errors import add_service_errors
from incubator.merchants import periods

from .forms import FORMS, ExistingMemberForm, LeaveForm, NewMemberForm
from .models import Membership
from .selectors import ledger as ledger_selectors
from .selectors.access import keepable_cooperatives
from .services import households as household_services
from .services import ledger as ledger_services

LEDGER_ENTRIES_SHOWN = 40  # of inputs and of purchases on the ledger's page; a household's page has all

RECORD = {
    "input": ledger_services.record_input,
    "purchase": ledger_services.record_purchase,
    "sale": ledger_services.record_sale,
    "dividend": ledger_services.declare_dividend,
}
TITLES = {
    "input": gettext_lazy("Record inputs given"),
    "purchase": gettext_lazy("Record produce bought"),
    "sale": gettext_lazy("Record sales through a member's shop"),
    "dividend": gettext_lazy("Declare a year's dividend"),
}


def _cooperative(request, pk):
    return get_object_or_404(keepable_cooperatives(request.user), pk=pk)


def _year(request) -> int:
    today = periods.today()
    value = request.GET.get("year") or ""
    return int(value) if value.isdigit() and 2000 <= int(value) <= today.year + 1 else today.year


@login_required
def cooperative_list(request):
    cooperatives = list(keepable_cooperatives(request.user).order_by("township__code", "name"))
    if not cooperatives:
        raise Http404
    if len(cooperatives) == 1 and not is_office_staff(request.user):
        return redirect("cooperatives:ledger", pk=cooperatives[0].pk)
    return render(request, "cooperatives/cooperative_list.html", {"cooperatives": cooperatives})


@login_required
def ledger(request, pk):
    cooperative = _cooperative(request, pk)
    year = _year(request)
    memberships = ledger_selectors.members(cooperative=cooperative, year=year)
    current = [m for m in memberships if m.left_on is None]
    totals = {
        "purchases": sum((m.income.purchases for m in memberships), ledger_selectors.ZERO),
        "dividends": sum((m.income.dividends for m in memberships), ledger_selectors.ZERO),
        "inputs": sum((m.income.inputs for m in memberships), ledger_selectors.ZERO),
        "sales": ledger_selectors.year_sales(cooperative=cooperative, year=year),
    }
    # What the year's dividend is declared from: sales less what was paid for produce and inputs.
    totals["balance"] = totals["sales"] - totals["purchases"] - totals["inputs"]
    return render(
        request,
        "cooperatives/ledger.html",
        {
            "cooperative": cooperative,
            "year": year,
            "years": ledger_selectors.ledger_years(today=periods.today(), since=cooperative.founded_on),
            "memberships": memberships,
            "current_count": len(current),
            "poor_count": sum(1 for m in current if m.household.is_registered_poor),
            "totals": totals,
            "entries": ledger_selectors.entries(cooperative=cooperative, year=year, limit=LEDGER_ENTRIES_SHOWN),
            "entries_shown": LEDGER_ENTRIES_SHOWN,
        },
    )


@login_required
def household(request, pk, household_pk):
    cooperative = _cooperative(request, pk)
    memberships = list(
        Membership.objects.filter(cooperative=cooperative, household_id=household_pk).select_related(
            "household__village__township"
        )
    )
    if not memberships:
        raise Http404
    member = memberships[0].household
    year = _year(request)
    income = ledger_selectors.household_income(household_ids=[member.pk], cooperative_ids=[cooperative.pk])
    by_year = sorted(((key[2], value) for key, value in income.items()), reverse=True)
    return render(
        request,
        "cooperatives/household.html",
        {
            "cooperative": cooperative,
            "household": member,
            "memberships": memberships,
            "year": year,
            "by_year": by_year,
            "entries": ledger_selectors.entries(cooperative=cooperative, year=year, household=member),
        },
    )


@login_required
def member_new(request, pk):
    cooperative = _cooperative(request, pk)
    office = is_office_staff(request.user)
    form = NewMemberForm(request.POST or None, prefix="new")
    existing = ExistingMemberForm(request.POST or None, prefix="existing") if office else None
    if request.method == "POST":
        chosen = existing if office and request.POST.get("step") == "existing" else form
        if chosen.is_valid():
            data = chosen.cleaned_data
            try:
                with transaction.atomic():
                    found = False
                    if chosen is form:
                        member, found = household_services.household_for_new_member(
                            head_name=data["head_name"],
                            village=data["village"],
                            members=data["members"],
                            is_registered_poor=data["is_registered_poor"],
                            poor_since=data["poor_since"],
                            phone=data["phone"],
                            id_card=data["id_card"],
                            by=request.user,
                        )
                    else:
                        member = data["household"]
                    household_services.join_cooperative(
                        cooperative=cooperative,
                        household=member,
                        joined_on=data["joined_on"],
                        shares=data["shares"],
                        by=request.user,
                    )
            except ValidationError as error:
                add_service_errors(chosen, error)
            else:
                if found:
                    text = _("%(name)s was in the register already and is now a member household.")
                else:
                    text = _("%(name)s is now a member household.")
                messages.success(request, text % {"name": member.head_name})
                return redirect("cooperatives:ledger", pk=cooperative.pk)
        # What was typed in the form not sent stays empty; the sent one keeps everything.
        if chosen is form and existing is not None:
            existing = ExistingMemberForm(prefix="existing")
        elif chosen is existing:
            form = NewMemberForm(prefix="new")
    return render(
        request,
        "cooperatives/member_form.html",
        {"cooperative": cooperative, "form": form, "existing": existing},
        status=400 if request.method == "POST" else 200,
    )


@login_required
def member_leave(request, pk, membership_pk):
    cooperative = _cooperative(request, pk)
    membership = get_object_or_404(
        Membership.objects.select_related("household"), pk=membership_pk, cooperative=cooperative
    )
    form = LeaveForm(request.POST or None, instance=membership)
    if request.method == "POST" and form.is_valid():
        try:
            household_services.leave_cooperative(
                membership=membership,
                left_on=form.cleaned_data["left_on"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The membership has ended."))
            return redirect("cooperatives:ledger", pk=cooperative.pk)
    return render(
        request,
        "cooperatives/leave_form.html",
        {"cooperative": cooperative, "membership": membership, "form": form},
        status=400 if form.is_bound and form.errors else 200,
    )


def _kind(kind):
    if kind not in FORMS:
        raise Http404
    return kind


@login_required
def entry_new(request, pk, kind):
    cooperative = _cooperative(request, pk)
    form_class = FORMS[_kind(kind)]
    initial = {"year": periods.today().year - 1} if kind == "dividend" else None
    if kind != "dividend" and request.GET.get("household", "").isdigit():
        initial = {"household": int(request.GET["household"])}
    form = form_class(request.POST or None, cooperative=cooperative, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            RECORD[kind](cooperative=cooperative, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("Recorded in the ledger."))
            return redirect("cooperatives:ledger", pk=cooperative.pk)
    return render(
        request,
        "cooperatives/entry_form.html",
        {"cooperative": cooperative, "form": form, "title": TITLES[kind], "entry": None},
        status=400 if form.is_bound and form.errors else 200,
    )


@login_required
def entry_correct(request, pk, kind, entry_pk):
    cooperative = _cooperative(request, pk)
    model = ledger_services.CORRECTABLE[_kind(kind)][0]
    entry = get_object_or_404(model, pk=entry_pk, cooperative=cooperative)
    initial = {name: getattr(entry, name) for name in ledger_services.CORRECTABLE[kind][2]}
    form = FORMS[kind](request.POST or None, cooperative=cooperative, correcting=True, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        reason = data.pop("reason")
        try:
            ledger_services.correct_entry(kind=kind, entry=entry, by=request.user, reason=reason, **data)
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(request, _("The correction is recorded; the entry it replaces stays in the ledger."))
            return redirect("cooperatives:ledger", pk=cooperative.pk)
    return render(
        request,
        "cooperatives/entry_form.html",
        {"cooperative": cooperative, "form": form, "title": _("Correct an entry"), "entry": entry},
        status=400 if form.is_bound and form.errors else 200,
    )
