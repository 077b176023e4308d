"""The active/dormant stage of a merchant, from their verified monthly sales (only verified
reports count: a report awaiting verification neither wakes nor keeps a merchant active)."""

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.merchants import periods
from incubator.merchants.models import SalesReport, Shop
from incubator.recruitment.models import TraineeProfile
from incubator.recruitment.services.trainees import change_stage

# A merchant with no report with orders in this many complete months (plus the current one) is dormant.
DORMANT_AFTER_MONTHS = getattr(settings, "MERCHANTS_DORMANT_AFTER_MONTHS", 3)


def activity_window_start(today: datetime.date) -> datetime.date:
    """The first month that counts for activity: the last DORMANT_AFTER_MONTHS complete months
    and the current one. On 1 December, with 3 months: September."""
    return periods.add_months(periods.month_start(today), -DORMANT_AFTER_MONTHS)


def _active_sales_exists(today: datetime.date):
    return Exists(
        SalesReport.objects.filter(
            shop__owner_id=OuterRef("user_id"),
            status=SalesReport.Status.VERIFIED,
            orders__gt=0,
            month__gte=activity_window_start(today),
        )
    )


def _grace_cutoff(today: datetime.date) -> datetime.datetime:
    """Someone who became a merchant after the window began has not had three months yet."""
    start = activity_window_start(today)
    return timezone.make_aware(datetime.datetime.combine(start, datetime.time.min))


@transaction.atomic
def promote_graduate_with_shop(*, user, by=None) -> bool:
    """A graduate with a shop is a merchant. Returns True when the stage changed."""
    profile = TraineeProfile.objects.filter(user=user, stage=TraineeProfile.Stage.GRADUATE).first()
    if profile is None or not Shop.objects.filter(owner=user).exists():
        return False
    change_stage(profile=profile, to=TraineeProfile.Stage.MERCHANT, by=by, note=str(_("Registered a shop.")))
    return True


@transaction.atomic
def refresh_activity(*, user, today: datetime.date | None = None, by=None) -> str | None:
    """Set one person's merchant/dormant stage from their reports. Returns the new stage if it changed."""
    today = today or periods.today()
    Stage = TraineeProfile.Stage
    profile = (
        TraineeProfile.objects.filter(user=user, stage__in=[Stage.MERCHANT, Stage.DORMANT])
        .annotate(has_sales=_active_sales_exists(today))
        .first()
    )
    if profile is None:
        return None
    if profile.stage == Stage.DORMANT and profile.has_sales:
        change_stage(profile=profile, to=Stage.MERCHANT, by=by, note=str(_("Reported sales again.")))
        return Stage.MERCHANT
    in_grace = profile.stage_changed_at is not None and profile.stage_changed_at >= _grace_cutoff(today)
    if profile.stage == Stage.MERCHANT and not profile.has_sales and not in_grace:
        change_stage(profile=profile, to=Stage.DORMANT, by=by, note=str(_("No sales reported for three months.")))
        return Stage.DORMANT
    return None


def refresh_all_activity(*, today: datetime.date | None = None) -> dict[str, int]:
    """The nightly pass: every merchant without recent sales becomes dormant, every dormant one
    with sales becomes active again. Each change is its own transaction. Returns the counts."""
    today = today or periods.today()
    Stage = TraineeProfile.Stage
    profiles = TraineeProfile.objects.filter(stage__in=[Stage.MERCHANT, Stage.DORMANT]).annotate(
        has_sales=_active_sales_exists(today)
    )
    to_wake = profiles.filter(stage=Stage.DORMANT, has_sales=True)
    to_sleep = profiles.filter(stage=Stage.MERCHANT, has_sales=False).exclude(
        stage_changed_at__gte=_grace_cutoff(today)
    )
    counts = {"merchant": 0, "dormant": 0}
    for user_id in list(to_wake.values_list("user_id", flat=True)) + list(to_sleep.values_list("user_id", flat=True)):
        changed = refresh_activity(user=_user(user_id), today=today)
        if changed:
            counts[changed] += 1
    return counts


def _user(user_id):
    from core.models import User

    return User.objects.get(pk=user_id)
