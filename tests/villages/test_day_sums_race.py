"""On PostgreSQL: two writers of one station day's purchase lines at once both count in the
day's sums. The second writer waits for the first to commit before it sums (StationDay.tally_purchases
locks the day's row first, and a line's write already waits on the cache generations' locks that
the first one's bump holds), then sums in a statement of its own that sees the first one's line."""

import datetime
import os
import threading
from decimal import Decimal

import pytest

from django.db import connections, transaction

from incubator.villages.models import StationDay, StationPurchase

from .factories import make_station

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
    ),
]


def test_two_writers_of_one_days_lines_at_once_both_count():
    station = make_station()
    day = StationDay.objects.create(station=station, day=datetime.date(2026, 1, 5), sell_value=Decimal("10"))
    first_written, go = threading.Event(), threading.Event()
    errors = []

    def first():  # writes a line and holds its transaction open until told to commit
        try:
            with transaction.atomic():
                StationPurchase.objects.create(station_day_id=day.pk, category="machinery", orders=1, value=100)
                first_written.set()
                go.wait(10)
        except Exception as error:  # noqa: BLE001 (reported by the assertion below)
            errors.append(error)
        finally:
            connections.close_all()

    def second():  # writes another line of the same day meanwhile
        try:
            StationPurchase.objects.create(station_day_id=day.pk, category="necessities", orders=2, value=20)
        except Exception as error:  # noqa: BLE001
            errors.append(error)
        finally:
            connections.close_all()

    one = threading.Thread(target=first)
    one.start()
    assert first_written.wait(10)
    two = threading.Thread(target=second)
    two.start()
    two.join(timeout=1)  # it waits for the first writer's lock on the day...
    assert two.is_alive()
    go.set()  # ...which commits now
    one.join(timeout=10)
    two.join(timeout=10)
    assert not errors, errors
    day.refresh_from_db()
    assert (day.buy_orders, day.buy_value) == (3, Decimal("120.00"))
