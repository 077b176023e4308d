"""The files in deploy/ are what the machines will run: each is checked by its own tool here."""

import re
import shutil
import socket
import subprocess
import time
from pathlib import Path

import pytest

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.mark.skipif(shutil.which("systemd-analyze") is None, reason="systemd-analyze is not installed")
@pytest.mark.parametrize("unit", sorted(p.name for p in (DEPLOY / "systemd").iterdir()))
def test_systemd_units_verify(unit, tmp_path):
    # Verified from a copy: only the paths that exist on a deployed machine are allowed to be missing.
    shutil.copytree(DEPLOY / "systemd", tmp_path / "units")
    result = subprocess.run(
        ["systemd-analyze", "verify", "--man=no", str(tmp_path / "units" / unit)], capture_output=True, text=True
    )
    problems = [
        line
        for line in (result.stdout + result.stderr).splitlines()
        if line.strip()
        and "/srv/incubator/app/" not in line
        and "incubator-backup.service" not in line.split(":")[0]
        or ("incubator-backup.service" in line and "/srv/incubator/app/" not in line)
    ]
    assert problems == [], problems


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx is not installed")
def test_the_nginx_site_passes_nginx_t(tmp_path):
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=incubator.test",
         "-keyout", str(tmp_path / "privkey.pem"), "-out", str(tmp_path / "fullchain.pem")],
        check=True, capture_output=True,
    )  # fmt: skip
    site = (DEPLOY / "nginx" / "incubator.conf").read_text().replace("/etc/ssl/incubator", str(tmp_path))
    (tmp_path / "site.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ access_log off; client_body_temp_path {tmp_path}; include {tmp_path}/site.conf; }}\n"
    )
    result = subprocess.run(["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "X-Forwarded-For $proxy_add_x_forwarded_for" in site and "ALLAUTH_TRUSTED_PROXY_COUNT" in site


def _env_example(name):
    for line in (DEPLOY.parent / ".env.example").read_text().splitlines():
        if line.startswith(f"{name}="):
            return Path(line.split("=", 1)[1].strip())
    raise AssertionError(f"{name} is not in .env.example")


@pytest.mark.parametrize("site", ["deploy/nginx/incubator.conf", "scripts/nginx-two-nodes.conf.template"])
def test_nginx_serves_no_private_upload_from_disk(site):
    """Task files, evidence, order exports and certificate PDFs are handed out only by views that
    check the person: no folder nginx serves may hold PRIVATE_MEDIA_ROOT, or lie inside it."""
    media, private = _env_example("MEDIA_ROOT"), _env_example("PRIVATE_MEDIA_ROOT")
    text = (DEPLOY.parent / site).read_text().replace("@MEDIA_ROOT@", str(media))
    served = [Path(m.group(2).strip()) for m in re.finditer(r"^\s*(root|alias)\s+([^;]+);", text, flags=re.M)]
    assert served == [media], served  # the public media folder, and nothing else
    for folder in served:
        assert not private.is_relative_to(folder) and not folder.is_relative_to(private), folder


@pytest.mark.skipif(shutil.which("redis-server") is None, reason="redis-server is not installed")
@pytest.mark.parametrize(
    ("conf", "policy", "aof"), [("cache.conf", "allkeys-lru", "no"), ("broker.conf", "noeviction", "yes")]
)
def test_redis_configs_start_with_the_intended_eviction_policy(conf, policy, aof, tmp_path):
    port = _free_port()
    server = subprocess.Popen(
        ["redis-server", str(DEPLOY / "redis" / conf), "--port", str(port), "--dir", str(tmp_path)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        cli = ["redis-cli", "-p", str(port)]
        deadline = time.monotonic() + 10
        while subprocess.run([*cli, "ping"], capture_output=True, text=True).stdout.strip() != "PONG":
            assert time.monotonic() < deadline, "redis did not start with the config"
            time.sleep(0.1)
        got = subprocess.run([*cli, "config", "get", "maxmemory-policy"], capture_output=True, text=True).stdout
        assert got.split() == ["maxmemory-policy", policy]
        got = subprocess.run([*cli, "config", "get", "appendonly"], capture_output=True, text=True).stdout
        assert got.split() == ["appendonly", aof]
    finally:
        server.terminate()
        server.wait(10)


def test_the_pre_commit_configuration_is_valid_and_runs_the_tools_make_lint_runs():
    root = DEPLOY.parent
    result = subprocess.run(
        [str(root / ".venv" / "bin" / "pre-commit"), "validate-config", ".pre-commit-config.yaml"],
        cwd=root, capture_output=True, text=True,
    )  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    config = (root / ".pre-commit-config.yaml").read_text()
    makefile = (root / "Makefile").read_text()
    for tool in ("ruff check", "ruff format", "makemigrations --check --dry-run"):
        assert tool in config and tool in makefile
