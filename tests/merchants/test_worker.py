"""The certificate PDF and a heavy export, made by a real Celery worker on Redis."""

import datetime

import pytest

from incubator.merchants.models import Certificate, DashboardExport
from incubator.merchants.services.dashboard_exports import request_export
from tests.factories import OfficeFactory, TraineeFactory
from tests.support.waiting import wait_for

from .factories import SalesReportFactory

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_the_certificate_pdf_after_commit(celery_worker):
    from incubator.merchants.tasks import generate_certificate_pdf

    holder = TraineeFactory(real_name="谭春梅")
    certificate = Certificate.objects.create(
        holder=holder, holder_name="谭春梅", cohort_name="第二期", issued_on=datetime.date(2026, 6, 1)
    )
    generate_certificate_pdf.delay(certificate.pk)
    assert wait_for(lambda: bool(Certificate.objects.get(pk=certificate.pk).pdf), timeout=30)


def test_a_worker_builds_a_requested_export(celery_worker):
    SalesReportFactory()
    export = request_export(kind=DashboardExport.Kind.SALES_REPORTS, by=OfficeFactory())
    assert wait_for(
        lambda: DashboardExport.objects.get(pk=export.pk).status == DashboardExport.Status.READY, timeout=30
    )
    assert DashboardExport.objects.get(pk=export.pk).row_count == 1
