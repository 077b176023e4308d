"""Public and /me/ views of recruitment: applying, following and editing one's applications."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from incubator.recruitment import selectors, services
from incubator.recruitment.forms import ApplicationForm
from incubator.recruitment.models import Application

DRAFT_KEY = "recruitment-draft-%s"


def _add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for name, errors in error.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, error)


def _save_draft(request, campaign) -> None:
    # Everything typed, kept until the person has signed in or signed up.
    data = {key: values for key, values in request.POST.lists() if key != "csrfmiddlewaretoken"}
    request.session[DRAFT_KEY % campaign.pk] = data


def _pop_draft(request, campaign) -> QueryDict | None:
    data = request.session.pop(DRAFT_KEY % campaign.pk, None)
    if not data:
        return None
    draft = QueryDict(mutable=True)
    for key, values in data.items():
        draft.setlist(key, values)
    return draft


@never_cache  # prefilled with the person's name, phone and village: never stored on a shared phone
def apply_to_campaign(request, campaign):
    """/recruit/<slug>/apply/: the form; anonymous visitors sign in first, keeping what they typed."""
    summary = selectors.campaign_summary(campaign=campaign, user=request.user)
    if summary["my_application"] is not None:
        messages.info(request, _("You have already applied to this campaign. Here is your application."))
        return redirect("recruitment:my_application", summary["my_application"].pk)
    closed_reason = None
    try:
        services.check_can_apply(campaign=campaign)
    except ValidationError as exc:
        closed_reason = exc.messages[0]

    form = None
    if closed_reason is None:
        if request.method == "POST":
            if not request.user.is_authenticated:
                _save_draft(request, campaign)
                messages.info(
                    request, _("Please sign in or create an account to send your application. What you typed is kept.")
                )
                return redirect_to_login(request.path)
            form = ApplicationForm(request.POST, campaign=campaign)
            if form.is_valid():
                try:
                    application = services.submit_application(
                        campaign=campaign, applicant=request.user, facts=form.facts()
                    )
                except ValidationError as exc:
                    _add_errors(form, exc)
                else:
                    messages.success(request, _("Your application has been sent."))
                    return redirect("recruitment:my_application", application.pk)
        else:
            draft = _pop_draft(request, campaign) if request.user.is_authenticated else None
            if draft is not None:
                form = ApplicationForm(draft, campaign=campaign)
                form.is_valid()  # show any problem now, with everything typed in place
                messages.info(request, _("Welcome back: your answers are filled in. Check them and send."))
            else:
                form = ApplicationForm(initial=ApplicationForm.initial_for_person(request.user), campaign=campaign)
    context = campaign.get_context(request)
    context.update(summary)
    context.update({"form": form, "closed_reason": closed_reason})
    return TemplateResponse(request, "recruitment/apply.html", context)


@login_required
def my_applications(request):
    applications = list(selectors.applications_of(user=request.user))
    return TemplateResponse(request, "recruitment/my_applications.html", {"applications": applications})


def _own_application(request, pk) -> Application:
    # Another person's application is a 404, never a 403 that confirms it exists.
    return get_object_or_404(
        Application.objects.select_related("campaign", "village__township"), pk=pk, applicant=request.user
    )


def _edit_refusal(application) -> str | None:
    try:
        services.check_can_edit(application=application)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@login_required
def my_application(request, pk):
    application = _own_application(request, pk)
    questions = list(application.campaign.questions.all())
    return TemplateResponse(
        request,
        "recruitment/my_application.html",
        {
            "application": application,
            "edit_refusal": _edit_refusal(application),
            "answers": application.answer_rows(questions),
            "products": list(application.products.all()),
            "history": selectors.visible_history(application=application),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def edit_application(request, pk):
    application = _own_application(request, pk)
    campaign = application.campaign
    if request.method == "POST":
        # The service refuses a change it no longer allows (reviewed meanwhile, or the campaign
        # closed while the form was open): the form comes back with the reason and what was typed.
        form = ApplicationForm(request.POST, campaign=campaign)
        try:
            services.check_can_edit(application=application)  # said even when a field is wrong too
            if form.is_valid():
                services.update_application(application=application, by=request.user, facts=form.facts())
                messages.success(request, _("Your application has been updated."))
                return redirect("recruitment:my_application", application.pk)
        except ValidationError as exc:
            _add_errors(form, exc)
    else:
        refusal = _edit_refusal(application)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("recruitment:my_application", application.pk)
        form = ApplicationForm(initial=ApplicationForm.initial_for_application(application), campaign=campaign)
    return TemplateResponse(
        request, "recruitment/edit_application.html", {"application": application, "form": form, "page": None}
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_application(request, pk):
    application = _own_application(request, pk)
    if request.method == "POST":
        try:
            services.withdraw_application(application=application, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("recruitment:my_application", application.pk)
    return TemplateResponse(request, "recruitment/withdraw_application.html", {"application": application})
