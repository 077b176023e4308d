import pytest
from tests.drills import test_redis_down as m
from tests.drills.test_redis_down import settings_override_broker  # noqa: F401

pytestmark = [pytest.mark.drill, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

def test_dry(client, settings_override_broker, monkeypatch):  # noqa: F811
    monkeypatch.setattr(m, "stop_redis", lambda url: None)
    monkeypatch.setattr(m, "start_redis", lambda url: None)
    m.test_a_lesson_completed_while_redis_is_down_is_announced_after_it_returns.__wrapped__(client, settings_override_broker) if hasattr(m.test_a_lesson_completed_while_redis_is_down_is_announced_after_it_returns, "__wrapped__") else m.test_a_lesson_completed_while_redis_is_down_is_announced_after_it_returns(client, settings_override_broker)
