"""Factories of recruitment: the page tree (/recruit/ and campaigns), applications, cohorts."""

from datetime import date, timedelta

import factory

from core.models import ProductCategory
from incubator.recruitment.models import (
    Application,
    CampaignQuestion,
    Cohort,
    RecruitmentCampaignPage,
)
from incubator.recruitment.services.applying import ApplicantFacts, submit_application
from incubator.recruitment.services.review import change_application_status
from tests.factories import UserFactory, VillageFactory
from tests.pages_factories import RecruitmentCampaignPageFactory


def make_campaign(*, questions=(), townships=(), villages=(), **values) -> RecruitmentCampaignPage:
    """A campaign open for applications now, with extra `questions` (dicts of CampaignQuestion fields)."""
    return RecruitmentCampaignPageFactory(
        questions=[CampaignQuestion(sort_order=order, **question) for order, question in enumerate(questions)],
        eligible_townships=list(townships),
        eligible_villages=list(villages),
        **values,
    )


def facts(**values) -> ApplicantFacts:
    defaults = {
        "real_name": "向小梅",
        "phone": "+8613800138000",
        "village": values.pop("village", None) or VillageFactory(),
    }
    defaults.update(values)
    return ApplicantFacts(**defaults)


def make_application(*, campaign=None, applicant=None, status=None, by=None, **fact_values) -> Application:
    campaign = campaign or make_campaign()
    applicant = applicant or UserFactory()
    application = submit_application(
        campaign=campaign, applicant=applicant, facts=facts(**fact_values), imported_by=by or applicant
    )
    if status and status != Application.Status.SUBMITTED:
        application = change_application_status(
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


def product(slug="navel-orange", name="脐橙") -> ProductCategory:
    return ProductCategory.objects.get_or_create(slug=slug, defaults={"name": name})[0]
