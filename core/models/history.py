from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ChangeRecordQuerySet(models.QuerySet):
    def for_object(self, obj):
        return self.filter(
            content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False), object_id=str(obj.pk)
        )

    def for_objects(self, model, pks):
        return self.filter(content_type=ContentType.objects.get_for_model(model), object_id__in=[str(pk) for pk in pks])


class ChangeRecord(models.Model):
    """One change to a record the county relies on: who, when, what (old and new values), and why.

    The one history of the project (core/history.py writes and reads it): a sales report's
    corrections, a profile the office corrected on a villager's behalf, and any other record
    whose changes must stay on the record. Rows are only ever added.
    """

    class Action(models.TextChoices):
        CREATED = "created", _("created")
        CHANGED = "changed", _("changed")
        DELETED = "deleted", _("deleted")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices, default=Action.CHANGED)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    at = models.DateTimeField(_("changed at"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)
    # {field name: [old, new]}, values as history.snapshot() stores them.
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = ChangeRecordQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("change on record")
        verbose_name_plural = _("changes on record")
        indexes = [models.Index(fields=["content_type", "object_id", "-at"], name="changerecord_object")]

    def __str__(self):
        return f"{self.content_type.model} {self.object_id} {self.get_action_display()} {self.at:%Y-%m-%d %H:%M}"
