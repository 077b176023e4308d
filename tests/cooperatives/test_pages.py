"""The ledger kept on a phone and the register kept in the admin: forms that call the services,
refuse with the person's message and keep what was typed."""

import datetime
from decimal import Decimal

import pytest

from django.urls import reverse

from incubator.cooperatives.models import Household, Purchase
from incubator.cooperatives.services import ledger
from tests.factories import OfficeFactory, VillageFactory
from tests.merchants.factories import CooperativeFactory, make_profile

from .factories import member

pytestmark = pytest.mark.django_db


@pytest.fixture
def leader_coop(client):
    leader = make_profile(stage="merchant").user
    coop = CooperativeFactory(leader=leader)
    client.force_login(leader)
    return coop


def test_the_leader_adds_a_member_household_and_its_id_card_is_kept_masked(leader_coop, client):
    village = VillageFactory()
    url = reverse("cooperatives:member_new", kwargs={"pk": leader_coop.pk})
    data = {
        "step": "new",
        "new-head_name": "向德明",
        "new-village": village.pk,
        "new-members": "4",
        "new-is_registered_poor": "on",
        "new-poor_since": "2015-06-01",
        "new-phone": "13900000001",
        "new-id_card": "422827198001011234",
        "new-joined_on": "2025-02-01",
        "new-shares": "1",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    household = Household.objects.get()
    assert household.id_card_masked == "**************1234" and household.memberships.get().cooperative == leader_coop
    # A bad number: the message, and everything typed is still there.
    data.update({"new-head_name": "谭秀兰", "new-id_card": "12345"})
    response = client.post(url, data)
    assert response.status_code == 400
    form = response.context["form"]
    assert form.errors and form["head_name"].value() == "谭秀兰"
    assert Household.objects.count() == 1


def test_a_household_two_leaders_type_in_is_one_household_of_two_cooperatives(leader_coop, client):
    """The second cooperative's leader types in a household of the register (same village, head
    and ID card's last four): it joins as that household, so the report counts it once; without
    the ID card, a head already in the village's register is refused with a message."""
    from incubator.cooperatives.selectors.report import poverty_report

    village = VillageFactory()
    data = {"step": "new", "new-head_name": "向德明", "new-village": village.pk, "new-members": "4",
            "new-is_registered_poor": "on", "new-phone": "13900000001", "new-id_card": "422827198001011234",
            "new-joined_on": "2025-02-01", "new-shares": "1"}  # fmt: skip
    assert client.post(reverse("cooperatives:member_new", kwargs={"pk": leader_coop.pk}), data).status_code == 302
    other = CooperativeFactory(leader=make_profile(stage="merchant").user, township=leader_coop.township)
    client.force_login(other.leader)
    url = reverse("cooperatives:member_new", kwargs={"pk": other.pk})
    response = client.post(url, {**data, "new-id_card": "", "new-phone": "13900000002"})
    assert response.status_code == 400
    form = response.context["form"]
    assert "id_card" in form.errors and form["phone"].value() == "13900000002"
    assert Household.objects.count() == 1
    response = client.post(url, {**data, "new-phone": "13900000002"}, follow=True)
    household = Household.objects.get()
    assert sorted(m.cooperative_id for m in household.memberships.all()) == sorted([leader_coop.pk, other.pk])
    assert household.phone == "13900000001"  # the register's entry is left as it is
    assert "已在登记册中" in response.text or "in the register already" in response.text
    # A namesake with another ID card is another household.
    client.post(url, {**data, "new-id_card": "422827197502025678"})
    assert Household.objects.count() == 2
    [township] = poverty_report(year=2025, township=leader_coop.township).townships
    assert (township.totals.households, township.totals.poor_households) == (2, 2)


def test_the_leader_records_a_purchase_and_corrects_it(leader_coop, client):
    household = member(leader_coop)
    url = reverse("cooperatives:entry_new", kwargs={"pk": leader_coop.pk, "kind": "purchase"})
    data = {
        "household": household.pk,
        "product": "土鸡蛋",
        "quantity": "-3",
        "unit": "kg",
        "amount": "48.00",
        "bought_on": "2025-06-01",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert str(ledger.NEGATIVE) in str(response.context["form"].errors)
    data["quantity"] = "3"
    assert client.post(url, data).status_code == 302
    entry = Purchase.objects.get()
    correct = reverse(
        "cooperatives:entry_correct", kwargs={"pk": leader_coop.pk, "kind": "purchase", "entry_pk": entry.pk}
    )
    form = client.get(correct).context["form"]
    assert form["amount"].value() == Decimal("48.00")
    response = client.post(correct, {**data, "amount": "45.00", "reason": "按每公斤15元"})
    assert response.status_code == 302
    assert [p.amount for p in Purchase.objects.effective()] == [Decimal("45.00")]
    assert Purchase.objects.count() == 2
    # The ledger shows both, the first marked as corrected.
    page = client.get(reverse("cooperatives:ledger", kwargs={"pk": leader_coop.pk}), {"year": "2025"})
    assert "superseded" in page.text and "按每公斤15元" in page.text


def test_the_leader_declares_a_dividend_on_the_phone(leader_coop, client):
    a, b = member(leader_coop, shares=1), member(leader_coop, shares=3)
    url = reverse("cooperatives:entry_new", kwargs={"pk": leader_coop.pk, "kind": "dividend"})
    data = {"year": "2025", "total": "100.00", "rule": "per_share", "unit": "", "paid_on": "2026-01-10"}
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("cooperatives:household", kwargs={"pk": leader_coop.pk, "household_pk": b.pk}))
    assert "75.00" in page.text
    assert a.dividend_payments.get().amount == Decimal("25.00")


def test_the_office_registers_a_household_in_the_admin_with_a_masked_id_card(client):
    client.force_login(OfficeFactory())
    village = VillageFactory()
    response = client.post(
        reverse("wagtailsnippets_cooperatives_household:add"),
        {
            "head_name": "周大山",
            "village": village.pk,
            "members": "3",
            "phone": "",
            "poor_since": "",
            "id_card": "42282719800101123X",
        },
    )
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    household = Household.objects.get()
    assert household.id_card_masked == "**************123X"
    edit = client.get(reverse("wagtailsnippets_cooperatives_household:edit", args=[household.pk])).text
    assert "42282719800101123X" not in edit


def test_the_office_adds_a_household_of_the_register_to_a_cooperative(client):
    client.force_login(OfficeFactory())
    coop = CooperativeFactory()
    household = member(CooperativeFactory())
    url = reverse("cooperatives:member_new", kwargs={"pk": coop.pk})
    response = client.post(
        url,
        {
            "step": "existing",
            "existing-household": household.pk,
            "existing-joined_on": "2025-03-01",
            "existing-shares": "2",
        },
    )
    assert response.status_code == 302
    assert household.memberships.filter(cooperative=coop, shares=2, joined_on=datetime.date(2025, 3, 1)).exists()


def test_the_phones_ledger_page_shows_the_latest_entries_and_a_household_page_all_of_its_own(
    leader_coop, client, monkeypatch
):
    from incubator.cooperatives import views

    monkeypatch.setattr(views, "LEDGER_ENTRIES_SHOWN", 2)
    household = member(leader_coop)
    for day in (1, 2, 3):
        ledger.record_purchase(
            cooperative=leader_coop,
            household=household,
            product=f"蛋{day}",
            quantity=Decimal(1),
            unit="kg",
            amount=Decimal(16),
            bought_on=datetime.date(2025, 6, day),
        )
    page = client.get(reverse("cooperatives:ledger", kwargs={"pk": leader_coop.pk}), {"year": "2025"})
    assert [p.product for p in page.context["entries"].purchases] == ["蛋3", "蛋2"]
    assert page.context["entries"].more
    own = client.get(
        reverse("cooperatives:household", kwargs={"pk": leader_coop.pk, "household_pk": household.pk}), {"year": "2025"}
    )
    assert len(own.context["entries"].purchases) == 3 and not own.context["entries"].more


def test_the_ledger_page_shows_the_years_result_the_dividend_is_declared_from(leader_coop, client):
    """Sales through the members' shops less what was paid for produce and inputs, by hand:
    800 (a corrected 900 counts nothing) - 160 - 245 = 395; another year's sale is left out."""
    from tests.merchants.factories import ShopFactory

    household = member(leader_coop)
    shop = ShopFactory(owner=leader_coop.leader)
    leader_coop.members.add(leader_coop.leader)
    leader_coop.save()
    sale = {"cooperative": leader_coop, "shop": shop, "product": "鸡蛋礼盒", "quantity": Decimal(10), "unit": "box"}
    wrong = ledger.record_sale(month=datetime.date(2025, 6, 1), amount=Decimal("900"), **sale)
    ledger.correct_entry(kind="sale", entry=wrong, reason="多记了", quantity=Decimal(10), amount=Decimal("800"))
    ledger.record_sale(month=datetime.date(2024, 6, 1), amount=Decimal("5000"), **sale)
    ledger.record_purchase(cooperative=leader_coop, household=household, product="土鸡蛋", quantity=Decimal(10),
                           unit="kg", amount=Decimal("160"), bought_on=datetime.date(2025, 6, 1))  # fmt: skip
    ledger.record_input(cooperative=leader_coop, household=household, item="鸡苗", quantity=Decimal(70),
                        unit="piece", value=Decimal("245"), given_on=datetime.date(2025, 3, 1))  # fmt: skip
    page = client.get(reverse("cooperatives:ledger", kwargs={"pk": leader_coop.pk}), {"year": "2025"})
    totals = page.context["totals"]
    assert (totals["sales"], totals["purchases"], totals["inputs"], totals["balance"]) == (
        Decimal("800.00"), Decimal("160.00"), Decimal("245.00"), Decimal("395.00"),
    )  # fmt: skip
    assert "395.00" in page.text
