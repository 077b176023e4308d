"""What keeps a station day's sums of its purchase lines (StationDay.buy_orders, .buy_value)
true: every save or delete of a line sums its day again, and a write that sends no signal
(`cache_families.bulk_write` of StationPurchase: the demo's, a bulk load's) sums every day.
Wired in `connect`, called from VillagesConfig.ready. Fixtures loaded with `loaddata` send raw
signals, which are left alone, as the sales tallies leave them (incubator/merchants/tallies.py).
"""

from django.db.models.signals import post_delete, post_save

from core import cache_families


def _line_written(sender, instance, raw=False, **kwargs):
    if not raw:
        from incubator.villages.models import StationDay

        StationDay.tally_purchases([instance.station_day_id])


def _bulk_written(sender, models, **kwargs):
    from incubator.villages.models import StationDay, StationPurchase

    if any(issubclass(model, StationPurchase) for model in models):
        StationDay.tally_purchases()


def connect() -> None:
    from incubator.villages.models import StationPurchase

    post_save.connect(_line_written, sender=StationPurchase, dispatch_uid="villages-line-saved")
    post_delete.connect(_line_written, sender=StationPurchase, dispatch_uid="villages-line-deleted")
    cache_families.bulk_written.connect(_bulk_written, dispatch_uid="villages-lines-bulk-written")
