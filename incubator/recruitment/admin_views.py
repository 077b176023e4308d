"""The county office's review of applications, campaign figures and imports, in the Wagtail admin."""

from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from core import export_jobs, history
from core import exports as spreadsheets
from core.choices import village_choices
from core.links import row_urls
from core.office import office_required
from core.suggestions import suggestions_response
from incubator.recruitment import exports, imports, selectors
from incubator.recruitment.filters import application_listing
from incubator.recruitment.forms import (
    BulkActionForm,
    CohortChoiceForm,
    ImportForm,
    NoteForm,
    QuestionForm,
    ReviewersForm,
    ScoreForm,
    StatusForm,
)
from incubator.recruitment.models import (
    APPLICATION_TRANSITIONS,
    RUBRIC,
    Application,
    Cohort,
    RecruitmentCampaignPage,
)
from incubator.recruitment.services.information import request_information
from incubator.recruitment.services.review import (
    CAMPAIGN_FULL,
    VILLAGE_PLACES_TAKEN,
    QuotaExceeded,
    add_note,
    bulk_change_status,
    change_application_status,
    dry_run,
)
from incubator.recruitment.services.reviewers import assign_reviewers, remove_reviewer, score_application
from incubator.recruitment.services.trainees import add_many_to_cohort, add_to_cohort

PER_PAGE = 50
IMPORT_SESSION_KEY = "recruitment-import"
STATUS_ACTIONS = {
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
        (BulkActionForm.COHORT, _("Add to cohort")),
        (BulkActionForm.ASSIGN, _("Assign reviewers")),
    ]


def _listing_campaign_ids(filterset):
    if filterset.is_bound and filterset.form.is_valid() and filterset.form.cleaned_data.get("campaign"):
        return [int(filterset.form.cleaned_data["campaign"])]
    return None


@office_required(permission="recruitment.view_application")
def application_index(request):
    """Filtered, searchable, sortable listing with counts, bulk decisions and exports."""
    filterset, qs = application_listing(request.GET, user=request.user)
    if request.GET.get("export") in spreadsheets.FORMATS:
        # County scale is tens of thousands of rows: built in the background with the same filters.
        return export_jobs.start_from_listing(request, table=exports.APPLICATIONS)

    campaign_ids = _listing_campaign_ids(filterset)
    bulk_form = BulkActionForm(actions=_bulk_labels(), campaign_ids=campaign_ids)
    if request.method == "POST":
        if not request.user.has_perm("recruitment.change_application"):
            raise PermissionDenied
        bulk_form = BulkActionForm(request.POST, actions=_bulk_labels(), campaign_ids=campaign_ids)
        if bulk_form.is_valid():
            return _bulk_decision(request, bulk_form)
        # Invalid: the listing again, the reason in the page, the rows still ticked.

    counts = selectors.status_counts(qs)
    paginator = Paginator(selectors.with_listed_relations(qs), PER_PAGE)
    paginator.count = sum(counts.values())  # the same rows, already counted by status
    page = paginator.get_page(request.GET.get("page"))
    applications = list(page.object_list)
    # Each status's label translated once for the page, not looked up in the choices per row.
    status_labels = {value: str(label) for value, label in Application.Status.choices}
    detail_url = row_urls("recruitment_admin:application_detail")
    for application in applications:
        application.detail_url = detail_url(application.pk)
        application.listed_products = selectors.listed_products(application)
        application.listed_reviewers = selectors.listed_reviewers(application)
        application.status_label = status_labels[application.status]
    query = request.GET.copy()
    query.pop("page", None)
    return TemplateResponse(
        request,
        "recruitment/admin/application_index.html",
        {
            "filter": filterset,
            "page_obj": page,
            "applications": applications,
            "counts": [(Application.Status(value).label, value, n) for value, n in counts.items()],
            "total": paginator.count,
            "query_string": query.urlencode(),
            "bulk_form": bulk_form,
            "selected_ids": set(bulk_form.selected_ids()) if bulk_form.is_bound else set(),
            "reviewer_choices": list(selectors.office_reviewers()),
            "selected_reviewers": {int(pk) for pk in request.POST.getlist("reviewers") if pk.isdigit()},
        },
    )


SUGGESTED = {"cohort": selectors.cohort_choices, "village": village_choices}


@office_required(permission="recruitment.view_application")
def application_filter_suggestions(request, kind):
    """What the listing's cohort and village search boxes suggest as the office types."""
    if kind not in SUGGESTED:
        raise Http404
    return suggestions_response(SUGGESTED[kind](), request.GET.get("q", ""))


@dataclass
class Outcome:
    """What a bulk decision did (or would do): the rows done, and the rows skipped by reason."""

    done: list
    skipped: list[tuple[Application, str]]

    def skipped_by_reason(self) -> list[tuple[str, list[Application]]]:
        groups: dict[str, list[Application]] = {}
        for application, reason in self.skipped:
            groups.setdefault(reason, []).append(application)
        return list(groups.items())


def _run(request, form, *, allow_over_quota: bool) -> Outcome:
    action, applications = form.cleaned_data["action"], form.applications
    if action == BulkActionForm.COHORT:
        result = add_many_to_cohort(applications=applications, cohort=form.cleaned_data["cohort"], by=request.user)
        return Outcome(result.added, result.refused)
    if action == BulkActionForm.ASSIGN:
        result = assign_reviewers(applications=applications, reviewers=form.cleaned_data["reviewers"], by=request.user)
        return Outcome(result.assigned, result.refused)
    result = bulk_change_status(
        applications=applications, to=STATUS_ACTIONS[action], by=request.user, allow_over_quota=allow_over_quota
    )
    outcome = Outcome(result.changed, result.refused)
    cohort = form.cleaned_data.get("cohort")
    if action == BulkActionForm.ACCEPT and cohort is not None and result.changed:
        placed = add_many_to_cohort(applications=result.changed, cohort=cohort, by=request.user)
        outcome.skipped += [(a, f"{_('accepted, not added to the cohort')}: {reason}") for a, reason in placed.refused]
    return outcome


def _bulk_decision(request, form):
    """Say what the decision will do, and to how many, before doing it; then do it and report."""
    back = request.get_full_path()
    action = form.cleaned_data["action"]
    label = dict(_bulk_labels())[action]
    allow_over_quota = request.POST.get("confirm_over_quota") == "1"
    if request.POST.get("step") != "confirm":
        preview = dry_run(lambda: _run(request, form, allow_over_quota=False))
        quota_skips = [a for a, reason in preview.skipped if reason in (str(CAMPAIGN_FULL), str(VILLAGE_PLACES_TAKEN))]
        return TemplateResponse(
            request,
            "recruitment/admin/confirm_bulk.html",
            {
                "label": label,
                "form": form,
                "applications": form.applications,
                "preview": preview,
                "quota_skips": quota_skips,
                "back": back,
                "ids": [a.pk for a in form.applications],
            },
        )
    outcome = _run(request, form, allow_over_quota=allow_over_quota)
    summary = ngettext(
        "%(action)s: %(done)d done, %(skipped)d skipped (of %(total)d selected).",
        "%(action)s: %(done)d done, %(skipped)d skipped (of %(total)d selected).",
        len(form.applications),
    ) % {"action": label, "done": len(outcome.done), "skipped": len(outcome.skipped), "total": len(form.applications)}
    (messages.success if outcome.done else messages.warning)(request, summary)
    for reason, rows in outcome.skipped_by_reason():
        messages.warning(
            request,
            ngettext("%(n)d skipped: %(reason)s (%(names)s).", "%(n)d skipped: %(reason)s (%(names)s).", len(rows))
            % {"n": len(rows), "reason": reason, "names": "、".join(a.real_name for a in rows)},
        )
    return HttpResponseRedirect(back)


@office_required(permission="recruitment.view_application")
def application_detail(request, pk):
    application = get_object_or_404(
        Application.objects.select_related("campaign", "village__township", "applicant"), pk=pk
    )
    # Only the applicant withdraws; a question has its own form.
    allowed = [
        s
        for s in APPLICATION_TRANSITIONS[application.status]
        if s not in (Application.Status.WITHDRAWN, Application.Status.INFO_REQUESTED)
    ]
    can_ask = Application.Status.INFO_REQUESTED in APPLICATION_TRANSITIONS[application.status]
    reviewers = list(application.reviewers.order_by("real_name", "pk"))
    review_scores = list(application.review_scores.select_related("reviewer"))
    mine = next((score for score in review_scores if score.reviewer_id == request.user.pk), None)
    status_form = StatusForm(allowed=allowed)
    score_form = ScoreForm(initial=mine.scores if mine else None)
    note_form = NoteForm()
    question_form = QuestionForm()
    reviewers_form = ReviewersForm(exclude=reviewers)
    cohort_form = CohortChoiceForm(campaign_ids=[application.campaign_id])
    quota_problems = None
    if request.method == "POST":
        if not request.user.has_perm("recruitment.change_application"):
            raise PermissionDenied
        action = request.POST.get("action")
        done = None
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
                    done = _("Status changed.")
            elif action == "score":
                score_form = ScoreForm(request.POST)
                if score_form.is_valid():
                    score_application(application=application, scores=score_form.cleaned_data, by=request.user)
                    done = _("Your scores are saved.")
            elif action == "note":
                note_form = NoteForm(request.POST)
                if note_form.is_valid():
                    add_note(application=application, author=request.user, text=note_form.cleaned_data["text"])
                    done = _("Note added.")
            elif action == "question":
                question_form = QuestionForm(request.POST)
                if question_form.is_valid():
                    request_information(
                        application=application, question=question_form.cleaned_data["question"], by=request.user
                    )
                    done = _("The question is sent; the application is open for the applicant to answer.")
            elif action == "reviewers":
                reviewers_form = ReviewersForm(request.POST, exclude=reviewers)
                if reviewers_form.is_valid():
                    if not reviewers_form.cleaned_data["reviewers"]:
                        reviewers_form.add_error("reviewers", _("Choose at least one reviewer."))
                    else:
                        assign_reviewers(
                            applications=[application],
                            reviewers=reviewers_form.cleaned_data["reviewers"],
                            by=request.user,
                        )
                        done = _("Reviewers assigned.")
            elif action == "remove_reviewer":
                reviewer = next((r for r in reviewers if str(r.pk) == request.POST.get("reviewer")), None)
                if reviewer is not None:
                    remove_reviewer(application=application, reviewer=reviewer, by=request.user)
                    done = _("Reviewer removed.")
            elif action == "cohort":
                cohort_form = CohortChoiceForm(request.POST, campaign_ids=[application.campaign_id])
                if cohort_form.is_valid():
                    add_to_cohort(application=application, cohort=cohort_form.cleaned_data["cohort"], by=request.user)
                    done = _("Added to the cohort.")
        except QuotaExceeded as exc:
            quota_problems = exc.messages
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        if done is not None:
            messages.success(request, done)
            return redirect("recruitment_admin:application_detail", application.pk)
    profile = getattr(application.applicant, "trainee_profile", None)
    totals = [score.total for score in review_scores]
    return TemplateResponse(
        request,
        "recruitment/admin/application_detail.html",
        {
            "application": application,
            "answers": application.answer_rows(list(application.campaign.questions.all())),
            "products": list(application.products.all()),
            "history": list(application.events.select_related("by")),
            "changes": history.entries(application),
            "rounds": selectors.information_rounds(application=application),
            "notes": list(application.notes.select_related("author")),
            "profile": profile,
            "reviewers": reviewers,
            "review_scores": review_scores,
            "rubric": RUBRIC,
            "mean_score": sum(totals) / len(totals) if totals else None,
            "status_form": status_form,
            "score_form": score_form,
            "note_form": note_form,
            "question_form": question_form if can_ask else None,
            "reviewers_form": reviewers_form,
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
