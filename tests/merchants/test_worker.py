"""The certificate PDF, made by a real Celery worker on Redis (exports: tests/core/test_worker.py)."""

import datetime

import pytest

from incubator.merchants.models import Certificate
from tests.factories import TraineeFactory
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.worker, pytest.mark.django_db(transaction=True)]


def test_a_worker_makes_the_certificate_pdf_after_commit(celery_worker):
    from incubator.merchants.tasks import generate_certificate_pdf

    holder = TraineeFactory(real_name="谭春梅")
    certificate = Certificate.objects.create(
        holder=holder, holder_name="谭春梅", cohort_name="第二期", issued_on=datetime.date(2026, 6, 1)
    )
    generate_certificate_pdf.delay(certificate.pk)
    assert wait_for(lambda: bool(Certificate.objects.get(pk=certificate.pk).pdf), timeout=30)
