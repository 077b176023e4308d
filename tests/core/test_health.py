import pytest
from celery import current_app
from kombu import Connection

from django.db import OperationalError
from django.urls import reverse

from core import views
from tests.support.production import run_manage

pytestmark = pytest.mark.django_db


# A real Redis cache on a port where nothing listens: Django's own backend raises on every call,
# so an answer proves the view never touched it; the site's resilient one answers as empty.
CLOSED_PORT = "redis://127.0.0.1:1/0"


def redis_cache(backend: str) -> dict:
    return {"default": {"BACKEND": backend, "LOCATION": CLOSED_PORT}}


def test_live_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("core:healthz_live"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_live_answers_while_redis_is_away(client, settings, django_assert_num_queries):
    settings.CACHES = redis_cache("django.core.cache.backends.redis.RedisCache")
    with django_assert_num_queries(0):
        response = client.get("/healthz/live")
    assert (response.status_code, response.json()) == (200, {"status": "ok"})


def test_ready_names_each_dependency(client):
    response = client.get("/healthz/ready")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "cache": "ok"}, "failed": []}
    assert "no-store" in response["Cache-Control"]


def test_healthz_is_the_readiness_answer(client):
    assert reverse("core:healthz") == "/healthz"
    assert client.get("/healthz").json() == client.get("/healthz/ready").json()


def test_ready_names_the_broker_when_it_is_checked(client, settings, monkeypatch):
    settings.HEALTHZ_CHECK_BROKER = True
    # The app Celery knows as current (the one Django started), its broker on a closed port.
    app = current_app._get_current_object()
    monkeypatch.setattr(app, "connection_for_write", lambda: Connection(CLOSED_PORT))
    response = client.get("/healthz/ready")
    # The broker is away: tasks wait in the database for the sweep, the site keeps answering.
    assert response.status_code == 200
    assert response.json() == {
        "status": "degraded",
        "checks": {"database": "ok", "cache": "ok", "broker": "down"},
        "failed": ["broker"],
    }


def test_a_redis_outage_leaves_the_node_live_and_ready_degraded(client, settings):
    settings.CACHES = redis_cache("core.cache.ResilientRedisCache")
    live = client.get("/healthz/live")
    ready = client.get("/healthz/ready")
    assert live.status_code == 200
    # 200, not 503: every page still answers from PostgreSQL while Redis is away, and a 503 here
    # would take every node out of rotation at once.
    assert ready.status_code == 200
    assert ready.json() == {"status": "degraded", "checks": {"database": "ok", "cache": "down"}, "failed": ["cache"]}


def test_ready_is_503_when_the_database_is_down(client, monkeypatch):
    def refused():
        raise OperationalError("connection refused")

    monkeypatch.setattr(views, "_check_database", refused)
    response = client.get("/healthz/ready")
    assert response.status_code == 503
    assert response.json() == {"status": "fail", "checks": {"database": "down", "cache": "ok"}, "failed": ["database"]}
    assert client.get("/healthz/live").status_code == 200


def test_check_deploy_is_clean_under_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_to_start_without_a_secret_key():
    result = run_manage("check", env={"SECRET_KEY": ""})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
