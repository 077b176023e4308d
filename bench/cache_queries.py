"""Queries per page of the demo county, steady state (third request as the same person), for
docs/benchmarks.md "Cache families". Run it on a database of your own:

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/incubator_caches \\
        .venv/bin/pytest bench/cache_queries.py -s -q -p no:cacheprovider | grep MEASURE
"""

import io

import pytest

from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.models import User

PAGES = [
    ("home", "/", None),
    ("catalogue", "/courses/", None),
    ("recruit", "/recruit/", None),
    ("home (trainee)", "/", "trainee@demo.local"),
    ("me", "/me/", "trainee@demo.local"),
    ("my learning", "/me/learning/", "trainee@demo.local"),
    ("mentor", "/mentor/", "mentor@demo.local"),
    ("admin home", "/admin/", "office@demo.local"),
    ("admin applications", "/admin/recruitment/applications/", "office@demo.local"),
    ("county dashboard", "/admin/county/", "office@demo.local"),
]


@pytest.mark.django_db
def test_measure(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    call_command("seed_demo", stdout=io.StringIO())
    from courses.models import CoursePage, LessonPage

    lesson = LessonPage.objects.live().order_by("path").first()
    course = CoursePage.objects.live().order_by("path").first()
    pages = PAGES + [
        ("course (trainee)", course.url, "trainee@demo.local"),
        ("lesson (trainee)", lesson.url, "trainee@demo.local"),
    ]
    for label, path, email in pages:
        client.logout()
        if email:
            client.force_login(User.objects.get(email=email))
        client.get(path)
        client.get(path)
        with CaptureQueriesContext(connection) as c:
            r = client.get(path)
        print(f"MEASURE {label:22s} {path:45s} {r.status_code} {len(c)}")
