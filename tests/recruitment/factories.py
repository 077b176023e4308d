"""Factories of recruitment: the page tree (/recruit/ and campaigns), applications, cohorts."""

from datetime import date, timedelta

import factory

from django.utils import timezone

from wagtail.models import Page, Site

from core.models import ProductCategory
from incubator.recruitment import services
from incubator.recruitment.models import (
    Application,
    CampaignQuestion,
    Cohort,
    RecruitmentCampaignPage,
    RecruitmentIndexPage,
)
from tests.factories import UserFactory, VillageFactory


def site_root() -> Page:
    site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
    if site is None:  # a transactional test flushed the tree that migrations made
        root = Page.get_first_root_node() or Page.add_root(title="Root", slug="root")
        home = root.add_child(instance=Page(title="首页", slug="home"))
        site = Site.objects.create(hostname="localhost", root_page=home, is_default_site=True)
    return site.root_page


def recruitment_index() -> RecruitmentIndexPage:
    index = RecruitmentIndexPage.objects.first()
    if index is None:
        index = RecruitmentIndexPage(title="招募活动", slug="recruit")
        site_root().add_child(instance=index)
    return index


_counter = iter(range(1, 10**6))


def make_campaign(*, questions=(), townships=(), villages=(), live=True, **values) -> RecruitmentCampaignPage:
    """A campaign open for applications now (override opens_at/closes_at/quota as needed)."""
    now = timezone.now()
    n = next(_counter)
    defaults = {
        "title": f"招募活动{n}",
        "slug": f"campaign-{n}",
        "opens_at": now - timedelta(days=1),
        "closes_at": now + timedelta(days=10),
        "quota": 10,
        "live": live,
    }
    defaults.update(values)
    campaign = RecruitmentCampaignPage(**defaults)
    for order, question in enumerate(questions):
        campaign.questions.add(CampaignQuestion(sort_order=order, **question))
    recruitment_index().add_child(instance=campaign)
    if townships:
        campaign.eligible_townships.set(townships)
    if villages:
        campaign.eligible_villages.set(villages)
    if townships or villages:
        campaign.save()
    return campaign


def facts(**values) -> services.ApplicantFacts:
    defaults = {
        "real_name": "向小梅",
        "phone": "+8613800138000",
        "village": values.pop("village", None) or VillageFactory(),
    }
    defaults.update(values)
    return services.ApplicantFacts(**defaults)


def make_application(*, campaign=None, applicant=None, status=None, by=None, **fact_values) -> Application:
    campaign = campaign or make_campaign()
    applicant = applicant or UserFactory()
    application = services.submit_application(
        campaign=campaign, applicant=applicant, facts=facts(**fact_values), imported_by=by or applicant
    )
    if status and status != Application.Status.SUBMITTED:
        application = services.change_application_status(
            application=application, to=status, by=by, allow_over_quota=True, notify_applicant=False
        )
    return application


class CohortFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cohort

    campaign = factory.LazyFunction(make_campaign)
    name = factory.Sequence(lambda n: f"第{n}期")
    starts_on = factory.LazyFunction(lambda: date.today())
    ends_on = factory.LazyFunction(lambda: date.today() + timedelta(days=60))


def make_course(*, title="开网店入门", enrolment=None):
    from courses.models import CourseIndexPage, CoursePage

    index = CourseIndexPage.objects.first()
    if index is None:
        index = CourseIndexPage(title="课程", slug="courses")
        site_root().add_child(instance=index)
    n = next(_counter)
    values = {"title": title, "slug": f"course-{n}", "summary": "手机开店"}
    if enrolment is not None:
        values["enrolment"] = enrolment
    course = CoursePage(**values)
    index.add_child(instance=course)
    return course


def product(slug="navel-orange", name="脐橙") -> ProductCategory:
    return ProductCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
