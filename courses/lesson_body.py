"""A lesson's teaching content, rendered once and shared by everyone who reads it.

The body (text, images in their phone sizes, videos, documents, tips, steps), the task's
instructions and the empty quiz and task forms are the same for every reader in a language:
content, not personal. Rendering them was the largest part of a lesson page (the blocks'
templates, rich text with its links, the images' renditions, a widget per answer), so they are
rendered once per lesson and language and kept in the cache; a signed-in lesson then renders
only the person's own progress, attempts and submission around them.

- Nothing personal can be in it: everything is rendered without the request's context (no
  person, no CSRF token, no messages, no answers: only empty forms; a form sent back with its
  errors is rendered for its sender).
- It follows the content: each entry carries a digest of the lesson's content as stored and of
  the templates, and is used only while both match (a new revision, a save without one, a
  deploy that changes a template all render afresh).
- What the body points to (an image replaced, a document, a video, a linked page moved or
  unpublished) drops the entries of the lessons that use it, through Wagtail's reference
  index; entries expire after BODY_SECONDS whatever happens, which bounds a change that raced a
  reader rendering the old one.
"""

import hashlib
import json
from functools import cache as memoize

from django.conf import settings
from django.core.cache import cache
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import get_template, render_to_string
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

BODY_SECONDS = 10 * 60
FORM_TEMPLATE = "includes/form.html"
FORM_TEMPLATES = (FORM_TEMPLATE, "includes/field.html", "includes/form_errors.html")
PARTS = ("body", "task_instructions", "quiz_form", "task_form")


def cache_key(lesson_id: int, language: str) -> str:
    return f"lesson-body:{lesson_id}:{language}"


@memoize
def _templates_digest() -> str:
    """The templates' source, once per process: a deploy that changes one renders anew."""
    from courses.blocks import LessonBodyBlock

    blocks = {child.meta.template for child in LessonBodyBlock().child_blocks.values() if child.meta.template}
    source = "".join(get_template(name).template.source for name in sorted(blocks | set(FORM_TEMPLATES)))
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _digest(lesson) -> str:
    content = {
        "body": list(lesson.body.raw_data),
        "quiz": list(lesson.quiz.raw_data),
        "task": [lesson.task_instructions, lesson.task_wants_link, lesson.task_min_files],
    }
    stored = json.dumps(content, sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(f"{_templates_digest()}|{stored}".encode()).hexdigest()


def _render_form(form) -> str:
    return render_to_string(FORM_TEMPLATE, {"form": form}) if form is not None else ""


def render_content(lesson) -> dict[str, str]:
    """Each part, rendered with only its own values in the context (never the request's)."""
    from wagtail.templatetags.wagtailcore_tags import richtext

    from courses.forms import QuizForm, TaskForm

    return {
        "body": "".join(block.render_as_block() for block in lesson.body),
        "task_instructions": str(richtext(lesson.task_instructions)) if lesson.has_task else "",
        "quiz_form": _render_form(QuizForm(questions=lesson.questions) if lesson.has_quiz else None),
        "task_form": _render_form(TaskForm(lesson=lesson) if lesson.has_task else None),
    }


def rendered_content(lesson) -> dict[str, SafeString]:
    """The lesson's shared parts (PARTS) in the active language, from the cache while they still
    match the lesson."""
    key = cache_key(lesson.pk, get_language())
    digest = _digest(lesson)
    found = cache.get(key)
    if found is None or found[0] != digest:
        found = (digest, render_content(lesson))
        cache.set(key, found, BODY_SECONDS)
    # Stored as rendered here, by templates that escape what they show.
    return {part: mark_safe(found[1][part]) for part in PARTS}  # noqa: S308


def forget(lesson_ids) -> None:
    """Drop the rendered bodies of these lessons, in every language."""
    keys = [cache_key(lesson_id, code) for lesson_id in lesson_ids for code, _name in settings.LANGUAGES]
    if keys:
        cache.delete_many(keys)


def forget_lessons_using(instance) -> None:
    """After an image, document, video or page changed: drop the bodies of the lessons that use it
    (once the change commits, so that the next reader renders the new one)."""
    from django.contrib.contenttypes.models import ContentType

    from wagtail.models import ReferenceIndex

    from courses.models import LessonPage

    lesson_ids = list(
        ReferenceIndex.get_references_to(instance)
        .filter(content_type=ContentType.objects.get_for_model(LessonPage), model_path__startswith="body.")
        .values_list("object_id", flat=True)
    )
    if lesson_ids:
        transaction.on_commit(lambda: forget([int(pk) for pk in lesson_ids]))
