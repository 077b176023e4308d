"""The county office's review of applications, campaign figures and imports, in the Wagtail admin."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import export_jobs
from core import exports as spreadsheets
from core.office import office_required
from incubator.recruitment import exports, imports, selectors
from incubator.recruitment.filters import application_listing
from incubator.recruitment.forms import CohortChoiceForm, ImportForm, NoteForm, ScoreForm, StatusForm
from incubator.recruitment.models import (
    APPLICATION_TRANSITIONS,
    RUBRIC,
    Application,
    Cohort,
    RecruitmentCampaignPage,
)
from incubator.recruitment.services.review import (
    QuotaExceeded,
    add_note,
    bulk_change_status,
    change_application_status,
    score_application,
)
from incubator.recruitment.services.trainees import add_many_to_cohort, add_to_cohort

PER_PAGE = 50
IMPORT_SESSION_KEY = "recruitment-import"
BULK_ACTIONS = {
    "shortlist": Application.Status.SHORTLISTED,
    "interview": Application.Status.INTERVIEW,
    "accept": Application.Status.ACCEPTED,
    "waitlist": Application.Status.WAITLISTED,
    "reject": Application.Status.REJECTED,
}


def _bulk_labels():
    return [
        ("shortlist", _("Shortlist")),
        ("interview", _("Invite to interview")),
        ("accept", _("Accept")),
        ("waitlist", _("Waitlist")),
        ("reject", _("Reject")),
        ("cohort", _("Add to cohort")),
    ]


@office_required(permission="recruitment.view_application")
def application_index(request):
    """Filtered, searchable, sortable listing with counts, bulk actions and exports."""
    filterset, qs = application_listing(request.GET)
    if request.GET.get("export") in spreadsheets.FORMATS:
        # County scale is tens of thousands of rows: built in the background with the same filters.
        return export_jobs.start_from_listing(request, table=exports.APPLICATIONS)

    if request.method == "POST":
        return _bulk_action(request)

    counts = selectors.status_counts(qs)
    paginator = Paginator(qs, PER_PAGE)
    paginator.count = sum(counts.values())  # the same rows, already counted by status
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    campaign_ids = None
    if filterset.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data.get("campaign"):
        campaign_ids = [int(filterset.form.cleaned_data["campaign"])]
    return TemplateResponse(
        request,
        "recruitment/admin/application_index.html",
        {
            "filter": filterset,
            "page_obj": page,
            "applications": page.object_list,
            "counts": [(Application.Status(value).label, value, n) for value, n in counts.items()],
            "total": paginator.count,
            "query_string": query.urlencode(),
            "bulk_actions": _bulk_labels(),
            "cohort_form": CohortChoiceForm(campaign_ids=campaign_ids),
        },
    )


def _selected(request):
    ids = [int(pk) for pk in request.POST.getlist("ids") if pk.isdigit()]
    return list(Application.objects.filter(pk__in=ids).select_related("campaign", "village", "applicant"))


def _bulk_action(request):
    if not request.user.has_perm("recruitment.change_application"):
        raise PermissionDenied
    back = request.get_full_path()
    action = request.POST.get("action")
    applications = _selected(request)
    if not applications:
        messages.warning(request, _("Select at least one application."))
        return HttpResponseRedirect(back)
    if action == "cohort":
        form = CohortChoiceForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose the cohort to add the selected applicants to."))
            return HttpResponseRedirect(back)
        result = add_many_to_cohort(applications=applications, cohort=form.cleaned_data["cohort"], by=request.user)
        if result.added:
            messages.success(
                request,
                ngettext("%(n)d person added to the cohort.", "%(n)d people added to the cohort.", len(result.added))
                % {"n": len(result.added)},
            )
        for application, reason in result.refused:
            messages.error(request, f"{application.real_name}: {reason}")
        return HttpResponseRedirect(back)
    if action not in BULK_ACTIONS:
        messages.error(request, _("Choose an action."))
        return HttpResponseRedirect(back)
    try:
        result = bulk_change_status(
            applications=applications,
            to=BULK_ACTIONS[action],
            by=request.user,
            allow_over_quota=request.POST.get("confirm_over_quota") == "1",
        )
    except QuotaExceeded as exc:
        # Ask before going past the quota: the same form again, with the confirmation flag.
        return TemplateResponse(
            request,
            "recruitment/admin/confirm_over_quota.html",
            {"problems": exc.messages, "applications": applications, "action": action, "back": back},
        )
    if result.changed:
        messages.success(
            request,
            ngettext("%(n)d application changed.", "%(n)d applications changed.", len(result.changed))
            % {"n": len(result.changed)},
        )
    for application, reason in result.refused:
        messages.error(request, f"{application.real_name}: {reason}")
    return HttpResponseRedirect(back)


@office_required(permission="recruitment.view_application")
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("campaign", "village__township", "applicant"), pk=pk
    )
    # Only the applicant withdraws; the office chooses among the other next statuses.
    allowed = [s for s in APPLICATION_TRANSITIONS[application.status] if s != Application.Status.WITHDRAWN]
    status_form = StatusForm(allowed=allowed)
    score_form = ScoreForm(initial=application.scores)
    note_form = NoteForm()
    cohort_form = CohortChoiceForm(campaign_ids=[application.campaign_id])
    quota_problems = None
    if request.method == "POST":
        if not request.user.has_perm("recruitment.change_application"):
            raise PermissionDenied
        action = request.POST.get("action")
        try:
            if action == "status":
                status_form = StatusForm(request.POST, allowed=allowed)
                if status_form.is_valid():
                    change_application_status(
                        application=application,
                        to=status_form.cleaned_data["status"],
                        by=request.user,
                        note=status_form.cleaned_data["note"],
                        allow_over_quota=request.POST.get("confirm_over_quota") == "1",
                    )
                    messages.success(request, _("Status changed."))
                    return redirect("recruitment_admin:application_detail", application.pk)
            elif action == "score":
                score_form = ScoreForm(request.POST)
                if score_form.is_valid():
                    score_application(application=application, scores=score_form.cleaned_data, by=request.user)
                    messages.success(request, _("Scores saved."))
                    return redirect("recruitment_admin:application_detail", application.pk)
            elif action == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    add_note(application=application, author=request.user, text=note_form.cleaned_data["text"])
                    messages.success(request, _("Note added."))
                    return redirect("recruitment_admin:application_detail", application.pk)
            elif action == "cohort":
                cohort_form = CohortChoiceForm(request.POST, campaign_ids=[application.campaign_id])
                if cohort_form.is_valid():
                    add_to_cohort(application=application, cohort=cohort_form.cleaned_data["cohort"], by=request.user)
                    messages.success(request, _("Added to the cohort."))
                    return redirect("recruitment_admin:application_detail", application.pk)
        except QuotaExceeded as exc:
            quota_problems = exc.messages
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
    profile = getattr(application.applicant, "trainee_profile", None)
    return TemplateResponse(
        request,
        "recruitment/admin/application_detail.html",
        {
            "application": application,
            "answers": application.answer_rows(list(application.campaign.questions.all())),
            "products": list(application.products.all()),
            "history": list(application.events.select_related("by")),
            "notes": list(application.notes.select_related("author")),
            "profile": profile,
            "rubric": [(label, application.scores.get(key)) for key, label in RUBRIC],
            "status_form": status_form,
            "score_form": score_form,
            "note_form": note_form,
            "cohort_form": cohort_form,
            "quota_problems": quota_problems,
            "pending_status": request.POST.get("status", ""),
            "pending_note": request.POST.get("note", ""),
        },
    )


@office_required(permission="recruitment.view_application")
def campaign_index(request):
    campaigns = selectors.campaigns_with_counts(RecruitmentCampaignPage.objects.all()).annotate(
        application_count=Count("applications", distinct=True)
    )
    return TemplateResponse(request, "recruitment/admin/campaign_index.html", {"campaigns": list(campaigns)})


@office_required(permission="recruitment.view_application")
def campaign_figures(request, pk):
    campaign = get_object_or_404(RecruitmentCampaignPage, pk=pk)
    figures = selectors.campaign_figures(campaign=campaign)
    export = request.GET.get("export")
    if export in spreadsheets.FORMATS:
        return spreadsheets.spreadsheet_response(
            format=export,
            filename=f"campaign-{campaign.pk}-figures",
            header=None,
            rows=exports.figures_rows(figures),
            title=_("Figures"),
        )
    return TemplateResponse(request, "recruitment/admin/campaign_figures.html", figures)


@office_required(permission="recruitment.add_application")
def import_sheet(request):
    """Upload, dry run with each row's result, then the all-or-nothing import of the same rows."""
    form = ImportForm()
    report = None
    pending = request.session.get(IMPORT_SESSION_KEY)
    if request.method == "POST" and request.POST.get("step") == "import" and pending:
        campaign = get_object_or_404(RecruitmentCampaignPage, pk=pending["campaign"])
        cohort = Cohort.objects.filter(pk=pending["cohort"]).first() if pending["cohort"] else None
        report = imports.run_import(
            rows=pending["rows"], campaign=campaign, cohort=cohort, by=request.user, dry_run=False
        )
        if report.written:
            del request.session[IMPORT_SESSION_KEY]
            messages.success(
                request, ngettext("%(n)d row imported.", "%(n)d rows imported.", report.valid) % {"n": report.valid}
            )
            return redirect(reverse("recruitment_admin:application_index") + f"?campaign={campaign.pk}")
        messages.error(request, _("Nothing was imported: some rows have errors."))
    elif request.method == "POST":
        form = ImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                rows = imports.read_sheet(form.cleaned_data["sheet"])
            except ValidationError as exc:
                form.add_error("sheet", exc)
            else:
                campaign, cohort = form.cleaned_data["campaign"], form.cleaned_data["cohort"]
                report = imports.run_import(rows=rows, campaign=campaign, cohort=cohort, by=request.user, dry_run=True)
                request.session[IMPORT_SESSION_KEY] = {
                    "rows": rows,
                    "campaign": campaign.pk,
                    "cohort": cohort.pk if cohort else None,
                    "filename": form.cleaned_data["sheet"].name,
                }
                pending = request.session[IMPORT_SESSION_KEY]
    return TemplateResponse(
        request,
        "recruitment/admin/import.html",
        {"form": form, "report": report, "pending": pending if report else None},
    )
