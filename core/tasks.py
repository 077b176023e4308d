import smtplib

from celery import shared_task

from core import notifications
from core.sms import SMSError


@shared_task(
    autoretry_for=(SMSError, smtplib.SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
)
def deliver_notification(notification_id: int) -> bool:
    """Deliver one stored notification; running it twice delivers once."""
    return notifications.deliver(notification_id=notification_id)


@shared_task
def sweep_undelivered_notifications() -> int:
    """Periodic: re-enqueue notifications whose delivery never happened (e.g. the broker was down)."""
    return notifications.sweep_undelivered()


@shared_task(name="core.tasks.build_export")
def build_export(export_id: int) -> bool:
    """Write one export's file with its progress; a finished export is left as it is."""
    from core import export_jobs

    return export_jobs.build_export(export_id=export_id)


@shared_task(name="core.tasks.delete_old_exports")
def delete_old_exports() -> int:
    """Nightly: the office's old export files go (settings.EXPORT_KEEP_DAYS)."""
    from core import export_jobs

    return export_jobs.delete_old_exports()
