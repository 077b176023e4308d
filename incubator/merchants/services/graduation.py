"""Approving graduations and the certificates they earn (issue, PDF, revoke)."""

import datetime
import logging
from dataclasses import dataclass, field
from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.notifications import message, notify
from incubator.merchants import periods
from incubator.merchants.models import Certificate
from incubator.merchants.services.activity import promote_graduate_with_shop
from incubator.recruitment.models import TraineeProfile
from incubator.recruitment.services.trainees import change_stage

logger = logging.getLogger(__name__)

ERROR_NOT_ELIGIBLE = _("%(name)s cannot graduate yet: %(missing)s")
ERROR_ALREADY_GRADUATED = _("%(name)s has already graduated.")
ERROR_REVOKE_REASON = _("Please give the reason for revoking the certificate.")
ERROR_ALREADY_REVOKED = _("This certificate has already been revoked.")
ERROR_REISSUE_VALID = _("Only a revoked certificate can be re-issued.")
ERROR_REISSUE_NOT_GRADUATE = _("%(name)s is no longer a graduate: there is nothing to re-issue.")
ERROR_REISSUE_EXISTS = _("%(name)s already has a valid certificate for this cohort.")


@dataclass
class GraduationResult:
    approved: list = field(default_factory=list)
    refused: list = field(default_factory=list)  # (profile, message)


@transaction.atomic
def approve_graduations(*, profiles, by, today: datetime.date | None = None) -> GraduationResult:
    """Graduate each eligible profile: stage `graduate` (then `merchant` with a shop), a
    certificate with a fresh code, its PDF made by a Celery task, a notification. Profiles
    that are not eligible are left alone, with the reason."""
    from incubator.merchants.selectors.graduation import graduation_statuses

    today = today or periods.today()
    Stage = TraineeProfile.Stage
    profiles = list(profiles)
    result = GraduationResult()
    statuses = graduation_statuses(profiles=profiles)
    for profile in profiles:
        status = statuses[profile.pk]
        if profile.stage != Stage.TRAINEE:
            result.refused.append((profile, ERROR_ALREADY_GRADUATED % {"name": profile.user.display_name}))
            continue
        if not status.is_eligible:
            reason = ERROR_NOT_ELIGIBLE % {"name": profile.user.display_name, "missing": "；".join(status.missing)}
            result.refused.append((profile, reason))
            continue
        change_stage(profile=profile, to=Stage.GRADUATE, by=by, note=str(_("Graduation approved.")))
        certificate = issue_certificate(profile=profile, by=by, today=today, course_titles=status.course_titles)
        promote_graduate_with_shop(user=profile.user, by=by)
        notify(
            recipient=profile.user,
            kind="graduated",
            title=_("Congratulations, you have graduated!"),
            body=message(
                _("Your certificate is ready to download in your area. Its code is %(code)s."), code=certificate.code
            ),
            url=reverse("merchants:my_certificates"),
        )
        result.approved.append(profile)
    return result


@transaction.atomic
def issue_certificate(*, profile, by=None, today: datetime.date | None = None, course_titles=None) -> Certificate:
    """Create a certificate for a graduate and enqueue its PDF once the transaction commits."""
    cohort = profile.cohort
    if course_titles is None:
        course_titles = [course.title for course in cohort.required_courses.all()] if cohort else []
    certificate = Certificate(
        holder=profile.user,
        cohort=cohort,
        holder_name=profile.user.real_name or profile.user.display_name,
        cohort_name=cohort.name if cohort else "",
        course_titles=list(course_titles),
        issued_on=today or periods.today(),
        issued_by=by,
    )
    certificate.full_clean(validate_constraints=False)
    certificate.save()
    transaction.on_commit(partial(_enqueue_certificate_pdf, certificate.pk))
    return certificate


def _enqueue_certificate_pdf(certificate_id: int) -> None:
    from incubator.merchants.tasks import generate_certificate_pdf

    try:
        generate_certificate_pdf.delay(certificate_id)
    except Exception:  # the broker is down: the nightly task makes whatever PDF is missing
        logger.warning("Could not enqueue the PDF of certificate %s", certificate_id)


def make_certificate_pdf(*, certificate_id: int, force: bool = False) -> bool:
    """Render and store a certificate's PDF. Idempotent: does nothing when it exists (unless forced)."""
    from django.core.files.base import ContentFile

    from incubator.merchants.pdf import render_certificate

    with transaction.atomic():
        certificate = Certificate.objects.select_for_update().filter(pk=certificate_id).first()
        if certificate is None or (certificate.pdf and not force):
            return False
        content = render_certificate(certificate)
        old_name = certificate.pdf.name if certificate.pdf else ""
        certificate.pdf.save(f"{certificate.code}.pdf", ContentFile(content), save=False)
        certificate.save(update_fields=["pdf"])
    if old_name and old_name != certificate.pdf.name:
        certificate.pdf.storage.delete(old_name)
    return True


def regenerate_certificate_pdfs(*, codes: list[str] | None = None) -> int:
    """Make the PDFs of valid certificates again (all, or those with the given codes), with the
    office's current signature and seal. Only on the office's request: a change of seal never
    changes certificates already handed out by itself. Revoked certificates keep theirs."""
    certificates = Certificate.objects.valid()
    if codes is not None:
        certificates = certificates.filter(code__in=codes)
    made = 0
    for pk in certificates.order_by("pk").values_list("pk", flat=True).iterator():
        made += make_certificate_pdf(certificate_id=pk, force=True)
    return made


@transaction.atomic
def revoke_certificate(*, certificate: Certificate, by, reason: str) -> Certificate:
    """Revoke a certificate with a reason; the public page then says so."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": ERROR_REVOKE_REASON})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if certificate.is_revoked:
        raise ValidationError(ERROR_ALREADY_REVOKED)
    certificate.revoked_at = timezone.now()
    certificate.revoked_reason = reason[:300]
    certificate.revoked_by = by
    certificate.full_clean(validate_constraints=False)
    certificate.save(update_fields=["revoked_at", "revoked_reason", "revoked_by"])
    notify(
        recipient=certificate.holder,
        kind="certificate-revoked",
        title=_("Your certificate has been revoked"),
        body=reason,
        url=reverse("merchants:my_certificates"),
    )
    return certificate


@transaction.atomic
def reissue_certificate(*, certificate: Certificate, by, today: datetime.date | None = None) -> Certificate:
    """After a correction (a misspelt name, a wrong cohort): a new certificate with a new code,
    made from the graduate as they are now. The revoked one stays revoked, on the record."""
    from incubator.merchants.selectors.figures import STAGES_GRADUATED

    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    if not certificate.is_revoked:
        raise ValidationError(ERROR_REISSUE_VALID, code="valid")
    profile = (
        TraineeProfile.objects.filter(user_id=certificate.holder_id, stage__in=STAGES_GRADUATED)
        .select_related("user", "cohort")
        .first()
    )
    if profile is None:
        raise ValidationError(ERROR_REISSUE_NOT_GRADUATE, code="not_graduate", params={"name": certificate.holder_name})
    if Certificate.objects.valid().filter(holder_id=certificate.holder_id, cohort=profile.cohort).exists():
        raise ValidationError(ERROR_REISSUE_EXISTS, code="exists", params={"name": certificate.holder_name})
    new = issue_certificate(profile=profile, by=by, today=today, course_titles=certificate.course_titles)
    notify(
        recipient=profile.user,
        kind="certificate-reissued",
        title=_("Your certificate has been issued again"),
        body=message(
            _("The corrected certificate has the code %(code)s; the old one is no longer valid."), code=new.code
        ),
        url=reverse("merchants:my_certificates"),
    )
    return new
