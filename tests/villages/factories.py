"""Factories of the villages tests: village partners and their stations."""

import datetime

from incubator.villages.models import Station
from tests.factories import VillageFactory
from tests.merchants.factories import make_cohort, make_profile

_cohorts = {}


def partner_cohort():
    """A cohort of a village-partner recruitment campaign (the campaign kind's default)."""
    from incubator.recruitment.models import Cohort

    cohort = Cohort.objects.filter(campaign__kind="village_partner").first()
    return cohort or make_cohort(name="村级合伙人第一期")


def make_partner(*, village=None, stage="trainee"):
    return make_profile(cohort=partner_cohort(), stage=stage, village=village or VillageFactory()).user


def make_station(*, village=None, partner=None, opened_on=datetime.date(2026, 1, 1), closed_on=None) -> Station:
    village = village or VillageFactory()
    return Station.objects.create(
        village=village, partner=partner or make_partner(village=village), opened_on=opened_on, closed_on=closed_on
    )
