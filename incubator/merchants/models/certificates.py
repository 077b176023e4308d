import secrets

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting
from wagtail.images import get_image_model_string

from core.storage import private_storage

# Crockford-like alphabet: no 0/O or 1/I/L, easy to read aloud and to type on a phone.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 14  # 31**14 ≈ 7e20 codes: unguessable by enumeration


def new_certificate_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


class CertificateQuerySet(models.QuerySet):
    def valid(self):
        return self.filter(revoked_at__isnull=True)


class Certificate(models.Model):
    """A graduation certificate. What it certifies is copied in at issue time, so that later
    edits to a name, cohort or course never change a certificate already handed out."""

    code = models.CharField(_("code"), max_length=32, unique=True, default=new_certificate_code, editable=False)
    holder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="certificates", verbose_name=_("holder")
    )
    cohort = models.ForeignKey(
        "recruitment.Cohort",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="certificates",
        verbose_name=_("cohort"),
    )
    holder_name = models.CharField(_("name on the certificate"), max_length=100)
    cohort_name = models.CharField(_("cohort on the certificate"), max_length=200)
    course_titles = models.JSONField(_("courses completed"), default=list, blank=True)
    issued_on = models.DateField(_("issued on"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    pdf = models.FileField(_("PDF"), storage=private_storage, upload_to="certificates/", blank=True)
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    revoked_reason = models.CharField(_("reason for revoking"), max_length=300, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CertificateQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("certificate")
        verbose_name_plural = _("certificates")
        constraints = [
            # One valid certificate per person and cohort; a revoked one may be re-issued.
            models.UniqueConstraint(
                fields=["holder", "cohort"],
                condition=Q(revoked_at__isnull=True),
                name="certificate_one_valid_per_holder_and_cohort",
            ),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revoked_reason=""),
                name="certificate_revoked_needs_reason",
            ),
        ]

    def __str__(self):
        return f"{self.holder_name} · {self.code}"

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("merchants:certificate_verify", args=[self.code])

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None


ERROR_SEAL_FORMAT = _("The seal must be a PNG image with a transparent background, or a JPEG image.")
ERROR_SIGNATURE_FORMAT = _("The signature must be a PNG or JPEG image.")


def _image_format(image) -> tuple[str, bool]:
    """(Pillow's format name, has transparency) of a Wagtail image's original file."""
    from PIL import Image as PillowImage

    with image.open_file() as handle, PillowImage.open(handle) as picture:
        transparent = picture.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in picture.info
        return picture.format or "", transparent


@register_setting(icon="doc-full")
class CertificateSignature(BaseGenericSetting):
    """Who signs the certificates: the office's name, the signatory and the office's seal, printed
    at the bottom right of every certificate PDF made from now on. A generic setting, not a site
    setting: one county office issues every certificate, and PDFs are made by a worker with no
    request or site to pick a setting by."""

    office_name = models.CharField(
        _("issuing office"),
        max_length=100,
        blank=True,
        help_text=_("As printed under the seal, for example: XX County E-commerce Office."),
    )
    signatory_name = models.CharField(_("signatory"), max_length=50, blank=True)
    signatory_title = models.CharField(
        _("signatory's title"), max_length=50, blank=True, help_text=_("For example: Director.")
    )
    seal = models.ForeignKey(
        get_image_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("seal"),
        help_text=_(
            "A scan of the office's seal: a PNG with a transparent background (or a JPEG on white paper). "
            "It is printed over the office's name."
        ),
    )
    signature = models.ForeignKey(
        get_image_model_string(),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signature"),
        help_text=_("Optional: the signatory's handwritten signature, PNG or JPEG."),
    )

    panels = [
        FieldPanel("office_name"),
        FieldRowPanel([FieldPanel("signatory_title"), FieldPanel("signatory_name")]),
        FieldPanel("seal"),
        FieldPanel("signature"),
    ]

    class Meta:
        verbose_name = _("certificate signature")

    def clean(self):
        errors = {}
        if self.seal_id:
            kind, transparent = _image_format(self.seal)
            if not (kind == "JPEG" or (kind == "PNG" and transparent)):
                errors["seal"] = ERROR_SEAL_FORMAT
        if self.signature_id and _image_format(self.signature)[0] not in ("PNG", "JPEG"):
            errors["signature"] = ERROR_SIGNATURE_FORMAT
        if errors:
            raise ValidationError(errors)
