"""More information requested: the office asks the applicant a question, the application reopens
for them, and their answer and resubmission bring it back to where it stood. Each round is an
`InformationRequest` row; the fields the applicant changed are kept in core.history."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import lines, message, notify
from incubator.recruitment.models import Application, ApplicationEvent, InformationRequest
from incubator.recruitment.services.applying import NOT_YOURS, ApplicantFacts, change_facts
from incubator.recruitment.services.review import STATUS_MESSAGES, change_application_status
from incubator.recruitment.services.reviewers import reviewers_to_tell

Status = Application.Status

NO_QUESTION = _("Write the question the applicant should answer.")
NO_ANSWER = _("Answer the office's question before sending your application again.")
NOTHING_ASKED = _("The office has not asked you anything about this application.")


@transaction.atomic
def request_information(*, application: Application, question: str, by) -> InformationRequest:
    """Ask the applicant `question`: the application moves to "more information requested" (if the
    table allows it from where it stands) and reopens for them; they are told the question."""
    question = (question or "").strip()
    if not question:
        raise ValidationError({"question": ValidationError(NO_QUESTION, code="no_question")})
    application = change_application_status(
        application=application,
        to=Status.INFO_REQUESTED,
        by=by,
        note=question,
        message_to_applicant=lines(STATUS_MESSAGES[Status.INFO_REQUESTED], question),
    )
    asked_from = application.events.filter(kind=ApplicationEvent.Kind.STATUS).latest("id").from_status
    return InformationRequest.objects.create(
        application=application, question=question, asked_by=by, from_status=asked_from
    )


def open_request(application: Application) -> InformationRequest | None:
    return application.information_requests.filter(closed_at__isnull=True).first()


@transaction.atomic
def resubmit_application(*, application: Application, by, facts: ApplicantFacts, answer: str) -> Application:
    """The applicant answers the open question, changes what they need to and sends the application
    again: it goes back to the status it had when asked, and its reviewers are told."""
    application = Application.objects.select_for_update().select_related("campaign").get(pk=application.pk)
    if application.applicant_id != by.pk:
        raise ValidationError(NOT_YOURS, code="not_yours")
    if application.status != Status.INFO_REQUESTED:
        raise ValidationError(NOTHING_ASKED, code="nothing_asked")
    answer = (answer or "").strip()
    if not answer:
        raise ValidationError({"answer": ValidationError(NO_ANSWER, code="no_answer")})
    round_ = InformationRequest.objects.select_for_update().get(application=application, closed_at__isnull=True)
    change_facts(application=application, by=by, facts=facts, reason=answer)
    now = timezone.now()
    round_.answer, round_.answered_at, round_.closed_at = answer, now, now
    round_.save(update_fields=["answer", "answered_at", "closed_at"])
    ApplicationEvent.objects.create(application=application, kind=ApplicationEvent.Kind.RESUBMITTED, by=by)
    application = change_application_status(
        application=application, to=round_.from_status, by=by, notify_applicant=False
    )
    url = reverse("recruitment_admin:application_detail", args=[application.pk])
    for reviewer in reviewers_to_tell(application):
        notify(
            recipient=reviewer,
            kind="application-resubmitted",
            title=message(_("%(name)s answered and sent the application again"), name=application.real_name),
            body=answer,
            url=url,
        )
    return application
