"""Builders of the outreach tests: a cohort of trainees with a mentor, classes and attendance."""

from datetime import timedelta

from django.utils import timezone

from incubator.outreach.models import Attendance, ClassSession
from incubator.recruitment.models import TraineeProfile
from tests.factories import TraineeFactory, VillageFactory
from tests.mentors.factories import assign, make_mentor
from tests.recruitment.factories import CohortFactory


def trainee_in(cohort, *, village=None, **values):
    person = TraineeFactory(village=village or VillageFactory(), **values)
    TraineeProfile.objects.update_or_create(
        user=person,
        defaults={"cohort": cohort, "stage": TraineeProfile.Stage.TRAINEE, "village": person.village},
    )
    return person


def cohort_with(n, *, mentor=None, village=None):
    """A cohort of `n` trainees, all assigned to `mentor` (made when not given)."""
    cohort = CohortFactory()
    mentor = mentor or make_mentor()
    trainees = [trainee_in(cohort, village=village) for _ in range(n)]
    for trainee in trainees:
        assign(mentor, trainee)
    return cohort, mentor, trainees


def session(cohort, *, led_by, days_ago=0, topic="拍好商品照片"):
    return ClassSession.objects.create(
        cohort=cohort,
        date=timezone.localdate() - timedelta(days=days_ago),
        place="村委会",
        topic=topic,
        led_by=led_by,
    )


def mark(session, trainee, status):
    return Attendance.objects.update_or_create(session=session, trainee=trainee, defaults={"status": status})[0]
