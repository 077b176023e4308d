"""Run manage.py under the production settings in a child process (settings are read once per
process, so what production refuses or allows can only be seen from a fresh one)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "incubator.settings.production",
    "SECRET_KEY": "x" * 64 + "-a-long-random-production-secret",
    "ALLOWED_HOSTS": "incubator.example.cn",
    "SITE_URL": "https://incubator.example.cn",
    "CACHE_URL": os.environ.get("CACHE_URL", "redis://127.0.0.1:6379/14"),
}


def run_manage(*args: str, env: dict | None = None, unset: tuple[str, ...] = ()) -> subprocess.CompletedProcess:
    """`manage.py *args` with the production environment, `env` on top and `unset` removed."""
    environ = {**os.environ, **PRODUCTION_ENV, **(env or {})}
    environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests for Playwright's event loop
    for name in unset:
        environ.pop(name, None)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=environ, capture_output=True, text=True, timeout=120
    )


def shell_output(code: str, **kwargs) -> str:
    """The last line `manage.py shell -c code` printed under production settings."""
    result = run_manage("shell", "-c", code, **kwargs)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]
