"""Factories of the merchants tests: shops, reports, cohorts with their courses, trainee profiles."""

import datetime
from decimal import Decimal

import factory

from django.utils import timezone

from incubator.merchants.models import Cooperative, SalesReport, Shop
from tests.factories import TownshipFactory, TraineeFactory, VillageFactory
from tests.pages_factories import RecruitmentCampaignPageFactory


class ShopFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Shop

    owner = factory.SubFactory(TraineeFactory)
    platform = Shop.Platform.TAOBAO
    name = factory.Sequence(lambda n: f"秭阳脐橙小店{n}")
    url = factory.Sequence(lambda n: f"https://shop{n}.example.com/")
    opened_on = datetime.date(2024, 1, 1)


class SalesReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SalesReport

    shop = factory.SubFactory(ShopFactory)
    month = datetime.date(2025, 1, 1)
    orders = 10
    sales = Decimal("1000.00")
    # Verified by default: a test about something else (activity, the dashboard's sums) wants a
    # month that counts. Tests about verification say status=PENDING or FLAGGED.
    status = SalesReport.Status.VERIFIED
    verified_at = factory.LazyFunction(timezone.now)


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"脐橙电商合作社{n}")
    township = factory.SubFactory(TownshipFactory)


def make_cohort(*, name="2025年第一期", starts_on=datetime.date(2025, 3, 1), requires_shop=True, courses=()):
    from incubator.recruitment.models import Cohort

    cohort = Cohort.objects.create(
        campaign=RecruitmentCampaignPageFactory(
            opens_at=timezone.now() - datetime.timedelta(days=30),
            closes_at=timezone.now() + datetime.timedelta(days=30),
        ),
        name=name,
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=90),
        requires_shop=requires_shop,
    )
    cohort.required_courses.set(courses)
    return cohort


def make_profile(*, user=None, cohort=None, stage="trainee", village=None, changed_at=None, **kwargs):
    from incubator.recruitment.models import TraineeProfile

    user = user or TraineeFactory()
    return TraineeProfile.objects.create(
        user=user,
        cohort=cohort,
        stage=stage,
        village=village or VillageFactory(),
        stage_changed_at=changed_at or timezone.now(),
        **kwargs,
    )


def complete_lesson(*, user, lesson, course):
    from courses.models import LessonProgress

    LessonProgress.objects.update_or_create(
        user=user, lesson=lesson, defaults={"course": course, "completed_at": timezone.now()}
    )


def approve_task(*, user, lesson, reviewer=None):
    from courses.models import TaskSubmission

    TaskSubmission.objects.update_or_create(
        user=user,
        lesson=lesson,
        defaults={
            "status": TaskSubmission.Status.APPROVED,
            "submitted_at": timezone.now(),
            "reviewed_at": timezone.now(),
            "reviewer": reviewer,
        },
    )


def recommend(*, trainee, mentor):
    from mentors.models import GraduationRecommendation

    return GraduationRecommendation.objects.create(trainee=trainee, mentor=mentor, note="可以结业")
