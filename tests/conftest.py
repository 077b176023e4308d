import io
import os

import pytest

from django.core import mail

from core import sms

# The tests that read the whole demo county (seed_demo takes about a minute and a half) share one
# seeding per test process: see demo_county below and the ordering in pytest_collection_modifyitems.
DEMO_COUNTY = "demo_county"


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


@pytest.fixture
def chromium(monkeypatch):
    """Debian's Chromium (tests/support/browser.py); a test using it fails if it is missing."""
    from tests.support.browser import launched

    # Playwright's sync API runs an event loop in this thread; the ORM calls here are still sync.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    with launched() as browser:
        yield browser


@pytest.fixture
def phone(chromium, live_server):
    """A phone-sized browser context in Chinese, and the live server's URL."""
    from django.db import connections

    from tests.support.browser import PHONE

    context = chromium.new_context(**PHONE)
    try:
        yield context, live_server.url
    finally:
        context.close()
        # The live server's threads leave connections the test database's teardown would wait on.
        connections.close_all()


class DemoCounty:
    """seed_demo, once per test process, inside a transaction that is rolled back as soon as the
    last test using it has run: each test's own transaction nests inside it (as with Django's
    setUpTestData), so the tests see the county and undo their own changes, and no other test
    sees it. The tests using it are ordered first and kept on one xdist worker (group "demo-county")."""

    def __init__(self, blocker):
        self.blocker, self.atomic = blocker, None

    def open(self):
        from django.core.management import call_command
        from django.db import transaction
        from django.test import TestCase

        with self.blocker.unblock():
            self.atomic = transaction.atomic()
            self.atomic.__enter__()
            self.atomic._from_testcase = True  # durable blocks inside behave as in a TestCase
            try:
                # The seed's on-commit work (fan-out, deliveries) runs, as it does outside tests.
                with TestCase.captureOnCommitCallbacks(execute=True):
                    call_command("seed_demo", stdout=io.StringIO())
            except BaseException:
                self.close()
                raise

    def close(self):
        from django.db import transaction

        if self.atomic is None:
            return
        with self.blocker.unblock():
            transaction.set_rollback(True)
            self.atomic.__exit__(None, None, None)
        self.atomic = None


@pytest.fixture(scope="session")
def _demo_county_session(django_db_setup, django_db_blocker, request):
    county = DemoCounty(django_db_blocker)
    county.open()
    request.config._demo_county = county
    yield county
    county.close()


@pytest.fixture
def demo_county(_demo_county_session, db):
    """The demo county as `make run` loads it (see DemoCounty); use it instead of calling seed_demo."""
    return _demo_county_session


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield  # after the test's own fixtures (its transaction) are torn down
    county = getattr(item.config, "_demo_county", None)
    if county is not None and (nextitem is None or DEMO_COUNTY not in getattr(nextitem, "fixturenames", ())):
        county.close()


def pytest_itemcollected(item):
    # Before xdist reads the groups (in its own pytest_collection_modifyitems).
    if DEMO_COUNTY in getattr(item, "fixturenames", ()):
        item.add_marker(pytest.mark.xdist_group("demo-county"))


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    _restore_migration_data_after_transactional_tests(items)
    # After pytest-django's own ordering (trylast): the demo county's tests first, in one group.
    demo = [item for item in items if DEMO_COUNTY in getattr(item, "fixturenames", ())]
    items[:] = demo + [item for item in items if DEMO_COUNTY not in getattr(item, "fixturenames", ())]


def _restore_migration_data_after_transactional_tests(items):
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
