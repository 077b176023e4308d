"""Test settings: PostgreSQL when DATABASE_URL is set (CI), fast hashing, in-memory mail and SMS."""

import os
import tempfile

from .base import *  # noqa: F403

DEBUG = False
SECRET_KEY = "test-only-key"  # noqa: S105
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
SMS_BACKEND = "core.sms.LocmemSMSBackend"
STORAGES["staticfiles"] = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}  # noqa: F405
_tmp = tempfile.mkdtemp(prefix="incubator-test-")
MEDIA_ROOT = os.path.join(_tmp, "media")
PRIVATE_MEDIA_ROOT = os.path.join(_tmp, "private")
STORAGES["private"]["OPTIONS"]["location"] = PRIVATE_MEDIA_ROOT  # noqa: F405
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Tasks run eagerly unless a test starts a real worker (see tests/conftest.py).
CELERY_TASK_ALWAYS_EAGER = True
CELERY_TASK_EAGER_PROPAGATES = True
# A queue of our own per test run, so that two runs on one Redis never take each other's tasks.
CELERY_TASK_DEFAULT_QUEUE = os.environ.get("CELERY_TASK_DEFAULT_QUEUE") or f"incubator-test-{os.getpid()}"
SITE_URL = WAGTAILADMIN_BASE_URL = "http://testserver"
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "200/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    "account_lookup": "20/m/ip,5/m/key",
    # A page behind a shared password (Wagtail view restriction), per visitor and per page.
    "page_password": "10/m/ip,20/h/key",
    "csp_report": "60/m/ip",
    "mentor_invitation": "10/m/ip",
}

# Tests see fresh pages; tests/core/test_pagecache.py turns the cache on where it tests it.
PUBLIC_PAGE_CACHE_SECONDS = 0
