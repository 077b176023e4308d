import os

import pytest

from django.core import mail

from core import sms


@pytest.fixture(autouse=True)
def _clean_outboxes(settings):
    from django.core.cache import cache

    cache.clear()  # rate-limit counters and cached pages never leak from one test to the next
    sms.outbox.clear()
    mail.outbox = []
    yield
    sms.outbox.clear()


@pytest.fixture(autouse=True)
def _chinese_by_default():
    from django.utils import translation

    translation.activate("zh-hans")
    yield
    translation.deactivate()


@pytest.fixture
def broker_url():
    url = os.environ.get("CELERY_BROKER_URL")
    if not url:
        pytest.fail("CELERY_BROKER_URL is not set: worker tests need Redis (make test sets it; see README).")
    return url


@pytest.fixture
def celery_worker(broker_url, settings, transactional_db):
    """A real Celery worker thread consuming from Redis, on this test run's own queue."""
    from celery.contrib.testing.worker import start_worker

    from incubator.celery import app

    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    app.conf.task_eager_propagates = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    try:
        with start_worker(
            app, pool="solo", perform_ping_check=False, shutdown_timeout=10, queues=[app.conf.task_default_queue]
        ):
            yield app
    finally:
        app.conf.task_always_eager = True
        app.conf.task_eager_propagates = True


@pytest.fixture(scope="session")
def s3_server():
    """moto's S3 server on a random loopback port: the S3-compatible service (OSS, COS) that
    object-storage tests talk to over HTTP, as the deployed site talks to its bucket."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    yield f"http://{host}:{port}"
    server.stop()


def pytest_collection_modifyitems(items):
    """Every transactional test restores the migrations' data (role groups, Wagtail's root page
    and locale) with serialized_rollback. A transactional test without it would flush that
    data and re-run post_migrate, and the next serialized restore would then collide with the
    re-created rows; one rule for all keeps the suite independent of test order."""
    transactional_fixtures = {"transactional_db", "live_server", "celery_worker"}
    for item in items:
        marker = item.get_closest_marker("django_db")
        if marker is None:
            if transactional_fixtures & set(getattr(item, "fixturenames", ())):
                item.add_marker(pytest.mark.django_db(transaction=True, serialized_rollback=True), append=False)
            continue
        if not marker.kwargs.get("transaction") or marker.kwargs.get("serialized_rollback"):
            continue
        # Prepended, so that it is the closest marker, the one pytest-django reads.
        item.add_marker(
            pytest.mark.django_db(*marker.args, **{**marker.kwargs, "serialized_rollback": True}), append=False
        )
