"""A background export through a real Celery worker on Redis: the office sees its progress (rows
written of the total, committed after every chunk) while the worker writes, then the file."""

import dataclasses
import datetime
import time

import pytest

from core import export_jobs
from core.models import Export
from tests.factories import OfficeFactory
from tests.merchants.factories import SalesReportFactory, ShopFactory
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]

ROWS = 24


@pytest.fixture
def slow_sales_reports(monkeypatch):
    """The sales reports table with a cell that takes a moment, so the progress can be watched."""
    real = export_jobs.tables

    def slowly(value):
        def cell(item):
            time.sleep(0.05)
            return value(item)

        return cell

    def tables():
        found = real()
        table = found["sales_reports"]
        first, *rest = table.columns
        found["sales_reports"] = dataclasses.replace(
            table, columns=[dataclasses.replace(first, value=slowly(first.value)), *rest]
        )
        return found

    monkeypatch.setattr(export_jobs, "tables", tables)


def test_a_worker_builds_an_export_and_the_office_sees_its_progress(celery_worker, settings, slow_sales_reports):
    settings.EXPORT_CHUNK_ROWS = 4
    shop = ShopFactory()
    for n in range(ROWS):
        SalesReportFactory(shop=shop, month=datetime.date(2023 + n // 12, n % 12 + 1, 1))
    export = export_jobs.request_export(table="sales_reports", by=OfficeFactory(), format="csv")

    seen = []

    def finished():
        row = Export.objects.values_list("status", "written", "total").get(pk=export.pk)
        if not seen or seen[-1] != row:
            seen.append(row)
        return row[0] in ("ready", "failed")

    assert wait_for(finished, timeout=60, interval=0.02)
    assert seen[-1] == ("ready", ROWS, ROWS)
    in_between = [(written, total) for status, written, total in seen if status == "running" and total]
    assert any(0 < written < ROWS for written, _total in in_between), seen  # progress while it ran
    assert all(total == ROWS and written % 4 == 0 for written, total in in_between), seen  # after whole chunks
    assert [w for w, _t in in_between] == sorted(w for w, _t in in_between)  # never backwards
    done = Export.objects.get(pk=export.pk)
    with done.file.open("rb") as handle:
        assert handle.read().decode("utf-8-sig").count("\n") == ROWS + 1
