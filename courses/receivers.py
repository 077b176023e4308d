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
