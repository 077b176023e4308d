"""The embedded default, as `make run` sets it up: SQLite, tasks eager, the demo county loaded.

The rest of the suite runs on PostgreSQL, where some things differ (SQLite sums decimals as
floats, searches with FTS5, has no trigram indexes); this test runs the platform's own commands
in a process of their own on a new SQLite file, then opens the pages a visitor tries first.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.slow

CHECK = """
from django.test import Client
from django.test.utils import setup_test_environment
from django.urls import reverse
setup_test_environment()
client = Client(HTTP_ACCEPT_LANGUAGE="zh-hans")
for name, path in [("home", "/"), ("catalogue", "/courses/"), ("directory", reverse("merchants:directory"))]:
    print("CHECK", name, client.get(path).status_code)
found = client.get("/courses/", {"q": "脐橙"}).content.decode()
print("CHECK search", "提到“脐橙”的课时" in found)
signed_in = client.post("/accounts/login/", {"login": "trainee@demo.local", "password": "incubator-demo"})
print("CHECK login", signed_in.status_code)
print("CHECK learning", client.get(reverse("courses:my_learning")).status_code)
"""


def manage(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=900
    )


def test_make_run_loads_the_demo_county_on_sqlite_and_serves_it(tmp_path):
    env = {key: value for key, value in os.environ.items() if key not in {"DATABASE_URL", "CELERY_BROKER_URL"}}
    env.update(
        DJANGO_SETTINGS_MODULE="incubator.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
        MEDIA_ROOT=str(tmp_path / "media"),
        PRIVATE_MEDIA_ROOT=str(tmp_path / "private"),
    )
    for step in (["migrate", "--noinput", "-v", "0"], ["seed_demo"]):
        done = manage(*step, env=env)
        assert done.returncode == 0, f"manage.py {' '.join(step)}:\n{done.stdout[-2000:]}\n{done.stderr[-4000:]}"
    assert "Demo county loaded." in done.stdout
    checked = manage("shell", "-c", CHECK, env=env)
    assert checked.returncode == 0, checked.stderr[-4000:]
    answers = dict(line.split()[1:] for line in checked.stdout.splitlines() if line.startswith("CHECK "))
    assert answers == {
        "home": "200",
        "catalogue": "200",
        "directory": "200",
        "search": "True",
        "login": "302",
        "learning": "200",
    }
