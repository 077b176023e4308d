"""Factories of the cooperatives tests: households of the register and their memberships."""

import datetime

import factory

from incubator.cooperatives.models import Household, Membership
from tests.factories import VillageFactory
from tests.merchants.factories import CooperativeFactory


class HouseholdFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Household

    head_name = factory.Sequence(lambda n: f"户主{n}")
    village = factory.SubFactory(VillageFactory)
    members = 4
    is_registered_poor = False


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    cooperative = factory.SubFactory(CooperativeFactory)
    household = factory.SubFactory(HouseholdFactory)
    joined_on = datetime.date(2025, 1, 1)
    shares = 1


def member(cooperative, *, poor=False, shares=1, joined_on=datetime.date(2025, 1, 1), left_on=None, **kwargs):
    """A household of the register made a member of `cooperative`."""
    household = HouseholdFactory(is_registered_poor=poor, **kwargs)
    MembershipFactory(cooperative=cooperative, household=household, shares=shares, joined_on=joined_on, left_on=left_on)
    return household
