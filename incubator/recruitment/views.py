"""The /me/ views of recruitment: following, editing, answering and withdrawing one's
applications, and one's drafts. A person sees only their own (anyone else's is a 404).

Applying is on the campaign page, served through incubator.recruitment.page_serving.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.service_errors import add_service_errors
from incubator.recruitment import selectors
from incubator.recruitment.forms import ApplicationForm, ResubmitForm
from incubator.recruitment.models import Application, ApplicationDraft
from incubator.recruitment.services import applying
from incubator.recruitment.services.applying import (
    check_can_edit,
    update_application,
)
from incubator.recruitment.services.information import open_request, resubmit_application


@login_required
def my_applications(request):
    applications = list(selectors.applications_of(user=request.user))
    drafts = list(selectors.drafts_of(user=request.user))
    return TemplateResponse(
        request, "recruitment/my_applications.html", {"applications": applications, "drafts": drafts}
    )


@login_required
@require_POST
def discard_draft(request, pk):
    draft = get_object_or_404(ApplicationDraft, pk=pk, applicant=request.user)
    applying.discard_draft(draft=draft, by=request.user)
    messages.success(request, _("The draft is discarded."))
    return redirect("recruitment:my_applications")


def _own_application(request, pk) -> Application:
    # Another person's application is a 404, never a 403 that confirms it exists.
    return get_object_or_404(
        Application.objects.select_related("campaign", "village__township"), pk=pk, applicant=request.user
    )


def _edit_refusal(application) -> str | None:
    try:
        check_can_edit(application=application)
    except ValidationError as exc:
        return exc.messages[0]
    return None


@login_required
def my_application(request, pk):
    application = _own_application(request, pk)
    questions = list(application.campaign.questions.all())
    rounds = selectors.information_rounds(application=application)
    can_apply_again = False
    if application.status == Application.Status.WITHDRAWN:
        try:
            applying.check_can_apply(campaign=application.campaign)
        except ValidationError:
            pass
        else:
            can_apply_again = (
                not application.campaign.applications.filter(applicant=request.user)
                .exclude(status=Application.Status.WITHDRAWN)
                .exists()
            )
    return TemplateResponse(
        request,
        "recruitment/my_application.html",
        {
            "application": application,
            "rounds": rounds,
            "open_question": next((r for r in rounds if r.is_open), None),
            "can_apply_again": can_apply_again,
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
    # The office asked a question: the answer comes with the changes, and sends it back to them.
    question = open_request(application) if application.status == Application.Status.INFO_REQUESTED else None
    form_class = ResubmitForm if question else ApplicationForm
    if request.method == "POST":
        # The service refuses a change it no longer allows (reviewed meanwhile, or the campaign
        # closed while the form was open): the form comes back with the reason and what was typed.
        form = form_class(request.POST, campaign=campaign)
        try:
            check_can_edit(application=application)  # said even when a field is wrong too
            if form.is_valid():
                if question:
                    resubmit_application(
                        application=application,
                        by=request.user,
                        facts=form.facts(),
                        answer=form.cleaned_data["answer"],
                    )
                    messages.success(request, _("Thank you: your answer and application are sent to the office."))
                else:
                    update_application(application=application, by=request.user, facts=form.facts())
                    messages.success(request, _("Your application has been updated."))
                return redirect("recruitment:my_application", application.pk)
        except ValidationError as exc:
            add_service_errors(form, exc)
    else:
        refusal = _edit_refusal(application)
        if refusal is not None:
            messages.error(request, refusal)
            return redirect("recruitment:my_application", application.pk)
        form = form_class(initial=ApplicationForm.initial_for_application(application), campaign=campaign)
    return TemplateResponse(
        request,
        "recruitment/edit_application.html",
        {"application": application, "form": form, "page": None, "open_question": question},
    )


@login_required
@require_http_methods(["GET", "POST"])
def withdraw_application(request, pk):
    application = _own_application(request, pk)
    if request.method == "POST":
        try:
            applying.withdraw_application(application=application, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("recruitment:my_application", application.pk)
    return TemplateResponse(request, "recruitment/withdraw_application.html", {"application": application})
