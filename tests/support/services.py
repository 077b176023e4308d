"""Stopping and starting the real services (Redis, PostgreSQL) for the fault drills.

Every drill that stops a service restores it in a `finally`, and skips with a reason when the
service is not the one this machine runs (SQLite, no Redis, no pg_ctlcluster).
"""

import os
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import urlparse

import pytest

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[2]


def require_postgres() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("this drill needs PostgreSQL (set DATABASE_URL=postgres://...)")


def broker_url() -> str:
    url = os.environ.get("CELERY_BROKER_URL", "")
    if not url.startswith("redis://"):
        pytest.skip("this drill needs Redis (set CELERY_BROKER_URL=redis://...)")
    return url


def _redis_cli(url: str, *args: str, timeout: float = 5) -> subprocess.CompletedProcess:
    parsed = urlparse(url)
    return subprocess.run(
        ["redis-cli", "-h", parsed.hostname or "127.0.0.1", "-p", str(parsed.port or 6379), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def redis_is_up(url: str) -> bool:
    try:
        return _redis_cli(url, "ping").stdout.strip() == "PONG"
    except (OSError, subprocess.TimeoutExpired):
        return False


def require_local_redis() -> str:
    url = broker_url()
    if shutil.which("redis-cli") is None or shutil.which("redis-server") is None:
        pytest.skip("this drill stops and restarts Redis: redis-cli and redis-server are needed")
    host = urlparse(url).hostname
    if host not in ("127.0.0.1", "localhost", "::1"):
        pytest.skip("this drill stops Redis, which it only does on this machine")
    if not redis_is_up(url):
        pytest.skip("Redis is not answering")
    return url


def stop_redis(url: str) -> None:
    _redis_cli(url, "shutdown", "nosave")
    deadline = time.monotonic() + 15
    while redis_is_up(url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not redis_is_up(url), "Redis did not stop"


def start_redis(url: str) -> None:
    """Start Redis again with the project's own command (scripts/ensure-services.sh)."""
    if redis_is_up(url):
        return
    subprocess.run(["bash", str(ROOT / "scripts" / "ensure-services.sh")], capture_output=True, timeout=90)
    deadline = time.monotonic() + 30
    while not redis_is_up(url) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert redis_is_up(url), "Redis did not come back"


def postgres_cluster() -> tuple[str, str]:
    if shutil.which("pg_ctlcluster") is None or not Path("/etc/postgresql").is_dir():
        pytest.skip("this drill restarts PostgreSQL with pg_ctlcluster, which is not installed here")
    host = settings.DATABASES["default"].get("HOST") or "127.0.0.1"
    if host not in ("127.0.0.1", "localhost", "::1", ""):
        pytest.skip("this drill restarts PostgreSQL, which it only does on this machine")
    versions = sorted(p.name for p in Path("/etc/postgresql").iterdir() if (p / "main").is_dir())
    if not versions:
        pytest.skip("no PostgreSQL cluster named main under /etc/postgresql")
    return versions[-1], "main"


def postgres_is_up() -> bool:
    host = settings.DATABASES["default"].get("HOST") or "127.0.0.1"
    port = str(settings.DATABASES["default"].get("PORT") or 5432)
    return subprocess.run(["pg_isready", "-h", host, "-p", port, "-q"], timeout=10).returncode == 0


def restart_postgres(version: str, cluster: str) -> None:
    subprocess.run(
        ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "restart"],
        check=True,
        capture_output=True,
        timeout=120,
    )
    deadline = time.monotonic() + 60
    while not postgres_is_up() and time.monotonic() < deadline:
        time.sleep(0.5)


def ensure_postgres(version: str, cluster: str) -> None:
    """Bring PostgreSQL back if a drill left it down (e.g. a restart that failed half-way)."""
    if not postgres_is_up():
        subprocess.run(
            ["pg_ctlcluster", "--skip-systemctl-redirect", version, cluster, "start"], capture_output=True, timeout=120
        )
        deadline = time.monotonic() + 60
        while not postgres_is_up() and time.monotonic() < deadline:
            time.sleep(0.5)


def database_url_for_subprocess() -> str:
    """The URL of the test database this process uses (for a subprocess that must share it)."""
    conf = connection.settings_dict
    user = conf.get("USER") or "postgres"
    password = f":{conf['PASSWORD']}" if conf.get("PASSWORD") else ""
    host = conf.get("HOST") or "127.0.0.1"
    port = conf.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{conf['NAME']}"
