"""The dashboard's funnel adds up under every filter: each stage counts the same people, each by
their own township and cohort year, so every stage is part of the one before it.

The county below is the issue's: applications sent in the year before the cohort starts, a
person who moved after applying, a person known only by the village on their account, a person
who applied twice. Every figure is computed by hand in the comments.
"""

import datetime
import itertools

import pytest

from django.urls import reverse
from django.utils import timezone

from core import cache_families
from incubator.merchants.selectors.dashboard import FUNNEL_STAGES, CountyFigures, funnel, township_table
from tests.factories import OfficeFactory, TownshipFactory, TraineeFactory, VillageFactory
from tests.pages_factories import RecruitmentCampaignPageFactory

from .factories import make_cohort, make_profile

pytestmark = pytest.mark.django_db


def at(year, month):
    return timezone.make_aware(datetime.datetime(year, month, 15, 10, 0))


@pytest.fixture
def county():
    from incubator.recruitment.models import Application, TraineeProfile

    north, south = TownshipFactory(code="north", name="北镇"), TownshipFactory(code="south", name="南镇")
    n1, n2, s1 = VillageFactory(township=north), VillageFactory(township=north), VillageFactory(township=south)
    c2025 = make_cohort(name="2025年春季班", starts_on=datetime.date(2025, 3, 1))
    c2026 = make_cohort(name="2026年春季班", starts_on=datetime.date(2026, 3, 1))
    autumn = RecruitmentCampaignPageFactory()

    def apply(profile, *, when, status, village=None, campaign=None):
        application = Application.objects.create(
            campaign=campaign or (profile.cohort.campaign if profile.cohort else autumn),
            applicant=profile.user,
            real_name=profile.user.real_name,
            phone="+8613800000000",
            village=village or profile.village or n1,
            status=status,
        )
        with cache_families.bulk_write(Application):
            Application.objects.filter(pk=application.pk).update(submitted_at=when)

    # Ann: applied in November 2024 for the cohort of 2025, now a merchant. 2025, north.
    ann = make_profile(cohort=c2025, stage="merchant", village=n1)
    apply(ann, when=at(2024, 11), status="accepted")
    # Bo: applied from a southern village, moved north before the cohort (the office changed
    # the profile's village). A graduate. 2025, north.
    bo = make_profile(cohort=c2025, stage="graduate", village=n2)
    apply(bo, when=at(2025, 1), status="accepted", village=s1)
    # Cai: a trainee of 2025. 2025, north.
    cai = make_profile(cohort=c2025, stage="trainee", village=n1)
    apply(cai, when=at(2025, 2), status="accepted")
    # Dan: applied twice (turned down in December 2025, accepted for 2026), counted once. 2026, south.
    dan = make_profile(cohort=c2026, stage="trainee", village=s1)
    apply(dan, when=at(2025, 12), status="rejected", campaign=autumn)
    apply(dan, when=at(2026, 1), status="accepted")
    # Eve: accepted in February 2026, not yet in a cohort: the year of her application. 2026, south.
    eve = make_profile(stage="applicant", village=s1)
    apply(eve, when=at(2026, 2), status="accepted")
    # Fay: turned down; her profile has no village, her account has one. 2026, north.
    fay = make_profile(user=TraineeFactory(village=n2), stage="applicant")
    TraineeProfile.objects.filter(pk=fay.pk).update(village=None)
    apply(fay, when=at(2026, 2), status="rejected", village=n2)
    # Gus: a dormant merchant of 2025 whose accepted application was withdrawn since: the cohort
    # took him, so he was accepted. 2025, south.
    gus = make_profile(cohort=c2025, stage="dormant", village=s1)
    apply(gus, when=at(2025, 1), status="withdrawn")
    # Hal: a profile made in the admin in June 2026, no application, no cohort. 2026, north.
    hal = make_profile(stage="applicant", village=n1)
    TraineeProfile.objects.filter(pk=hal.pk).update(created_at=at(2026, 6))
    return {"north": north, "south": south}


# (applicants, accepted, trainees, graduates, active) by (year, township code), by hand.
EXPECTED = {
    (None, None): (8, 6, 5, 3, 1),  # all; accepted: not Fay, not Hal; graduates Ann, Bo, Gus
    (2024, None): (0, 0, 0, 0, 0),  # Ann applied in 2024, for the cohort of 2025
    (2025, None): (4, 4, 4, 3, 1),  # Ann, Bo, Cai, Gus
    (2026, None): (4, 2, 1, 0, 0),  # Dan, Eve, Fay, Hal
    (None, "north"): (5, 3, 3, 2, 1),  # Ann, Bo, Cai, Fay, Hal
    (None, "south"): (3, 3, 2, 1, 0),  # Dan, Eve, Gus
    (2025, "north"): (3, 3, 3, 2, 1),  # Ann, Bo, Cai (the old funnel: 1 applicant, 3 trainees)
    (2025, "south"): (1, 1, 1, 1, 0),  # Gus
    (2026, "north"): (2, 0, 0, 0, 0),  # Fay, Hal
    (2026, "south"): (2, 2, 1, 0, 0),  # Dan, Eve
}


def figures_of(**filters):
    return tuple(value for _key, _label, value in funnel(**filters))


def test_the_funnel_with_no_filter(county):
    assert [key for key, _label, _value in funnel()] == list(FUNNEL_STAGES)
    assert figures_of() == EXPECTED[(None, None)]


@pytest.mark.parametrize("year", [2024, 2025, 2026])
def test_the_funnel_by_year(county, year):
    assert figures_of(year=year) == EXPECTED[(year, None)]


@pytest.mark.parametrize("code", ["north", "south"])
def test_the_funnel_by_township(county, code):
    assert figures_of(township=county[code]) == EXPECTED[(None, code)]


@pytest.mark.parametrize(("year", "code"), [(2025, "north"), (2025, "south"), (2026, "north"), (2026, "south")])
def test_the_funnel_by_year_and_township(county, year, code):
    assert figures_of(year=year, township=county[code]) == EXPECTED[(year, code)]


def test_every_stage_is_part_of_the_one_before_under_every_filter(county):
    figures = CountyFigures.load()
    for year, code in itertools.product([None, 2024, 2025, 2026], [None, "north", "south"]):
        values = [v for _k, _l, v in funnel(year=year, township=county[code] if code else None, figures=figures)]
        assert values == sorted(values, reverse=True), (year, code, values)
    # The townships split the county, and the years split each township: nobody counted twice.
    for year in [None, 2025, 2026]:
        by_township = [figures_of(year=year, township=county[code]) for code in ("north", "south")]
        assert tuple(map(sum, zip(*by_township, strict=True))) == figures_of(year=year)


def test_the_township_table_counts_the_same_people_as_the_funnel(county):
    for year in [None, 2025, 2026]:
        rows, _totals = township_table(year=year)
        by_code = {row.township.code: (row.trainees, row.graduates, row.active_merchants) for row in rows}
        for code in ("north", "south"):
            assert by_code.pop(code) == EXPECTED[(year, code)][2:]
        assert set(by_code.values()) <= {(0, 0, 0)}  # the factories' other townships: nobody


def test_the_dashboard_page_shows_the_funnel_of_its_filters(client, county):
    from incubator.merchants.models import CountyTargets

    targets = CountyTargets.load()
    targets.programme_start = datetime.date(2024, 1, 1)  # the year filter offers 2024 on
    targets.save()
    client.force_login(OfficeFactory())
    response = client.get(reverse("merchants_admin:dashboard"), {"year": "2025", "township": "north"})
    assert response.status_code == 200
    assert [value for _key, _label, value, _width in response.context["funnel"]] == [3, 3, 3, 2, 1]
    csv_text = client.get(
        reverse("merchants_admin:dashboard"), {"year": "2025", "township": "north", "table": "funnel"}
    ).content.decode("utf-8-sig")
    assert [line.rsplit(",", 1)[1] for line in csv_text.splitlines()[1:]] == ["3", "3", "3", "2", "1"]


def test_the_people_figures_are_one_query_whatever_the_number_of_people(county, django_assert_num_queries):
    # people, cooperatives, sales, and the townships (core.choices.townships, with the generation
    # of the CHOICES family it is kept under: outside a request, read on its own)
    with django_assert_num_queries(5):
        CountyFigures.load()
    cohort = make_cohort(name="2027年春季班", starts_on=datetime.date(2027, 3, 1))
    for _ in range(5):
        make_profile(cohort=cohort, stage="merchant", village=VillageFactory(township=county["south"]))
    with django_assert_num_queries(5):  # the new villages dropped CHOICES: the townships again
        figures = CountyFigures.load()
    assert tuple(v for _k, _l, v in funnel(year=2027, figures=figures)) == (5, 5, 5, 5, 5)
