"""Household data is seen by the county office and by the leader of a cooperative for its own
member households only; never by anyone else, and never on a public page."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from incubator.cooperatives.models import Household
from incubator.cooperatives.services import ledger
from tests.factories import MentorFactory, OfficeFactory, TraineeFactory
from tests.merchants.factories import CooperativeFactory, make_profile

from .factories import member

pytestmark = pytest.mark.django_db
HEAD = "覃秘密户主"
PHONE = "13912345678"


@pytest.fixture
def setup():
    own_leader = make_profile(stage="merchant").user
    other_leader = make_profile(stage="merchant").user
    coop = CooperativeFactory(leader=own_leader)
    other = CooperativeFactory(leader=other_leader)
    household = member(coop, poor=True, head_name=HEAD, phone=PHONE, id_card_masked="**************567X")
    member(other, head_name="别社户主")
    purchase = ledger.record_purchase(
        cooperative=coop,
        household=household,
        product="土鸡蛋",
        quantity=Decimal(10),
        unit="kg",
        amount=Decimal("160.00"),
        bought_on=datetime.date(2025, 6, 1),
    )
    return {
        "coop": coop,
        "household": household,
        "purchase": purchase,
        "people": {
            "anonymous": None,
            "trainee": TraineeFactory(),
            "mentor": MentorFactory(),
            "own_leader": own_leader,
            "other_leader": other_leader,
            "office": OfficeFactory(),
        },
    }


def _pages(s):
    coop, household = s["coop"], s["household"]
    return [
        reverse("cooperatives:ledger", kwargs={"pk": coop.pk}) + "?year=2025",
        reverse("cooperatives:household", kwargs={"pk": coop.pk, "household_pk": household.pk}) + "?year=2025",
        reverse("cooperatives:member_new", kwargs={"pk": coop.pk}),
        reverse("cooperatives:entry_new", kwargs={"pk": coop.pk, "kind": "input"}),
        reverse("cooperatives:entry_correct", kwargs={"pk": coop.pk, "kind": "purchase", "entry_pk": s["purchase"].pk}),
        reverse("cooperatives:member_leave", kwargs={"pk": coop.pk, "membership_pk": household.memberships.get().pk}),
    ]


# persona -> what each ledger page answers
EXPECTED = {
    "anonymous": 302,  # to the login page
    "trainee": 404,
    "mentor": 404,
    "other_leader": 404,
    "own_leader": 200,
    "office": 200,
}


@pytest.mark.parametrize("persona", list(EXPECTED))
def test_the_ledger_pages_answer_each_role(persona, setup, client):
    user = setup["people"][persona]
    if user is not None:
        client.force_login(user)
    for url in _pages(setup):
        response = client.get(url)
        assert response.status_code == EXPECTED[persona], (persona, url)
        body = response.content.decode()
        if EXPECTED[persona] == 200:
            assert response["Cache-Control"] == "private, no-store"
        else:
            assert HEAD not in body and PHONE not in body
        if persona == "anonymous":
            assert response["Location"].startswith(reverse("account_login"))


def test_the_own_leader_sees_their_households_and_no_one_elses(setup, client):
    client.force_login(setup["people"]["own_leader"])
    body = client.get(reverse("cooperatives:ledger", kwargs={"pk": setup["coop"].pk}) + "?year=2025").text
    assert HEAD in body and "别社户主" not in body
    household = client.get(
        reverse("cooperatives:household", kwargs={"pk": setup["coop"].pk, "household_pk": setup["household"].pk})
    ).text
    assert PHONE in household and "**************567X" in household
    # Another cooperative's household through this cooperative's address: not a member, a 404.
    stranger = Household.objects.get(head_name="别社户主")
    url = reverse("cooperatives:household", kwargs={"pk": setup["coop"].pk, "household_pk": stranger.pk})
    assert client.get(url).status_code == 404
    # Their list goes straight to their one ledger.
    response = client.get(reverse("cooperatives:list"))
    assert response["Location"] == reverse("cooperatives:ledger", kwargs={"pk": setup["coop"].pk})


def test_a_leader_cannot_write_another_cooperatives_ledger_or_pay_its_households(setup, client):
    client.force_login(setup["people"]["other_leader"])
    url = reverse("cooperatives:entry_new", kwargs={"pk": setup["coop"].pk, "kind": "purchase"})
    response = client.post(url, {"household": setup["household"].pk, "product": "x", "quantity": "1", "unit": "kg",
                                 "amount": "1", "bought_on": "2025-06-02"})  # fmt: skip
    assert response.status_code == 404
    # Through their own ledger the household is not a choice.
    own = setup["people"]["other_leader"].cooperatives_led.get()
    url = reverse("cooperatives:entry_new", kwargs={"pk": own.pk, "kind": "purchase"})
    response = client.post(url, {"household": setup["household"].pk, "product": "x", "quantity": "1", "unit": "kg",
                                 "amount": "1", "bought_on": "2025-06-02"})  # fmt: skip
    assert response.status_code == 400
    assert setup["household"].purchases.count() == 1


@pytest.mark.parametrize("persona", ["trainee", "mentor", "own_leader"])
def test_the_register_and_the_county_report_are_the_offices_only(persona, setup, client):
    client.force_login(setup["people"][persona])
    for url in (
        reverse("cooperatives_admin:report"),
        reverse("cooperatives_admin:household_income"),
        reverse("cooperatives_admin:import"),
        reverse("wagtailsnippets_cooperatives_household:list"),
        reverse("wagtailsnippets_cooperatives_household:edit", args=[setup["household"].pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and HEAD not in response.content.decode(), (persona, url)


def test_the_office_sees_the_register(setup, client):
    client.force_login(setup["people"]["office"])
    assert HEAD in client.get(reverse("wagtailsnippets_cooperatives_household:list")).text
    assert HEAD in client.get(reverse("cooperatives_admin:household_income") + "?year=2025").text


def test_no_public_page_shows_a_household(setup, client):
    from incubator.demo import get_or_create_home

    get_or_create_home()
    for url in ("/", reverse("merchants:directory"), reverse("merchants:certificate_lookup")):
        response = client.get(url)
        assert response.status_code == 200
        assert HEAD not in response.text and PHONE not in response.text


def test_the_me_page_offers_the_ledger_to_leaders_only(setup, client):
    ledger_url = reverse("cooperatives:list")
    client.force_login(setup["people"]["own_leader"])
    assert ledger_url in client.get(reverse("core:me")).text
    client.force_login(setup["people"]["trainee"])
    assert ledger_url not in client.get(reverse("core:me")).text
