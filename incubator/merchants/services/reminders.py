"""The monthly reminder to report last month's sales."""

import datetime

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.notifications import message, notify
from incubator.merchants import periods
from incubator.merchants.models import Shop
from incubator.merchants.services.sales import editable_until


def send_monthly_reminders(*, today: datetime.date | None = None) -> int:
    """Remind every shop owner who has not reported last month for all their shops. Safe to
    run twice: each reminder has a dedupe key per person and month. Returns how many were sent."""
    today = today or periods.today()
    month = periods.add_months(periods.month_start(today), -1)
    missing = (
        Shop.objects.filter(opened_on__lte=periods.month_end(month))
        .exclude(reports__month=month)
        .values_list("owner_id", flat=True)
        .distinct()
    )
    from core.models import User

    sent = 0
    deadline = editable_until(month)
    for owner in User.objects.filter(pk__in=list(missing), is_active=True):
        key = f"sales-reminder-{owner.pk}-{month:%Y-%m}"
        notify(
            recipient=owner,
            kind="sales-reminder",
            title=_("Please report last month's sales"),
            body=message(
                _("Report %(month)s for each of your shops by %(date)s."),
                month=f"{month:%Y-%m}",
                date=deadline.isoformat(),
            ),
            url=reverse("merchants:shops"),
            dedupe_key=key,
        )
        sent += 1
    return sent
