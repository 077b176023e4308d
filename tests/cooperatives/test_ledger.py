"""The ledger's rules: nothing negative, payments only to member households on the day, dividends
that add up to what was declared (the remainder fen given by a fixed rule), corrections by new
entries only, and the database refusing what the services would refuse."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from incubator.cooperatives.models import DividendPayment, Household, InputGiven, Purchase
from incubator.cooperatives.selectors.ledger import household_income
from incubator.cooperatives.services import households as household_services
from incubator.cooperatives.services import ledger
from tests.factories import OfficeFactory, VillageFactory
from tests.merchants.factories import CooperativeFactory, ShopFactory

from .factories import member

pytestmark = pytest.mark.django_db
DAY = datetime.date(2025, 6, 10)


@pytest.fixture
def coop():
    return CooperativeFactory()


def buy(coop, household, *, quantity="10", amount="160.00", day=DAY, **kwargs):
    return ledger.record_purchase(
        cooperative=coop,
        household=household,
        product="土鸡蛋",
        quantity=Decimal(quantity),
        unit="kg",
        amount=Decimal(amount),
        bought_on=day,
        **kwargs,
    )


def messages(exc):
    return [str(m) for m in exc.value.messages]


def test_no_negative_or_zero_quantity_and_no_negative_amount(coop):
    household = member(coop)
    for quantity in ("-1", "0"):
        with pytest.raises(ValidationError) as exc:
            buy(coop, household, quantity=quantity)
        assert messages(exc) == [str(ledger.NEGATIVE)]
    with pytest.raises(ValidationError) as exc:
        buy(coop, household, amount="-0.01")
    assert messages(exc) == [str(ledger.NEGATIVE_AMOUNT)]
    with pytest.raises(ValidationError):
        ledger.record_input(
            cooperative=coop,
            household=household,
            item="鸡苗",
            quantity=Decimal("-5"),
            unit="piece",
            value=Decimal("1"),
            given_on=DAY,
        )
    assert not Purchase.objects.exists() and not InputGiven.objects.exists()


def test_the_database_refuses_negative_quantities_whatever_the_caller(coop):
    household = member(coop)
    with pytest.raises(IntegrityError), transaction.atomic():
        Purchase.objects.create(
            cooperative=coop, household=household, product="x", quantity=-1, unit="kg", amount=1, bought_on=DAY
        )


def test_payments_only_to_households_that_are_members_on_that_day(coop):
    outsider = member(CooperativeFactory())  # a member of another cooperative
    joined_late = member(coop, joined_on=datetime.date(2025, 7, 1))
    left = member(coop, joined_on=datetime.date(2025, 1, 1), left_on=datetime.date(2025, 5, 31))
    for household in (outsider, joined_late, left):
        with pytest.raises(ValidationError) as exc:
            buy(coop, household)
        assert messages(exc) == [str(ledger.NOT_A_MEMBER)]
    # The last day of a membership still counts; the first day too.
    assert buy(coop, left, day=datetime.date(2025, 5, 31)).pk
    assert buy(coop, joined_late, day=datetime.date(2025, 7, 1)).pk


def test_a_household_cannot_leave_before_its_last_payment(coop):
    household = member(coop)
    buy(coop, household, day=datetime.date(2025, 8, 1))
    membership = household.memberships.get()
    with pytest.raises(ValidationError) as exc:
        household_services.leave_cooperative(membership=membership, left_on=datetime.date(2025, 7, 31))
    assert messages(exc) == [str(household_services.PAID_AFTER_LEAVING)]
    household_services.leave_cooperative(membership=membership, left_on=datetime.date(2025, 8, 1))


def test_a_correction_is_a_new_entry_that_replaces_the_old_one(coop):
    household = member(coop)
    office = OfficeFactory()
    wrong = buy(coop, household, quantity="10", amount="160.00")
    with pytest.raises(ValidationError) as exc:
        ledger.correct_entry(kind="purchase", entry=wrong, by=office, reason="", quantity=Decimal("11"))
    assert messages(exc) == [str(ledger.REASON_REQUIRED)]
    right = ledger.correct_entry(
        kind="purchase", entry=wrong, by=office, reason="少记一公斤", quantity=Decimal("11"), amount=Decimal("176.00")
    )
    wrong.refresh_from_db()
    assert (wrong.quantity, wrong.amount) == (Decimal("10.00"), Decimal("160.00"))  # kept as it was
    assert right.corrects == wrong and right.recorded_by == office
    assert list(Purchase.objects.effective()) == [right]
    income = household_income(household_ids=[household.pk])
    assert income[(household.pk, coop.pk, 2025)].purchases == Decimal("176.00")
    # An entry is corrected once; the next correction corrects the correction.
    with pytest.raises(ValidationError) as exc:
        ledger.correct_entry(kind="purchase", entry=wrong, by=office, reason="再改", amount=Decimal("1"))
    assert messages(exc) == [str(ledger.CORRECTED_ALREADY)]
    # A correction may bring an entry to nothing (zero), never below.
    annulled = ledger.correct_entry(
        kind="purchase", entry=right, by=office, reason="记错户", quantity=Decimal("0"), amount=Decimal("0")
    )
    assert household_income(household_ids=[household.pk])[(household.pk, coop.pk, 2025)].purchases == 0
    assert annulled.corrects == right


def test_a_correction_of_another_cooperatives_entry_is_refused(coop):
    other = CooperativeFactory()
    entry = buy(other, member(other))
    with pytest.raises(ValidationError) as exc:
        ledger.record_purchase(
            cooperative=coop,
            household=entry.household,
            product="x",
            quantity=Decimal(1),
            unit="kg",
            amount=Decimal(1),
            bought_on=DAY,
            corrects=entry,
            reason="x",
        )
    assert messages(exc) == [str(ledger.OTHER_COOPERATIVE)]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL's")
def test_the_database_refuses_to_change_or_delete_a_ledger_entry(coop):
    entry = buy(coop, member(coop))
    with pytest.raises(IntegrityError), transaction.atomic():
        Purchase.objects.filter(pk=entry.pk).update(amount=Decimal("1.00"))
    with pytest.raises(IntegrityError), transaction.atomic():
        Purchase.objects.filter(pk=entry.pk).delete()
    # Who recorded it may go (SET NULL when an account is deleted): that is the one change allowed.
    Purchase.objects.filter(pk=entry.pk).update(recorded_by=None)


@pytest.mark.parametrize(
    ("total", "bases", "expected"),
    [
        # 100.00 in three equal parts: 33.33 each, the fen left over to the lowest id.
        ("100.00", {1: 1, 2: 1, 3: 1}, {1: "33.34", 2: "33.33", 3: "33.33"}),
        # 10.00 by 1:2:3 = 1.666.., 3.333.., 5.00: the largest cut (.666) gets the fen.
        ("10.00", {1: 1, 2: 2, 3: 3}, {1: "1.67", 2: "3.33", 3: "5.00"}),
        # 0.05 among seven: five fen to the five lowest ids.
        ("0.05", dict.fromkeys(range(1, 8), 1), {k: ("0.01" if k <= 5 else "0.00") for k in range(1, 8)}),
        ("38888.88", {5: 2, 9: 1}, {5: "25925.92", 9: "12962.96"}),
    ],
)
def test_split_dividend_adds_up_exactly_with_a_fixed_rounding_rule(total, bases, expected):
    parts = ledger.split_dividend(total=Decimal(total), bases={k: Decimal(v) for k, v in bases.items()})
    assert parts == {k: Decimal(v) for k, v in expected.items()}
    assert sum(parts.values()) == Decimal(total)
    # The same ledger in any order gives the same split.
    reordered = dict(reversed(list(bases.items())))
    assert ledger.split_dividend(total=Decimal(total), bases={k: Decimal(v) for k, v in reordered.items()}) == parts


def test_a_dividend_per_share_is_paid_to_members_on_the_day_and_adds_up(coop):
    a = member(coop, shares=1)
    b = member(coop, shares=2)
    member(coop, shares=5, left_on=datetime.date(2025, 12, 31))  # gone before the payment
    declaration = ledger.declare_dividend(
        cooperative=coop, year=2025, total=Decimal("1000.00"), rule="per_share", paid_on=datetime.date(2026, 1, 20)
    )
    paid = {p.household_id: p.amount for p in declaration.payments.all()}
    # 333.333.. and 666.666..: the larger cut (.006) gets the fen left over.
    assert paid == {a.pk: Decimal("333.33"), b.pk: Decimal("666.67")}
    assert sum(paid.values()) == declaration.total
    with pytest.raises(ValidationError) as exc:
        ledger.declare_dividend(
            cooperative=coop, year=2025, total=Decimal("5"), rule="per_share", paid_on=datetime.date(2026, 2, 1)
        )
    assert messages(exc) == [str(ledger.DIVIDEND_DECLARED)]


def test_a_dividend_per_quantity_supplied_counts_the_years_purchases_in_its_unit(coop):
    a, b, c = member(coop), member(coop, joined_on=datetime.date(2024, 1, 1)), member(coop)
    buy(coop, a, quantity="30", amount="480")
    buy(coop, b, quantity="10", amount="160")
    buy(coop, b, quantity="20", amount="320", day=datetime.date(2024, 12, 1))  # another year
    ledger.record_purchase(  # another unit: does not count for a dividend per kg
        cooperative=coop,
        household=c,
        product="活鸡",
        quantity=Decimal(5),
        unit="head",
        amount=Decimal(400),
        bought_on=DAY,
    )
    with pytest.raises(ValidationError) as exc:
        ledger.declare_dividend(
            cooperative=coop, year=2025, total=Decimal("100"), rule="per_quantity", paid_on=datetime.date(2026, 1, 5)
        )
    assert messages(exc) == [str(ledger.UNIT_REQUIRED)]
    declaration = ledger.declare_dividend(
        cooperative=coop,
        year=2025,
        total=Decimal("100.00"),
        rule="per_quantity",
        unit="kg",
        paid_on=datetime.date(2026, 1, 5),
    )
    assert {p.household_id: (p.basis, p.amount) for p in declaration.payments.all()} == {
        a.pk: (Decimal("30.00"), Decimal("75.00")),
        b.pk: (Decimal("10.00"), Decimal("25.00")),
    }


def test_a_dividend_is_corrected_by_a_new_declaration_with_all_new_payments(coop):
    a, b = member(coop), member(coop)
    first = ledger.declare_dividend(
        cooperative=coop, year=2025, total=Decimal("100.00"), rule="per_share", paid_on=datetime.date(2026, 1, 5)
    )
    second = ledger.correct_entry(kind="dividend", entry=first, reason="利润核算有误", total=Decimal("90.01"))
    assert second.year == 2025 and second.corrects == first
    assert DividendPayment.objects.filter(declaration=first).count() == 2  # kept
    income = household_income(household_ids=[a.pk, b.pk])
    assert income[(a.pk, coop.pk, 2025)].dividends == Decimal("45.01")
    assert income[(b.pk, coop.pk, 2025)].dividends == Decimal("45.00")


def test_sales_only_through_member_merchants_shops(coop):
    outsider_shop = ShopFactory()
    with pytest.raises(ValidationError) as exc:
        ledger.record_sale(
            cooperative=coop,
            shop=outsider_shop,
            month=datetime.date(2025, 6, 1),
            product="鸡蛋礼盒",
            quantity=Decimal(10),
            unit="box",
            amount=Decimal("500"),
        )
    assert messages(exc) == [str(ledger.NOT_A_MEMBER_SHOP)]
    coop.members.add(outsider_shop.owner)
    coop.save()  # a parental many-to-many is written with its cooperative
    sale = ledger.record_sale(
        cooperative=coop,
        shop=outsider_shop,
        month=datetime.date(2025, 6, 17),
        product="鸡蛋礼盒",
        quantity=Decimal(10),
        unit="box",
        amount=Decimal("500"),
    )
    assert sale.month == datetime.date(2025, 6, 1)


def test_the_id_card_number_is_never_stored_in_full():
    village = VillageFactory()
    household = household_services.register_household(head_name="向德明", village=village, id_card="42282719800101123x")
    assert household.id_card_masked == "**************123X"
    assert Household.objects.filter(id_card_masked__contains="4228").count() == 0
    with pytest.raises(ValidationError) as exc:
        household_services.register_household(head_name="向德明", village=village, id_card="12345")
    assert messages(exc) == [str(household_services.BAD_ID_CARD)]
    # Whatever the caller, the database keeps only the masked form.
    with pytest.raises(IntegrityError), transaction.atomic():
        Household.objects.filter(pk=household.pk).update(id_card_masked="42282719800101123X")


def test_a_household_joins_a_cooperative_once_at_a_time(coop):
    household = member(coop)
    with pytest.raises(ValidationError) as exc:
        household_services.join_cooperative(cooperative=coop, household=household, joined_on=datetime.date(2025, 9, 1))
    assert messages(exc) == [str(household_services.ALREADY_MEMBER)]
    # Several cooperatives at once are fine.
    household_services.join_cooperative(
        cooperative=CooperativeFactory(), household=household, joined_on=datetime.date(2025, 9, 1)
    )
    assert household.memberships.count() == 2
