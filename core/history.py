"""The one history of the project: every change to a record the county relies on is kept.

    before = history.snapshot(report, ["orders", "sales"])
    report.sales = new_sales
    report.save()
    history.record(report, actor=request.user, reason=form.cleaned_data["reason"], before=before)

`record` compares the snapshot with the object as it is now and stores who, when, the old and
new value of each field that changed, and why, in one `core.ChangeRecord` row, in the caller's
transaction. `entries(obj)` reads them back, newest first, ready for the template
`core/includes/history.html`, which the office's and the person's own pages both include.
"""

import datetime
import decimal

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext

from core.models import ChangeRecord


def _value(obj, field):
    if isinstance(field, models.ManyToManyField):
        # The related objects' names, sorted, as one text: a set compares by its members.
        names = sorted(str(related) for related in getattr(obj, field.name).all())
        return "、".join(names) or None
    value = getattr(obj, field.attname)
    if isinstance(field, models.ForeignKey):
        related = getattr(obj, field.name) if value is not None else None
        return None if related is None else str(related)
    if isinstance(value, decimal.Decimal):
        return str(value)
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, models.fields.files.FieldFile):
        return value.name or None
    return value


def snapshot(obj, fields):
    """The values of `fields` on `obj`, as they will be stored in a change record."""
    return {name: _value(obj, obj._meta.get_field(name)) for name in fields}


def record(obj, *, actor, reason="", before=None, action=ChangeRecord.Action.CHANGED, fields=None):
    """Store one change of `obj`, or nothing when a change touched no field.

    `before` is the `snapshot` taken before the change (None for a new record); the fields
    compared are those of `before`, or `fields` for a creation.
    """
    names = list(before) if before is not None else list(fields or [])
    after = snapshot(obj, names)
    if before is None:
        changes = {name: [None, after[name]] for name in names if after[name] not in (None, "")}
    else:
        changes = {name: [before[name], after[name]] for name in names if before[name] != after[name]}
    if not changes and action == ChangeRecord.Action.CHANGED:
        return None
    return ChangeRecord.objects.create(
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        action=action,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        reason=reason,
        changes=changes,
    )


class Entry:
    """A change record as people read it: field labels and values in the reader's language."""

    def __init__(self, change, model):
        self.change = change
        self.at = change.at
        self.actor = change.actor
        self.reason = change.reason
        self.action = change.get_action_display()
        self.lines = [self._line(model, name, old, new) for name, (old, new) in change.changes.items()]

    @staticmethod
    def _line(model, name, old, new):
        try:
            field = model._meta.get_field(name)
        except Exception:  # a field since removed: show its name
            return name, old, new
        choices = dict(field.flatchoices) if getattr(field, "flatchoices", None) else {}
        return field.verbose_name, _shown(choices.get(old, old)), _shown(choices.get(new, new))


def _shown(value):
    """A stored value as people read it: yes or no for a boolean, in their language."""
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    return value


def entries(obj):
    """The history of `obj`, newest first, in one query."""
    changes = ChangeRecord.objects.for_object(obj).select_related("actor")
    return [Entry(change, type(obj)) for change in changes]
