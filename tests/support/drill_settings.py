"""Settings of the Celery worker subprocesses of tests/drills: the test settings, with the SMS
backend taken from the environment (the test settings pin the in-memory one, which a separate
process cannot share with the test)."""

import os

from incubator.settings.test import *  # noqa: F403

SMS_BACKEND = os.environ.get("SMS_BACKEND", "tests.support.slow_sms.SlowFileSMSBackend")
# A real worker, not eager tasks.
CELERY_TASK_ALWAYS_EAGER = False
CELERY_TASK_EAGER_PROPAGATES = False
