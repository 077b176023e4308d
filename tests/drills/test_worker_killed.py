"""Drill: a Celery worker dies in the middle of a task; another worker redelivers it, once.

A real `celery -A incubator worker` subprocess (settings tests.support.drill_settings: the test
settings with a slow SMS backend that writes to a file) starts delivering a notification by SMS;
it is killed (SIGKILL) while the "SMS" is being sent. Tasks are acknowledged late and rejected
when their worker is lost (CELERY_TASK_ACKS_LATE, CELERY_TASK_REJECT_ON_WORKER_LOST), so the
message stays in Redis; once the visibility timeout (CELERY_VISIBILITY_TIMEOUT, 3 s here) has
passed, a restarted worker takes it again and delivers it. The effect happens once: one "sent"
line, one delivered row, one attempt counted (the killed worker's transaction was rolled back).
"""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from django.conf import settings
from django.db import transaction

from core import notifications
from core.models import Notification
from tests.factories import UserFactory
from tests.support.services import broker_url, database_url_for_subprocess, require_postgres
from tests.support.slow_sms import read_lines
from tests.support.waiting import wait_for

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]
VISIBILITY_TIMEOUT = 3


def start_worker(*, name: str, sms_file: Path, sms_seconds: float, log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.support.drill_settings",
        DATABASE_URL=database_url_for_subprocess(),
        CELERY_BROKER_URL=broker_url(),
        CELERY_TASK_DEFAULT_QUEUE=settings.CELERY_TASK_DEFAULT_QUEUE,
        CELERY_VISIBILITY_TIMEOUT=str(VISIBILITY_TIMEOUT),
        CONN_MAX_AGE="0",
        SMS_BACKEND="tests.support.slow_sms.SlowFileSMSBackend",
        SLOW_SMS_FILE=str(sms_file),
        SLOW_SMS_SECONDS=str(sms_seconds),
        PYTHONPATH=str(ROOT),
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "incubator",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-Q",
        settings.CELERY_TASK_DEFAULT_QUEUE,
        "-n",
        f"{name}-{os.getpid()}@%h",
    ]
    handle = open(log, "ab")  # noqa: SIM115 (closed with the process, below)
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT)
    process.log_handle = handle
    return process


def stop(process: subprocess.Popen | None, sig=signal.SIGTERM) -> None:
    if process is None:
        return
    if process.poll() is None:
        process.send_signal(sig)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)
    process.log_handle.close()


@pytest.fixture
def publishing_to_redis():
    """Let this test process publish tasks to Redis (the test settings run them eagerly)."""
    from incubator.celery import app

    url = broker_url()
    old = (app.conf.broker_url, app.conf.task_always_eager)
    app.conf.broker_url = url
    app.conf.task_always_eager = False
    try:
        yield app
    finally:
        app.conf.broker_url, app.conf.task_always_eager = old


def test_a_task_whose_worker_is_killed_is_redelivered_and_applied_once(tmp_path, publishing_to_redis):
    require_postgres()
    sms_file, log = tmp_path / "sms.txt", tmp_path / "worker.log"
    person = UserFactory(email="", phone="+8613700001234")
    with transaction.atomic():  # enqueued when this commits, as in a request
        notification = notifications.notify(recipient=person, kind="drill", title="培训班明天开课")

    first = second = None
    try:
        first = start_worker(name="doomed", sms_file=sms_file, sms_seconds=60, log=log)
        assert wait_for(lambda: any(line.startswith("start") for line in read_lines(sms_file)), timeout=120), (
            "the first worker never started sending:\n" + log.read_text(errors="replace")[-3000:]
        )
        first.send_signal(signal.SIGKILL)
        first.wait(timeout=20)
        assert not [line for line in read_lines(sms_file) if line.startswith("sent")]
        assert Notification.objects.get(pk=notification.pk).delivered_at is None

        # The message comes back once its visibility timeout has passed without an ack.
        time.sleep(VISIBILITY_TIMEOUT + 1)
        second = start_worker(name="rescuer", sms_file=sms_file, sms_seconds=0.5, log=log)
        delivered = wait_for(
            lambda: Notification.objects.filter(pk=notification.pk, delivered_at__isnull=False).exists(), timeout=120
        )
        assert delivered, "the task was not redelivered:\n" + log.read_text(errors="replace")[-3000:]
        time.sleep(2)  # anything delivered twice would show up now
    finally:
        stop(first, signal.SIGKILL)
        stop(second)

    lines = read_lines(sms_file)
    sent = [line for line in lines if line.startswith("sent")]
    assert len([line for line in lines if line.startswith("start")]) == 2
    # The "notice" template's registered text, with the title in it.
    assert len(sent) == 1 and "培训班明天开课" in sent[0].split(" ", 3)[3]
    row = Notification.objects.get(pk=notification.pk)
    assert row.channel == Notification.Channel.SMS
    assert row.attempts == 1  # the killed attempt's transaction was rolled back with its worker
