"""Demo data of the cooperatives app (seed order 60, after the merchants' cooperatives):

The chicken-seedling programme of the county's own example: the demo merchant's cooperative gave
5,000 chicken seedlings to 70 registered poor households, bought back their eggs month by month
and their live chickens before the Spring Festival, and paid a dividend for the year; twenty
other households are members too. Three more cooperatives buy navel oranges from their member
households, so the poverty-alleviation report shows several townships. Idempotent: a
cooperative that has member households already is left as it is.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction

from core.models import User, Village
from incubator.cooperatives.models import Membership
from incubator.cooperatives.services.households import join_cooperative, register_household
from incubator.cooperatives.services.ledger import declare_dividend, record_input, record_purchase, record_sale
from incubator.merchants import periods
from incubator.merchants.models import Cooperative, CountyTargets, Shop

SURNAMES = "郑向覃周谭黄王李陈杜万屈望刘田张胡宋杨彭"
GIVEN = [
    "德明",
    "国富",
    "春生",
    "秀兰",
    "大山",
    "玉梅",
    "长贵",
    "桂香",
    "家福",
    "友才",
    "金花",
    "顺德",
    "满堂",
    "发贵",
    "翠英",
    "世平",
]
SEEDLINGS = 5000
POOR_IN_PROGRAMME = 70
OTHERS_IN_PROGRAMME = 20
CHICKEN_COOPERATIVE = "秭阳县{township}生态土鸡电商专业合作社"


def _households(*, rng, villages, count, poor, by, joined_on, cooperative, shares):
    made = []
    for n in range(count):
        village = villages[n % len(villages)]
        is_poor = n < poor
        household = register_household(
            head_name=rng.choice(SURNAMES) + rng.choice(GIVEN),
            village=village,
            members=rng.randint(2, 6),
            is_registered_poor=is_poor,
            poor_since=datetime.date(rng.choice([2014, 2015, 2016]), rng.randint(1, 12), 1) if is_poor else None,
            phone=f"139{rng.randint(10000000, 99999999)}",
            id_card=f"422827{rng.randint(1950, 1990)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(100, 999)}X",
            by=by,
        )
        join_cooperative(
            cooperative=cooperative, household=household, joined_on=joined_on, shares=shares(is_poor), by=by
        )
        made.append(household)
    return made


def _chicken_programme(*, cooperative, office, leader, year, today):
    rng = random.Random(5000)
    villages = list(Village.objects.filter(township=cooperative.township).order_by("code")) or list(
        Village.objects.order_by("code")[:2]
    )
    joined = datetime.date(year, 2, 15)
    households = _households(
        rng=rng,
        villages=villages,
        count=POOR_IN_PROGRAMME + OTHERS_IN_PROGRAMME,
        poor=POOR_IN_PROGRAMME,
        by=office,
        joined_on=joined,
        cooperative=cooperative,
        shares=lambda is_poor: 1 if is_poor else 2,
    )
    poor = households[:POOR_IN_PROGRAMME]
    # 5,000 seedlings to the 70 poor households: 71 each, and one more for the first 30.
    each, extra = divmod(SEEDLINGS, len(poor))
    for n, household in enumerate(poor):
        count = each + (1 if n < extra else 0)
        record_input(
            cooperative=cooperative,
            household=household,
            item="土鸡苗",
            quantity=Decimal(count),
            unit="piece",
            value=Decimal(count) * Decimal("3.50"),
            given_on=datetime.date(year, 3, 10),
            by=leader,
        )
        record_input(
            cooperative=cooperative,
            household=household,
            item="配合饲料",
            quantity=Decimal(50),
            unit="kg",
            value=Decimal("160.00"),
            given_on=datetime.date(year, 3, 10),
            by=leader,
        )
    # Eggs from June to December, live chickens before the Spring Festival; and this year's eggs.
    months = [datetime.date(year, m, 20) for m in range(6, 13)]
    months += [day for day in (datetime.date(today.year, m, 20) for m in range(1, today.month)) if day < today]
    for household in households:
        for day in months:
            kilos = Decimal(rng.randint(8, 30))
            record_purchase(
                cooperative=cooperative,
                household=household,
                product="土鸡蛋",
                quantity=kilos,
                unit="kg",
                amount=kilos * Decimal("16.00"),
                bought_on=day,
                by=leader,
            )
        for day in (datetime.date(year, 11, 28), datetime.date(year, 12, 28)):
            heads = Decimal(rng.randint(10, 30))
            record_purchase(
                cooperative=cooperative,
                household=household,
                product="活土鸡",
                quantity=heads,
                unit="head",
                amount=heads * Decimal("78.00"),
                bought_on=day,
                by=leader,
            )
    # The year's dividend, per share, paid in January.
    declare_dividend(
        cooperative=cooperative,
        year=year,
        total=Decimal("38888.88"),
        rule="per_share",
        paid_on=datetime.date(year + 1, 1, 25),
        by=leader,
    )
    # One purchase mistyped and corrected, so the ledger shows how a correction looks.
    first = poor[0].purchases.filter(cooperative=cooperative).order_by("bought_on", "pk").first()
    if first is not None:
        record_purchase(
            cooperative=cooperative,
            household=first.household,
            product=first.product,
            quantity=first.quantity + 1,
            unit=first.unit,
            amount=((first.quantity + 1) * Decimal("16.00")).quantize(Decimal("0.01")),
            bought_on=first.bought_on,
            by=leader,
            corrects=first,
            reason="少记了一公斤",
        )
    # What the cooperative sold through the leader's shop, month by month.
    shop = Shop.objects.filter(owner=leader).order_by("pk").first() if leader else None
    if shop is not None:
        for m in range(6, 13):
            record_sale(
                cooperative=cooperative,
                shop=shop,
                month=datetime.date(year, m, 1),
                product="土鸡蛋礼盒",
                quantity=Decimal(rng.randint(300, 600)),
                unit="box",
                amount=Decimal(rng.randint(18000, 36000)),
                by=leader,
            )


def _orange_cooperative(*, cooperative, office, year, seed):
    rng = random.Random(seed)
    villages = list(Village.objects.filter(township=cooperative.township).order_by("code"))
    if not villages:
        return
    households = _households(
        rng=rng,
        villages=villages,
        count=15,
        poor=6,
        by=office,
        joined_on=datetime.date(year, 1, 10),
        cooperative=cooperative,
        shares=lambda is_poor: 1,
    )
    for household in households:
        for day in (datetime.date(year, 11, 15), datetime.date(year, 12, 15)):
            kilos = Decimal(rng.randint(200, 800))
            record_purchase(
                cooperative=cooperative,
                household=household,
                product="脐橙",
                quantity=kilos,
                unit="kg",
                amount=kilos * Decimal("3.20"),
                bought_on=day,
                by=cooperative.leader or office,
            )


@transaction.atomic
def seed(home) -> None:
    office = User.objects.get(email="office@demo.local")
    today = periods.today()
    year = today.year - 1
    targets = CountyTargets.load()
    if not targets.poor_households_target:
        targets.poor_households_target = 3000
        targets.save()

    merchant = User.objects.filter(email="merchant@demo.local").first()
    if merchant is not None:
        village = merchant.village or Village.objects.select_related("township").order_by("code").first()
        township = village.township
        cooperative, _created = Cooperative.objects.get_or_create(
            name=CHICKEN_COOPERATIVE.format(township=township.name),
            defaults={"township": township, "leader": merchant, "founded_on": datetime.date(year, 1, 8)},
        )
        cooperative.members.add(merchant)
        if not Membership.objects.filter(cooperative=cooperative).exists():
            _chicken_programme(cooperative=cooperative, office=office, leader=merchant, year=year, today=today)

    others = list(Cooperative.objects.filter(name__contains="农产品电商专业合作社").order_by("township__code")[:3])
    for n, cooperative in enumerate(others):
        if not Membership.objects.filter(cooperative=cooperative).exists():
            _orange_cooperative(cooperative=cooperative, office=office, year=year, seed=100 + n)
