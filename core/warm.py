"""What every serving process loads once and keeps (gunicorn.conf.py calls `warm` as a worker
starts, before its first request).

Django keeps each content type it has looked up for the life of the process; Wagtail looks up a
page's specific type on every page it serves. Loaded one by one, the first requests of a new
worker each read a few of them (four for a lesson: the lesson, the course, their index, the
home page); `warm` reads them all in one query, so a new worker (after a deploy, or a Redis
restart with the same workers) answers its first pages with the queries of any other.
Content types are names of models, never people's data, and change only with a migration
(which a deploy follows with new workers).
"""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType


def warm() -> None:
    ContentType.objects.get_for_models(*apps.get_models(), for_concrete_models=False)
