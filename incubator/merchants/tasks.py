"""Celery tasks of the merchants app: each takes ids (or nothing), calls a service, and is
idempotent. Beat schedule (set by the lead in settings):
  merchants.tasks.refresh_merchant_activity   nightly
  merchants.tasks.send_sales_reminders        monthly, on the 1st
  merchants.tasks.make_missing_certificate_pdfs  nightly (covers a broker outage at approval)
"""

import logging

from celery import shared_task

from incubator.merchants.services.activity import refresh_all_activity
from incubator.merchants.services.graduation import make_certificate_pdf
from incubator.merchants.services.reminders import send_monthly_reminders

logger = logging.getLogger(__name__)


@shared_task(
    name="merchants.tasks.generate_certificate_pdf", autoretry_for=(OSError,), retry_backoff=True, max_retries=5
)
def generate_certificate_pdf(certificate_id: int) -> bool:
    return make_certificate_pdf(certificate_id=certificate_id)


@shared_task(name="merchants.tasks.make_missing_certificate_pdfs")
def make_missing_certificate_pdfs() -> int:
    from .models import Certificate

    made = 0
    for pk in Certificate.objects.filter(pdf="").values_list("pk", flat=True)[:500]:
        made += bool(make_certificate_pdf(certificate_id=pk))
    return made


@shared_task(name="merchants.tasks.refresh_merchant_activity")
def refresh_merchant_activity() -> dict:
    counts = refresh_all_activity()
    logger.info("Merchant activity refreshed: %s", counts)
    return counts


@shared_task(name="merchants.tasks.send_sales_reminders")
def send_sales_reminders() -> int:
    return send_monthly_reminders()
