"""The mentor area (/mentor/), its invitation links, and a trainee's view of their mentor (/me/mentor/).

Views are thin: reads from `selectors`, changes through `services`. A mentor sees only people
they mentor now (full) or mentored before (read-only); anything else is a 404.
"""

from functools import wraps

from allauth.account.forms import SetPasswordForm
from allauth.account.utils import perform_login
from allauth.core import ratelimit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from wagtail import hooks

from core import roles
from core.links import row_urls
from core.service_errors import add_service_errors
from courses import services as course_services
from courses.forms import QuizAttemptGrantForm
from courses.models import LessonPage, LessonProgress, QuizAttempt
from mentors.selectors import mentor_area, trainee_file
from mentors.services import recommendations as recommendation_services
from mentors.services.checkins import record_checkin
from mentors.services.recommendations import recommend_graduation
from mentors.services.reviews import review_submission

from . import invitations
from .forms import CheckInForm, RecommendationForm, ReviewForm, WithdrawForm
from .models import CheckIn, GraduationRecommendation, MentorAssignment

TRAINEES_PER_PAGE = 25
CHECKINS_PER_PAGE = 25
FORMER_SHOWN = 10

SORT_CHOICES = [
    ("risk", gettext_lazy("Needs help first")),
    ("pending", gettext_lazy("Most to review")),
    ("activity", gettext_lazy("Longest inactive")),
    ("progress", gettext_lazy("Least progress")),
    ("name", gettext_lazy("Name")),
]


def mentor_required(view):
    """Signed in (else the login page) and a mentor (else a 404: the area does not exist for them)."""

    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not roles.is_mentor(request.user):
            raise Http404
        return view(request, *args, **kwargs)

    return wrapper


def _current_or_404(request, trainee_id):
    # Only while the assignment is active: a former trainee is nobody's business but their new mentor's.
    found = mentor_area.current_trainee(mentor=request.user, trainee_id=trainee_id)
    if found is None:
        raise Http404
    return found


@mentor_required
def dashboard(request):
    sort = request.GET.get("sort", "risk")
    if sort not in mentor_area.SORTS:
        sort = "risk"
    rows = mentor_area.trainee_rows(mentor=request.user, sort=sort)
    # The figures count everybody; the list shows a page at a time, those who need help first
    # (a mentor reads it on a phone, and drawing 80 rows cost most of the page's time).
    page = Paginator(rows, TRAINEES_PER_PAGE).get_page(request.GET.get("page"))
    trainee_url = row_urls("mentors:trainee")
    for row in page.object_list:
        row.url = trainee_url(row.trainee.pk)
    # Former trainees pile up over the years (70 for a mentor at county scale): the latest
    # few, and all of them on request.
    show_all_former = request.GET.get("former") == "all"
    former, former_count = mentor_area.former_trainees(
        mentor=request.user, limit=None if show_all_former else FORMER_SHOWN
    )
    context = {
        "rows": page.object_list,
        "page_obj": page,
        "query_string": f"sort={sort}",
        "trainee_count": len(rows),
        "sort": sort,
        "sort_choices": SORT_CHOICES,
        "at_risk_count": sum(1 for row in rows if row.at_risk),
        "pending_count": sum(row.pending_count for row in rows),
        "former": former,
        "former_hidden": former_count - len(former),
        # Read with the assignments (their mentor's profile) when there are any.
        "profile": getattr(rows[0].assignment.mentor if rows else request.user, "mentor_profile", None),
    }
    return render(request, "mentors/dashboard.html", context)


def _panels(request, trainee) -> list[str]:
    """Sections other apps add to the trainee page (the merchants app's sales chart, say)."""
    html = []
    for fn in hooks.get_hooks("mentors_trainee_panels"):
        panel = fn(request, trainee)
        if panel:
            template, context = panel
            html.append(render_to_string(template, context, request=request))
    return html


@mentor_required
def trainee_detail(request, trainee_id):
    trainee, assignment = _current_or_404(request, trainee_id)
    recommendations = list(trainee_file.recommendations_for(trainee=trainee))
    active_recommendation = next((r for r in recommendations if r.is_active), None)
    context = {
        "trainee": trainee,
        "assignment": assignment,
        "learning": trainee_file.trainee_learning(trainee=trainee),
        "checkins": list(trainee_file.checkins_for(trainee=trainee)),
        "recommendations": recommendations,
        "active_recommendation": active_recommendation,
        "history": list(trainee_file.assignment_history(trainee=trainee)),
        "products": list(trainee.products.all()),
        "checkin_form": CheckInForm(),
        "panels": _panels(request, trainee),
    }
    return render(request, "mentors/trainee_detail.html", context)


@mentor_required
def checkin_create(request, trainee_id):
    trainee, _assignment = _current_or_404(request, trainee_id)
    form = CheckInForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            record_checkin(mentor=request.user, trainee=trainee, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Check-in saved."))
            return redirect("mentors:trainee", trainee.pk)
    return render(request, "mentors/checkin_form.html", {"trainee": trainee, "form": form})


@mentor_required
def recommend(request, trainee_id):
    trainee, _assignment = _current_or_404(request, trainee_id)
    existing = GraduationRecommendation.objects.active().filter(trainee=trainee).select_related("mentor").first()
    form = RecommendationForm(request.POST or None)
    if request.method == "POST" and existing is None and form.is_valid():
        try:
            recommend_graduation(mentor=request.user, trainee=trainee, note=form.cleaned_data["note"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recommendation sent to the county office."))
            return redirect("mentors:trainee", trainee.pk)
    return render(request, "mentors/recommend_form.html", {"trainee": trainee, "form": form, "existing": existing})


@mentor_required
def grant_attempts(request, trainee_id, lesson_id):
    """More attempts at a quiz for one of the mentor's current trainees (anyone else: a 404)."""
    trainee, _assignment = _current_or_404(request, trainee_id)
    lesson = get_object_or_404(LessonPage.objects.defer_streamfields(), pk=lesson_id)
    attempts = list(QuizAttempt.objects.filter(user=trainee, lesson=lesson).order_by("number"))
    if not attempts:
        raise Http404  # a quiz the trainee never took is not a second chance to give
    form = QuizAttemptGrantForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            course_services.grant_quiz_attempts(
                trainee=trainee,
                lesson=lesson,
                count=form.cleaned_data["count"],
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("%(name)s has %(count)s more attempts at “%(lesson)s” and has been told.")
                % {"name": trainee.display_name, "count": form.cleaned_data["count"], "lesson": lesson.title},
            )
            return redirect("mentors:trainee", trainee.pk)
    progress = LessonProgress.objects.filter(user=trainee, lesson=lesson).first()
    context = {
        "trainee": trainee,
        "lesson": lesson,
        "attempts": attempts,
        "extra": progress.extra_quiz_attempts if progress else 0,
        "form": form,
    }
    return render(request, "mentors/grant_attempts_form.html", context, status=400 if form.errors else 200)


@mentor_required
def withdraw_recommendation(request, pk):
    recommendation = get_object_or_404(GraduationRecommendation.objects.select_related("trainee"), pk=pk)
    _current_or_404(request, recommendation.trainee_id)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            recommendation_services.withdraw_recommendation(
                mentor=request.user, recommendation=recommendation, reason=form.cleaned_data["reason"]
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("Recommendation withdrawn."))
            return redirect("mentors:trainee", recommendation.trainee_id)
    return render(request, "mentors/withdraw_form.html", {"recommendation": recommendation, "form": form})


@mentor_required
def past_checkins(request):
    """The mentor's own notes of check-ins with people they no longer mentor (and nothing else of them)."""
    trainee_id = request.GET.get("trainee")
    checkins = mentor_area.past_checkins(
        mentor=request.user, trainee_id=int(trainee_id) if trainee_id and trainee_id.isdigit() else None
    )
    page = Paginator(checkins, CHECKINS_PER_PAGE).get_page(request.GET.get("page"))
    query = f"trainee={trainee_id}" if trainee_id and trainee_id.isdigit() else ""
    return render(request, "mentors/past_checkins.html", {"page_obj": page, "query_string": query})


@mentor_required
def review_queue(request):
    submissions = list(mentor_area.review_queue(mentor=request.user))
    return render(request, "mentors/review_queue.html", {"submissions": submissions})


@mentor_required
def submission_detail(request, pk):
    submission = mentor_area.visible_submission(mentor=request.user, submission_id=pk)
    if submission is None:
        raise Http404
    can_review = (
        submission.status == submission.Status.SUBMITTED
        and MentorAssignment.objects.active().filter(mentor=request.user, trainee_id=submission.user_id).exists()
    )
    form = ReviewForm(request.POST or None) if can_review else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                review_submission(
                    mentor=request.user,
                    submission=submission,
                    approve=form.approve,
                    feedback=form.cleaned_data["feedback"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if form.approve:
                    messages.success(request, _("Approved. The trainee has been notified."))
                else:
                    messages.success(request, _("Changes requested. The trainee has been notified."))
                next_item = mentor_area.review_queue(mentor=request.user).first()
                return redirect("mentors:submission", next_item.pk) if next_item else redirect("mentors:reviews")
    context = {
        "submission": submission,
        "events": list(submission.events.select_related("actor")),
        "files": list(submission.files.all()),
        "form": form,
    }
    return render(request, "mentors/submission_detail.html", context)


@login_required
def my_mentor(request):
    """A trainee's page about their mentor: who, how to reach them, and the agreed next steps."""
    assignment = (
        MentorAssignment.objects.active().filter(trainee=request.user).select_related("mentor__mentor_profile").first()
    )
    if assignment is None:
        raise Http404
    profile = getattr(assignment.mentor, "mentor_profile", None)
    context = {
        "assignment": assignment,
        "mentor": assignment.mentor,
        "profile": profile,
        "expertise": list(profile.expertise.all()) if profile else [],
        "skills": list(profile.skills.all()) if profile else [],
        "checkins": list(CheckIn.objects.filter(trainee=request.user).select_related("mentor")[:10]),
    }
    return render(request, "mentors/my_mentor.html", context)


# ---------------------------------------------------------------------------------------------
# Invitation links (/mentor/invitation/<token>/): open to anyone holding the link, so not
# behind `mentor_required`; the invitation decides who may answer it.

INVITATION_TEMPLATE = "mentors/mentor_invitation.html"


def _invitation_closed(request, message, *, status):
    return render(request, INVITATION_TEMPLATE, {"closed": message}, status=status)


@never_cache
def invitation(request, token):
    """Accept or decline an invitation to be a mentor.

    An existing person answers signed in as themselves (anyone else gets a 403); a person
    whose account was made for the invitation chooses their first password here, which
    accepts it and signs them in through allauth. Every POST counts against the
    `mentor_invitation` rate limit, since this page takes a password.
    """
    if request.method == "POST" and not ratelimit.consume(
        request, action="mentor_invitation", key=invitations.token_hash(token)
    ):
        return ratelimit.respond_429(request)
    found = invitations.invitation_for_token(token=token)
    if found is None:
        return _invitation_closed(request, invitations.INVITATION_UNKNOWN, status=404)
    closed = invitations.closed_message(found)
    if closed is not None:
        return _invitation_closed(request, closed, status=410)
    if found.sets_password:
        return _invitation_with_password(request, found)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if request.user.pk != found.user_id:
        return _invitation_closed(request, invitations.NOT_YOUR_INVITATION, status=403)
    if request.method == "POST":
        decision = request.POST.get("decision")
        if decision == "decline":
            return _decline(request, found, user=request.user)
        if decision == "accept":
            try:
                invitations.accept_invitation(invitation=found, user=request.user)
            except ValidationError as exc:
                return _invitation_closed(request, " ".join(exc.messages), status=409)
            messages.success(request, _("Welcome: you are now a mentor."))
            return redirect("mentors:dashboard")
    return render(request, INVITATION_TEMPLATE, {"invitation": found})


def _invitation_with_password(request, found):
    person = found.user
    form = SetPasswordForm(user=person, data=request.POST or None)
    if request.method == "POST":
        if request.POST.get("decision") == "decline":
            return _decline(request, found, user=person)
        if form.is_valid():
            try:
                invitations.accept_invitation(invitation=found, user=person, password=form.cleaned_data["password1"])
            except ValidationError as exc:
                return _invitation_closed(request, " ".join(exc.messages), status=409)
            messages.success(request, _("Welcome: you are now a mentor."))
            return perform_login(request, person, redirect_url=reverse("mentors:dashboard"))
    context = {"invitation": found, "form": form, "login_name": person.email or person.phone_display}
    return render(request, INVITATION_TEMPLATE, context)


def _decline(request, found, *, user):
    try:
        invitations.decline_invitation(invitation=found, user=user)
    except ValidationError as exc:
        return _invitation_closed(request, " ".join(exc.messages), status=409)
    messages.info(request, _("You have declined the invitation. Thank you for letting the county office know."))
    return redirect(request.path)
