"""A lesson's teaching content, rendered once and shared by everyone who reads it.

The body (text, images in their phone sizes, videos, documents, tips, steps) is the same for
every reader in a language: it is content, not personal. Rendering it was the largest part of a
lesson page (the blocks' templates, rich text with its links, the images' renditions), so it is
rendered once per lesson and language and kept in the cache; a signed-in lesson then renders
only the person's own progress, quiz and task around it.

- Nothing personal can be in it: the blocks are rendered without the request's context (no
  person, no CSRF token, no messages), only with the block's own value.
- It follows the content: each entry carries a digest of the body as stored and of the block
  templates, and is used only while both match (a new revision, a save without one, a deploy
  that changes a block template all render afresh).
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
from django.template.loader import get_template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

BODY_SECONDS = 10 * 60


def cache_key(lesson_id: int, language: str) -> str:
    return f"lesson-body:{lesson_id}:{language}"


@memoize
def _templates_digest() -> str:
    """The block templates' source, once per process: a deploy that changes one renders anew."""
    from courses.blocks import LessonBodyBlock

    names = sorted(
        {
            child.meta.template
            for child in LessonBodyBlock().child_blocks.values()
            if getattr(child.meta, "template", None)
        }
    )
    source = "".join(get_template(name).template.source for name in names)
    return hashlib.sha256(source.encode()).hexdigest()[:16]


def _digest(lesson) -> str:
    stored = json.dumps(list(lesson.body.raw_data), sort_keys=True, cls=DjangoJSONEncoder)
    return hashlib.sha256(f"{_templates_digest()}|{stored}".encode()).hexdigest()


def render_body(lesson) -> SafeString:
    """The body's blocks, each with its own template and only its own value in the context."""
    return mark_safe("".join(block.render_as_block() for block in lesson.body))  # noqa: S308 (blocks escape)


def rendered_body(lesson) -> SafeString:
    """The lesson's body in the active language, from the cache when it still matches."""
    key = cache_key(lesson.pk, get_language())
    digest = _digest(lesson)
    found = cache.get(key)
    if found is not None and found[0] == digest:
        return mark_safe(found[1])  # noqa: S308 (stored from render_body)
    html = render_body(lesson)
    cache.set(key, (digest, str(html)), BODY_SECONDS)
    return html


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
