"""Factories and builders of the mentors tests: mentors, assignments, and a small course tree."""

from datetime import timedelta

import factory

from django.utils import timezone

from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile
from tests.factories import MentorFactory, TraineeFactory, UserFactory


class MentorProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorProfile
        skip_postgeneration_save = True

    user = factory.SubFactory(MentorFactory)
    capacity = 10
    is_active = True

    @factory.post_generation
    def townships(self, create, extracted, **kwargs):
        if create and extracted:
            self.townships.set(extracted)

    @factory.post_generation
    def expertise(self, create, extracted, **kwargs):
        if create and extracted:
            self.expertise.set(extracted)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MentorAssignment

    mentor = factory.LazyFunction(lambda: MentorProfileFactory().user)
    trainee = factory.SubFactory(TraineeFactory)
    started_at = factory.LazyFunction(timezone.now)


class CheckInFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CheckIn

    mentor = factory.LazyFunction(lambda: MentorProfileFactory().user)
    trainee = factory.SubFactory(TraineeFactory)
    channel = CheckIn.Channel.PHONE
    notes = "谈了开店的进度"


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = GraduationRecommendation

    mentor = factory.LazyFunction(lambda: MentorProfileFactory().user)
    trainee = factory.SubFactory(TraineeFactory)
    note = "准备好了"


def make_mentor(**kwargs):
    """A mentor user with an active profile."""
    return MentorProfileFactory(**kwargs).user


def assign(mentor, trainee=None, *, days_ago=0, ended_days_ago=None):
    """An assignment row made directly (bypassing the service), optionally backdated or ended."""
    now = timezone.now()
    return MentorAssignment.objects.create(
        mentor=mentor,
        trainee=trainee or TraineeFactory(),
        started_at=now - timedelta(days=days_ago),
        ended_at=None if ended_days_ago is None else now - timedelta(days=ended_days_ago),
    )


def lessons_of(course):
    from courses.models import LessonPage

    return list(LessonPage.objects.child_of(course).order_by("path"))


def enroll(user, course, source="cohort"):
    from courses.services import enroll as course_enroll

    return course_enroll(user=user, course=course, source=source)


def submit(user, lesson, text="我的作业"):
    from courses.services import submit_task

    return submit_task(user=user, lesson=lesson, text=text)


__all__ = ["UserFactory"]
