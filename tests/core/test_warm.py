"""What a serving process loads as it starts (core/warm.py, called by gunicorn.conf.py)."""

import importlib.util
from pathlib import Path

import pytest

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from core.warm import warm

pytestmark = pytest.mark.django_db


def test_a_warm_process_looks_up_no_content_type_again(django_assert_num_queries):
    ContentType.objects.clear_cache()
    with django_assert_num_queries(1):
        warm()
    ids = ContentType.objects.values_list("pk", flat=True)
    ids = list(ids)
    with django_assert_num_queries(0):
        for pk in ids:
            ContentType.objects.get_for_id(pk)
        for model in apps.get_models():
            ContentType.objects.get_for_model(model, for_concrete_model=False)


def test_gunicorn_warms_each_worker_before_freezing_it():
    spec = importlib.util.spec_from_file_location("gunicorn_conf", Path(__file__).parents[2] / "gunicorn.conf.py")
    conf = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(conf)
    ContentType.objects.clear_cache()
    conf.post_worker_init(worker=None)
    try:
        assert ContentType.objects._cache, "the worker's content types are loaded"
    finally:
        import gc

        gc.unfreeze()
