from django.db import models
from django.utils.translation import gettext_lazy as _


class SMSTemplate(models.Model):
    """A text message template as registered with the SMS providers.

    Chinese providers (Tencent Cloud, Aliyun) only send texts from templates they approved, with
    a registered signature: the code sends (key, parameters) and this table maps each key to each
    provider's template code and the text it was registered with, so the log backend and the
    tests show the real text. Placeholders are `{name}`; Tencent's templates number them ({1},
    {2}) in the order they appear in `text`, Aliyun's name them (${name}).
    """

    key = models.SlugField(_("key"), max_length=60, unique=True)
    description = models.CharField(_("used for"), max_length=200, blank=True)
    text = models.CharField(
        _("registered text"),
        max_length=300,
        help_text=_("The template's text exactly as registered with the providers, with {name} placeholders."),
    )
    tencent_template_id = models.CharField(_("Tencent Cloud template ID"), max_length=40, blank=True)
    aliyun_template_code = models.CharField(_("Aliyun template code"), max_length=40, blank=True)
    max_param_length = models.PositiveSmallIntegerField(
        _("longest parameter"),
        default=35,
        help_text=_("Providers refuse longer parameters; longer values are shortened with an ellipsis."),
    )

    class Meta:
        ordering = ["key"]
        verbose_name = _("SMS template")
        verbose_name_plural = _("SMS templates")

    def __str__(self):
        return self.key


class SMSMessage(models.Model):
    """One text message the platform tried to send, and what became of it."""

    class Status(models.TextChoices):
        SENT = "sent", _("accepted by the provider")
        DELIVERED = "delivered", _("delivered to the phone")
        UNDELIVERED = "undelivered", _("not delivered to the phone")
        FAILED = "failed", _("refused by the provider")
        LIMITED = "limited", _("not sent: too many messages to this number")

    class Outcome(models.TextChoices):
        OK = "ok", _("sent")
        BAD_NUMBER = "bad_number", _("the phone number is not valid")
        BAD_TEMPLATE = "bad_template", _("the template is missing, not approved or its parameters are wrong")
        BAD_SIGNATURE = "bad_signature", _("the signature is not approved")
        QUOTA = "quota", _("the SMS package or balance is used up")
        PROVIDER_LIMIT = "provider_limit", _("the provider's limit for this number was reached")
        LIMITED = "limited", _("our limit for this number was reached")
        AUTH = "auth", _("the provider refused the access keys")
        ERROR = "error", _("the provider could not be reached or failed; will retry")

    phone = models.CharField(_("phone"), max_length=20)
    template_key = models.SlugField(_("template"), max_length=60)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    text = models.CharField(_("text"), max_length=400)
    backend = models.CharField(_("provider"), max_length=40)
    provider_id = models.CharField(_("provider's message ID"), max_length=100, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, default=Outcome.OK)
    error_code = models.CharField(_("provider's error code"), max_length=100, blank=True)
    error_message = models.CharField(_("provider's message"), max_length=300, blank=True)
    notification = models.ForeignKey(
        "core.Notification",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="sms_messages",
        verbose_name=_("notification"),
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    receipt_at = models.DateTimeField(_("receipt at"), null=True, blank=True)
    receipt_code = models.CharField(_("receipt code"), max_length=60, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("text message")
        verbose_name_plural = _("text messages")
        indexes = [
            models.Index(fields=["phone", "created_at"], name="smsmessage_phone_time"),
            models.Index(fields=["backend", "provider_id"], name="smsmessage_provider_id"),
        ]

    def __str__(self):
        return f"{self.template_key} → {self.phone} ({self.get_status_display()})"
