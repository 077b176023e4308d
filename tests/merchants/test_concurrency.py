"""Two submissions of the same shop and month at the same moment: one row, one clear error."""

import datetime
import threading

import pytest

from django.core.exceptions import ValidationError
from django.db import connection, connections

from incubator.merchants.models import SalesReport
from incubator.merchants.services.sales import submit_sales_report

from .factories import ShopFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (concurrent transactions)")
def test_a_concurrent_duplicate_month_gives_one_report_and_a_clear_error():
    shop = ShopFactory()
    barrier = threading.Barrier(2)
    outcomes = []

    def submit(orders):
        try:
            barrier.wait(timeout=10)
            submit_sales_report(
                shop=shop,
                month=datetime.date(2026, 10, 1),
                orders=orders,
                sales=orders * 10,
                today=datetime.date(2026, 11, 5),
            )
            outcomes.append("saved")
        except ValidationError as error:
            outcomes.append(error.message_dict["month"][0])
        finally:
            connections.close_all()

    threads = [threading.Thread(target=submit, args=(n,)) for n in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == sorted(["saved", "这家网店这个月已经上报过了，请修改已有的报告。"])
    assert SalesReport.objects.filter(shop=shop).count() == 1
