"""Find the benchmark's pages in a seeded database, sign the right people in, and measure each
page through Django's test client (as that person, on the same database): its queries, and the
in-process time of a request.

Prints one JSON document: the pages, with their address, status, queries, in-process time and
the session cookie the load must send. Queries are counted three times per page, as the same
person:
  cold      right after the cache was emptied (a deploy or a Redis restart: every cached list,
            session and figure is rebuilt from the database);
  first     the first request after the data changed: what a change drops (the dashboard's
            figures, the public page cache) is rebuilt, what does not change with the data
            (choice lists) is still cached;
  repeat    the same request again: what the load test sees in steady use. For the dashboard on
            a cache miss every request comes after a change, so its repeat is a first again.
The in-process time is the median of 20 requests (after the three above), which moves less than
requests per second on a shared machine.
"""

import json
import os
import statistics
import sys
import time

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings.production")
django.setup()

from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.templatetags.static import static  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bench.seed import OFFICE_EMAIL  # noqa: E402

HOST = "127.0.0.1"
TIMED_REQUESTS = 20

# key, label, kind (what the targets ask of it), account. Kinds: "floor" (what every page is read
# against), "info" (reported, no target), "public", "signed-in", "office".
PAGES = [
    ("floor", "Floor: a constant answer through every middleware", "floor", None),
    ("floor-signed-in", "The floor, signed in (session and user read)", "info", "trainee"),
    ("healthz", "Readiness `/healthz` (a query, a cache write and read)", "info", None),
    ("static", "Static file (site.css)", "info", None),
    ("home", "Home", "public", None),
    ("catalogue", "Course catalogue", "public", None),
    ("campaign", "A campaign", "public", None),
    ("certificate", "Certificate verification", "public", None),
    ("directory", "Merchant directory", "public", None),
    ("pavilion", "Specialty pavilion", "public", None),
    ("pavilion-product", "A pavilion product", "public", None),
    ("lesson", "A lesson (with a task)", "signed-in", "trainee"),
    ("my-learning", "My learning", "signed-in", "trainee"),
    ("mentor", "Mentor dashboard", "signed-in", "mentor"),
    ("applications", "Applications listing (admin)", "office", "office"),
    ("dashboard", "County dashboard (admin), steady", "office", "office"),
    ("dashboard-miss", "County dashboard (admin), on a cache miss", "office", "office"),
]
# Pages whose every request is a miss: the dashboard's family is dropped before each one.
MISS_PAGES = {"dashboard-miss"}


def find_addresses() -> tuple[dict[str, str], dict]:
    from core.models import User
    from courses.models import CourseIndexPage, CoursePage, Enrollment, LessonPage
    from incubator.merchants.models import Certificate
    from incubator.pavilion.models import PavilionIndexPage, PavilionProductPage
    from incubator.recruitment.models import RecruitmentCampaignPage
    from mentors.models import MentorAssignment

    # The same shape of page at every scale: the first course, its first lesson with a practical
    # task, and the first trainee in training enrolled in it; their mentor.
    course = CoursePage.objects.live().order_by("path").first()
    lesson = next(item for item in LessonPage.objects.live().child_of(course).order_by("path") if item.has_task)
    enrollment = (
        Enrollment.objects.filter(course=course, user__trainee_profile__stage="trainee").order_by("user_id").first()
    )
    trainee = enrollment.user
    mentor = MentorAssignment.objects.active().get(trainee=trainee).mentor
    office = User.objects.get(email=OFFICE_EMAIL)
    campaign = RecruitmentCampaignPage.objects.live().order_by("-opens_at").first()
    certificate = Certificate.objects.valid().order_by("id").first()
    addresses = {
        "floor": "/healthz/floor",
        "floor-signed-in": "/healthz/floor",
        "healthz": "/healthz",
        "static": static("css/site.css"),
        "home": "/",
        "catalogue": CourseIndexPage.objects.live().first().get_url(),
        "campaign": campaign.get_url(),
        "certificate": certificate.get_absolute_url(),
        "directory": "/merchants/",
        "pavilion": PavilionIndexPage.objects.live().first().get_url(),
        "pavilion-product": PavilionProductPage.objects.live().order_by("path").first().get_url(),
        "lesson": lesson.get_url(),
        "my-learning": "/me/learning/",
        "mentor": "/mentor/",
        "applications": "/admin/recruitment/applications/",
        "dashboard": "/admin/county/",
        "dashboard-miss": "/admin/county/",
    }
    return addresses, {"trainee": trainee, "mentor": mentor, "office": office}


def data_changed() -> None:
    """What a change of the data does to the cache (a sales report, an application, a publish)."""
    from core import cache_families

    cache_families.bump(cache_families.COUNTY_DASHBOARD, cache_families.PUBLIC_PAGES)


def dashboard_dropped() -> None:
    """The county dashboard's figures dropped, as a new sales report or application does."""
    from core import cache_families

    cache_families.bump(cache_families.COUNTY_DASHBOARD)


def count_queries(client: Client, path: str) -> tuple[int, int]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, SERVER_NAME=HOST)
    return response.status_code, len(captured)


def in_process_ms(client: Client, path: str, before=None) -> float:
    """The median time of a request through the test client (`before` runs untimed before each)."""
    times = []
    for _ in range(TIMED_REQUESTS):
        if before:
            before()
        started = time.perf_counter()
        client.get(path, SERVER_NAME=HOST)
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def main() -> int:
    addresses, people = find_addresses()
    clients = {None: Client()}
    cookies = {None: ""}
    for account, user in people.items():
        client = Client()
        client.force_login(user)
        clients[account] = client
        cookies[account] = f"sessionid={client.cookies['sessionid'].value}"
    # What a gunicorn worker loads as it starts (gunicorn.conf.py), then one request to warm what
    # every process loads once (sites, settings).
    from core.warm import warm

    warm()
    clients[None].get("/", SERVER_NAME=HOST)
    results = []
    for key, label, kind, account in PAGES:
        path = addresses[key]
        client = clients[account]
        miss = key in MISS_PAGES
        cache.clear()
        status, cold = count_queries(client, path)
        data_changed()
        _status, first = count_queries(client, path)
        if miss:
            dashboard_dropped()
        _status, repeat = count_queries(client, path)
        took = in_process_ms(client, path, before=dashboard_dropped if miss else None)
        results.append(
            {
                "key": key,
                "label": label,
                "kind": kind,
                "account": account,
                "user": people[account].email if account else "",
                "path": path,
                "status": status,
                "queries_cold": cold,
                "queries_first": first,
                "queries": repeat,
                "in_process_ms": took,
                "miss": miss,
                "cookie": cookies[account],
            }
        )
    print(json.dumps(results, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
