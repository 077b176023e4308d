"""Keep each course's stored lesson count and length right as lessons come and go."""

from django.db.models.signals import post_delete
from django.dispatch import receiver

from wagtail.signals import page_published, page_unpublished, post_page_move

from courses.models import CoursePage, LessonPage


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
        _refresh(parent_page_before.pk)
        _refresh(parent_page_after.pk)
