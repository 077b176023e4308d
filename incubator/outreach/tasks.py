"""Celery tasks of the outreach app: they take ids and are idempotent."""

from celery import shared_task

from incubator.outreach.services import group_messages


@shared_task(name="outreach.tasks.fan_out_group_message")
def fan_out_group_message(message_id: int) -> int:
    """Create each recipient's notification of a group message (in chunks); twice creates nothing more."""
    return group_messages.fan_out(message_id=message_id)


@shared_task(name="outreach.tasks.finish_group_messages")
def finish_group_messages() -> int:
    """Periodic: finish the fan-out of messages whose task never ran (a broker outage)."""
    return sum(group_messages.fan_out(message_id=pk) for pk in group_messages.unfinished_fan_outs())
