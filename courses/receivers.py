"""Keep what courses store about the page tree right as lessons come, go and move: each course's
lesson count and length, the course copied on each lesson progress row, and the course
editors' rights on a new catalogue."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from core import roles
from courses.models import CourseIndexPage, CoursePage, LessonPage, LessonProgress


@receiver(post_save, sender=CourseIndexPage)
def catalogue_created(sender, instance, created, raw=False, **kwargs):
    # The course editors' rights hang on the catalogue, which the office makes after migrations.
    if created and not raw:
        roles.sync_page_permissions()


def _refresh(course_id) -> None:
    from courses.services import refresh_course_totals

    course = CoursePage.objects.filter(pk=course_id).first()
    if course is not None:
        refresh_course_totals(course=course)


def _parent_course_id(page) -> int | None:
    parent = page.get_parent()
    return parent.pk if parent is not None else None


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def lesson_published_or_unpublished(sender, instance, **kwargs):
    _refresh(_parent_course_id(instance))


@receiver(post_delete, sender=LessonPage)
def lesson_deleted(sender, instance, **kwargs):
    # The tree row is gone; find the course by the lesson's path prefix.
    course = CoursePage.objects.filter(path=instance.path[: -LessonPage.steplen]).first()
    if course is not None:
        _refresh(course.pk)


@receiver(post_page_move)
def lesson_moved(sender, instance, parent_page_before, parent_page_after, **kwargs):
    if isinstance(instance.specific_deferred, LessonPage):
        if parent_page_after.pk != parent_page_before.pk:
            # The learners' progress on this lesson now counts towards the course it moved to.
            LessonProgress.objects.filter(lesson_id=instance.pk).update(course_id=parent_page_after.pk)
        _refresh(parent_page_before.pk)
        _refresh(parent_page_after.pk)


# --- a lesson's rendered body follows what it shows (courses/lesson_body.py) ------------------


def _drop_rendered_bodies(sender, instance, raw=False, **kwargs):
    if raw:
        return
    from courses import lesson_body

    lesson_body.forget_lessons_using(instance)


def _page_changed(sender, instance, raw=False, **kwargs):
    from wagtail.models import Page

    if isinstance(instance, Page):
        _drop_rendered_bodies(sender, instance, raw=raw)


def connect_rendered_bodies() -> None:
    """Images, documents, videos and pages that lessons show or link to drop those lessons' bodies."""
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtailmedia.models import get_media_model

    for model in (get_image_model(), get_document_model(), get_media_model()):
        post_save.connect(_drop_rendered_bodies, sender=model, dispatch_uid=f"lesson-body-{model._meta.label}")
        post_delete.connect(_drop_rendered_bodies, sender=model, dispatch_uid=f"lesson-body-delete-{model._meta.label}")
    # Pages are saved as their own type: any page's save, move or deletion (a linked page).
    post_save.connect(_page_changed, dispatch_uid="lesson-body-page-save")
    post_delete.connect(_page_changed, dispatch_uid="lesson-body-page-delete")
    post_page_move.connect(_page_changed, dispatch_uid="lesson-body-page-move")
