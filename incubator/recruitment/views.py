"""The /me/ views of recruitment: following, editing and withdrawing one's applications.

Applying is on the campaign page, served through incubator.recruitment.page_serving.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.service_errors import add_service_errors
from incubator.recruitment import selectors
from incubator.recruitment.forms import ApplicationForm
from incubator.recruitment.models import Application
from incubator.recruitment.services import applying
from incubator.recruitment.services.applying import (
    check_can_edit,
    update_application,
)


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
        check_can_edit(application=application)
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
            check_can_edit(application=application)  # said even when a field is wrong too
            if form.is_valid():
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
            applying.withdraw_application(application=application, by=request.user)
        except ValidationError as exc:
            messages.error(request, exc.messages[0])
        else:
            messages.success(request, _("Your application has been withdrawn."))
        return redirect("recruitment:my_application", application.pk)
    return TemplateResponse(request, "recruitment/withdraw_application.html", {"application": application})
