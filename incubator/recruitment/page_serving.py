"""How a campaign page is served beyond its own template: the application form at its `apply/`
route. The page model calls this, so that models never import views; the /me/ views of
applications are in views.py.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache

from core.service_errors import add_service_errors
from incubator.recruitment import selectors
from incubator.recruitment.forms import ApplicationForm
from incubator.recruitment.models import Application, ApplicationDraft
from incubator.recruitment.services.applying import (
    check_can_apply,
    save_draft,
    submit_application,
)

DRAFT_KEY = "recruitment-draft-%s"


def _posted(request) -> dict:
    return {key: values for key, values in request.POST.lists() if key not in ("csrfmiddlewaretoken", "save_draft")}


def _save_session_draft(request, campaign) -> None:
    # Everything typed, kept until the person has signed in or signed up.
    request.session[DRAFT_KEY % campaign.pk] = _posted(request)


def draft_person(request) -> dict:
    """The name and phone of the newest application typed before signing up (the
    `register_signup_initial` hook): the sign-up form is filled with them instead of asking again."""
    session = getattr(request, "session", None)
    if session is None:
        return {}
    prefix = DRAFT_KEY % ""
    drafts = [value for key, value in session.items() if key.startswith(prefix) and isinstance(value, dict)]
    for draft in reversed(drafts):  # sessions keep insertion order: the last one typed wins
        person = {name: (draft.get(name) or [""])[-1].strip() for name in ("real_name", "phone")}
        if any(person.values()):
            return {name: value for name, value in person.items() if value}
    return {}


def _as_querydict(data: dict) -> QueryDict:
    draft = QueryDict(mutable=True)
    for key, values in data.items():
        draft.setlist(key, values)
    return draft


@never_cache  # prefilled with the person's name, phone and village: never stored on a shared phone
def apply_to_campaign(request, campaign):
    """/recruit/<slug>/apply/: the form. A signed-in person may save a draft on the server ("保存草稿")
    and come back to it from My applications; anonymous visitors sign in first, keeping what they
    typed. After a withdrawal the form opens again, filled in from the withdrawn application."""
    summary = selectors.campaign_summary(campaign=campaign, user=request.user)
    if summary["my_application"] is not None:
        messages.info(request, _("You have already applied to this campaign. Here is your application."))
        return redirect("recruitment:my_application", summary["my_application"].pk)
    closed_reason = None
    try:
        check_can_apply(campaign=campaign)
    except ValidationError as exc:
        closed_reason = exc.messages[0]

    form = None
    signed_in = request.user.is_authenticated
    draft = ApplicationDraft.objects.filter(campaign=campaign, applicant=request.user).first() if signed_in else None
    withdrawn = (
        Application.objects.filter(campaign=campaign, applicant=request.user, status=Application.Status.WITHDRAWN)
        .order_by("-submitted_at")
        .first()
        if signed_in
        else None
    )
    if closed_reason is None:
        if request.method == "POST":
            if not signed_in:
                _save_session_draft(request, campaign)
                messages.info(
                    request, _("Please sign in or create an account to send your application. What you typed is kept.")
                )
                return redirect_to_login(request.path)
            if request.POST.get("save_draft"):
                save_draft(campaign=campaign, applicant=request.user, data=_posted(request))
                messages.success(request, _("Your draft is saved. You can finish it later from My applications."))
                return redirect(request.path)
            form = ApplicationForm(request.POST, campaign=campaign)
            if form.is_valid():
                try:
                    application = submit_application(campaign=campaign, applicant=request.user, facts=form.facts())
                except ValidationError as exc:
                    add_service_errors(form, exc)
                else:
                    messages.success(request, _("Your application has been sent."))
                    return redirect("recruitment:my_application", application.pk)
        else:
            session_draft = request.session.pop(DRAFT_KEY % campaign.pk, None) if signed_in else None
            if session_draft:
                # Back from signing in: what they typed, now kept on the server too.
                save_draft(campaign=campaign, applicant=request.user, data=session_draft)
                form = ApplicationForm(_as_querydict(session_draft), campaign=campaign)
                form.is_valid()  # show any problem now, with everything typed in place
                messages.info(request, _("Welcome back: your answers are filled in. Check them and send."))
            elif draft is not None:
                form = ApplicationForm(campaign=campaign)
                form.initial = form.initial_from_draft(draft.data)
            elif withdrawn is not None:
                form = ApplicationForm(initial=ApplicationForm.initial_for_application(withdrawn), campaign=campaign)
            else:
                form = ApplicationForm(initial=ApplicationForm.initial_for_person(request.user), campaign=campaign)
    context = campaign.get_context(request)
    context.update(summary)
    context.update({"form": form, "closed_reason": closed_reason, "draft": draft, "withdrawn": withdrawn})
    return TemplateResponse(request, "recruitment/apply.html", context)
