"""Factories of the merchants tests: shops, reports, cohorts with their courses, trainee profiles."""

import datetime
from decimal import Decimal

import factory

from django.utils import timezone

from wagtail.models import Page

from incubator.merchants.models import Cooperative, SalesReport, Shop
from tests.factories import TownshipFactory, TraineeFactory, VillageFactory


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


class CooperativeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cooperative

    name = factory.Sequence(lambda n: f"脐橙电商合作社{n}")
    township = factory.SubFactory(TownshipFactory)
    member_households = 40
    poor_households = 10


def root_page():
    """Wagtail's root page (made by its migrations; made here when tests run without them)."""
    from wagtail.models import Locale

    root = Page.get_first_root_node()
    if root is None:
        Locale.objects.get_or_create(language_code="zh-hans")
        root = Page.add_root(instance=Page(title="Root", slug="root"))
    return root


def campaign_page(**kwargs):
    from incubator.recruitment.models import RecruitmentCampaignPage

    root = root_page()
    now = timezone.now()
    number = RecruitmentCampaignPage.objects.count() + 1
    page = RecruitmentCampaignPage(
        title=kwargs.pop("title", f"招募{number}"),
        slug=f"campaign-{number}",
        opens_at=now - datetime.timedelta(days=30),
        closes_at=now + datetime.timedelta(days=30),
        **kwargs,
    )
    root.add_child(instance=page)
    return page


def make_cohort(*, name="2025年第一期", starts_on=datetime.date(2025, 3, 1), requires_shop=True, courses=()):
    from incubator.recruitment.models import Cohort

    cohort = Cohort.objects.create(
        campaign=campaign_page(),
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


def make_course(*, title="开网店入门", lessons=(("选品与定价", False), ("拍出好照片", True))):
    """A live course with lessons; (title, has_task) per lesson. Returns (course, [lessons])."""
    from courses.models import CoursePage, LessonPage
    from courses.services import refresh_course_totals

    root = root_page()
    count = CoursePage.objects.count() + 1
    course = CoursePage(title=title, slug=f"course-{count}", summary="学会在网上开店")
    root.add_child(instance=course)
    made = []
    for index, (lesson_title, has_task) in enumerate(lessons, start=1):
        lesson = LessonPage(
            title=lesson_title,
            slug=f"lesson-{index}",
            task_instructions="<p>上传你的作业</p>" if has_task else "",
            task_title="实操作业" if has_task else "",
        )
        course.add_child(instance=lesson)
        made.append(lesson)
    refresh_course_totals(course=course)
    course.refresh_from_db()
    return course, made


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
