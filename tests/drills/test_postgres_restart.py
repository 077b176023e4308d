"""Drill: PostgreSQL restarts under a running server; the next request succeeds, no app restart.

Two servers are shown:
- pytest-django's `live_server` (a thread of this process), as the issue asks;
- a real gunicorn process (one sync worker) with persistent connections (CONN_MAX_AGE=600), the
  way production runs: its database connection dies with the restart, and the next request
  succeeds because the settings turn on `conn_health_checks` (a dead connection is replaced
  before it is used). The worker's pid is the same before and after: nothing was restarted.

The test process's own connection drops too: it reconnects with `connection.close()`.
This drill restarts the machine's PostgreSQL cluster (`pg_ctlcluster ... restart`): other test
runs using PostgreSQL at that moment lose their connections.
"""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from django.db import connection

from tests.support.services import (
    broker_url,
    database_url_for_subprocess,
    ensure_postgres,
    postgres_cluster,
    require_postgres,
    restart_postgres,
)

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ROOT = Path(__file__).resolve().parents[2]


def get(url: str, timeout: float = 30) -> tuple[int, bytes, dict]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 (our own test server)
            return response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, error.read(), dict(error.headers)


def health(base: str) -> tuple[int, dict]:
    status, body, _headers = get(base + "/healthz")
    return status, json.loads(body or b"{}")


@pytest.fixture
def cluster():
    require_postgres()
    version, name = postgres_cluster()
    try:
        yield version, name
    finally:
        ensure_postgres(version, name)
        connection.close()  # this process's connection died with the restart


def test_the_live_server_answers_right_after_postgresql_restarts(live_server, cluster):
    status, report = health(live_server.url)
    assert (status, report["checks"]["database"]) == (200, "ok")

    restart_postgres(*cluster)
    connection.close()

    status, report = health(live_server.url)
    assert (status, report["checks"]["database"]) == (200, "ok"), report
    # A page that reads the database, too: an unknown certificate code is a friendly 404 page.
    status, body, _headers = get(live_server.url + "/certificates/NOSUCHCODE2345/")
    assert status == 404 and "NOSUCHCODE2345" in body.decode()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_a_gunicorn_worker_with_a_persistent_connection_survives_a_postgresql_restart(cluster, tmp_path):
    port = free_port()
    env = dict(os.environ)
    env.update(
        DJANGO_SETTINGS_MODULE="tests.support.drill_settings",
        DATABASE_URL=database_url_for_subprocess(),
        CONN_MAX_AGE="600",
        ALLOWED_HOSTS="127.0.0.1,localhost",
        PYTHONPATH=str(ROOT),
    )
    if os.environ.get("CELERY_BROKER_URL"):
        env["CELERY_BROKER_URL"] = broker_url()
    log = tmp_path / "gunicorn.log"
    base = f"http://127.0.0.1:{port}"
    with open(log, "wb") as handle:
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "incubator.wsgi:application",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--worker-class",
                "sync",
                "--timeout",
                "60",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    status, report = health(base)
                    break
                except (urllib.error.URLError, ConnectionError):
                    assert time.monotonic() < deadline, log.read_text(errors="replace")[-3000:]
                    assert server.poll() is None, log.read_text(errors="replace")[-3000:]
                    time.sleep(0.5)
            assert (status, report["checks"]["database"]) == (200, "ok")
            workers_before = worker_pids(server.pid)

            restart_postgres(*cluster)

            status, report = health(base)
            assert (status, report["checks"]["database"]) == (200, "ok"), log.read_text(errors="replace")[-3000:]
            status, _body, _headers = get(base + "/certificates/")
            assert status == 200
            assert server.poll() is None
            assert worker_pids(server.pid) == workers_before, "the gunicorn worker was restarted"
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait(timeout=10)


def worker_pids(master_pid: int) -> set[int]:
    result = subprocess.run(["pgrep", "-P", str(master_pid)], capture_output=True, text=True, timeout=10)
    return {int(pid) for pid in result.stdout.split()}
