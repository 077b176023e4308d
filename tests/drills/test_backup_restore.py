"""Drill: the nightly dump restores into a new database with the same rows (deploy/backup.sh,
deploy/restore.sh, issue 17).

The demo county up to its mentors (places, people, pages, courses, campaigns, cohorts, mentors;
the later apps' tables stay empty and are compared all the same: the whole county only made the
drill two minutes longer) is loaded into the test database, `deploy/backup.sh` dumps it the way the
systemd timer does, and `deploy/restore.sh` restores the dump into a new database and compares
every table's row count with the source. A restore that loses a table or a row fails the script.
"""

import io
import os
import subprocess
from pathlib import Path

import pytest

from django.core.management import call_command
from django.db import connection

from tests.support.services import database_url_for_subprocess, require_postgres

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True)]

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _psql(url, sql):
    return subprocess.run(["psql", url, "-At", "-v", "ON_ERROR_STOP=1", "-c", sql], capture_output=True, text=True)


def test_the_nightly_dump_of_the_demo_county_restores_with_the_same_row_counts(tmp_path):
    require_postgres()
    call_command("seed_demo", until=40, stdout=io.StringIO())
    source = database_url_for_subprocess()
    restored = f"{source}_restored"
    server = source.rsplit("/", 1)[0] + "/postgres"
    _psql(server, f'DROP DATABASE IF EXISTS "{restored.rsplit("/", 1)[1]}" WITH (FORCE)')
    env = {**os.environ, "DATABASE_URL": source, "BACKUP_DIR": str(tmp_path), "BACKUP_KEEP_DAYS": "30"}
    try:
        backup = subprocess.run([DEPLOY / "backup.sh"], env=env, capture_output=True, text=True, timeout=300)
        assert backup.returncode == 0, backup.stderr
        dump = Path(backup.stdout.strip().splitlines()[-1])
        assert dump.exists() and dump.parent == tmp_path and not list(tmp_path.glob("*.partial"))

        restore = subprocess.run(
            [DEPLOY / "restore.sh", dump, restored, source], capture_output=True, text=True, timeout=300
        )
        assert restore.returncode == 0, restore.stdout + restore.stderr
        assert "same row counts" in restore.stdout

        # The comparison is real: the restored county has the demo's people and pages.
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM core_user")
            users = cursor.fetchone()[0]
        assert users > 10
        assert _psql(restored, "SELECT count(*) FROM core_user").stdout.strip() == str(users)

        # ...and a difference is caught: a row removed from the restored copy fails the check.
        _psql(restored, "DELETE FROM core_notification WHERE id = (SELECT min(id) FROM core_notification)")
        check = subprocess.run(
            [
                "bash",
                "-c",
                f'source <(sed -n "/^counts()/,/^}}/p" {DEPLOY / "restore.sh"}); '
                f'diff <(counts "{source}") <(counts "{restored}")',
            ],
            capture_output=True,
            text=True,
        )
        assert check.returncode != 0 and "core_notification" in check.stdout
    finally:
        _psql(server, f'DROP DATABASE IF EXISTS "{restored.rsplit("/", 1)[1]}" WITH (FORCE)')
