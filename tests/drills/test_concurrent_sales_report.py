"""Drill: the same month's sales report sent twice at the same moment (a double tap, two phones).

Two clients signed in as the shop's owner post the same report from two threads, released
together by a barrier. The database keeps one row (a unique constraint per shop and month), and
the second person sees the same clear message as for a sequential duplicate, with what they
typed still in the form. Needs PostgreSQL (real concurrent transactions).
"""

import datetime
import threading
from decimal import Decimal

import pytest

from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import TraineeFactory
from tests.support.services import require_postgres

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

DUPLICATE = "这家网店这个月已经上报过了，请修改已有的报告。"


def this_month() -> datetime.date:
    # The month just over: the earliest month that may be reported (late after the 15th, still accepted).
    return (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)


@pytest.mark.parametrize("attempt", range(3))
def test_two_simultaneous_reports_of_one_month_make_one_row_and_one_clear_error(attempt):
    from incubator.merchants.models import SalesReport, Shop

    require_postgres()
    owner = TraineeFactory()
    shop = Shop.objects.create(
        owner=owner,
        platform=Shop.Platform.PINDUODUO,
        name="橙乡小铺",
        url=f"https://drill-{attempt}.example.com/",
        opened_on=datetime.date(2024, 1, 1),
    )
    month = this_month()
    url = reverse("merchants:report_create", args=[shop.pk])
    data = {"month": f"{month:%Y-%m}", "orders": "12", "sales": "3456.70", "products_sold": "脐橙礼盒"}
    barrier = threading.Barrier(2, timeout=30)
    responses, errors = [None, None], []

    def post(index: int) -> None:
        client = Client()
        client.force_login(owner)
        try:
            barrier.wait()
            responses[index] = client.post(url, data)
        except Exception as exc:  # reported below, with the thread's own traceback lost
            errors.append(exc)
        finally:
            connection.close()  # each thread has its own database connection

    threads = [threading.Thread(target=post, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not errors, errors

    statuses = sorted(response.status_code for response in responses)
    assert statuses == [302, 400], statuses
    loser = next(response for response in responses if response.status_code == 400)
    page = loser.content.decode()
    assert DUPLICATE in page
    assert "3456.70" in page and "脐橙礼盒" in page  # nothing typed is lost
    reports = list(SalesReport.objects.filter(shop=shop))
    assert len(reports) == 1
    assert (reports[0].month, reports[0].orders, reports[0].sales) == (month, 12, Decimal("3456.70"))
