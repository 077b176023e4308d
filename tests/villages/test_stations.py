"""Station rules: one open station per village (a database constraint), a partner from a
village-partner campaign, a daily log with no negative values and no future days, logged only
by the station's own partner."""

import datetime
from decimal import Decimal

import pytest

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from incubator.villages.models import Station, StationDay
from incubator.villages.services import stations as services
from tests.factories import TraineeFactory, VillageFactory
from tests.merchants.factories import ShopFactory, make_profile

from .factories import make_partner, make_station

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 3, 10)


def log(station, *, user=None, day=TODAY, **figures):
    values = {"villagers_served": 12, "sell_orders": 3, "sell_value": Decimal("450.00"), "purchases": {}}
    values.update(figures)
    return services.record_station_day(station=station, user=user or station.partner, day=day, today=TODAY, **values)


def test_the_database_refuses_a_second_open_station_in_a_village():
    station = make_station()
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(village=station.village, partner=make_partner(), opened_on=datetime.date(2026, 2, 1))


def test_a_closed_station_makes_room_for_the_next_one():
    station = make_station(opened_on=datetime.date(2025, 1, 1))
    services.close_station(station=station, closed_on=datetime.date(2025, 12, 31))
    again = services.open_station(village=station.village, partner=make_partner(), opened_on=datetime.date(2026, 1, 1))
    assert again.is_open and Station.objects.filter(village=station.village).count() == 2


def test_opening_a_second_station_is_refused_with_a_message():
    station = make_station()
    with pytest.raises(ValidationError) as error:
        services.open_station(village=station.village, partner=make_partner(), opened_on=TODAY)
    assert error.value.message_dict["village"] == [str(services.ERROR_VILLAGE_HAS_STATION)]


def test_only_a_trainee_or_merchant_of_a_village_partner_campaign_runs_a_station():
    outsider = TraineeFactory()
    with pytest.raises(ValidationError) as error:
        services.open_station(village=VillageFactory(), partner=outsider, opened_on=TODAY)
    assert error.value.message_dict["partner"] == [str(services.ERROR_NOT_A_PARTNER)]
    applicant = make_partner(stage="applicant")
    with pytest.raises(ValidationError):
        services.open_station(village=VillageFactory(), partner=applicant, opened_on=TODAY)
    merchant = make_partner(stage="merchant")
    assert services.open_station(village=VillageFactory(), partner=merchant, opened_on=TODAY).partner == merchant


def test_the_shop_must_be_the_partners_own():
    partner = make_partner()
    with pytest.raises(ValidationError) as error:
        services.open_station(village=VillageFactory(), partner=partner, opened_on=TODAY, shop=ShopFactory())
    assert "shop" in error.value.message_dict
    own = ShopFactory(owner=partner)
    assert services.open_station(village=VillageFactory(), partner=partner, opened_on=TODAY, shop=own).shop == own


def test_a_day_is_logged_both_ways_and_a_second_log_corrects_it():
    station = make_station()
    log(station, purchases={"machinery": (1, Decimal("3200")), "necessities": (5, Decimal("410.50"))})
    log(
        station,
        villagers_served=15,
        purchases={"machinery": (1, Decimal("3000")), "necessities": (5, Decimal("410.50"))},
    )
    day = StationDay.objects.get(station=station, day=TODAY)
    assert day.villagers_served == 15
    assert {p.category: p.value for p in day.purchases.all()} == {
        "machinery": Decimal("3000.00"),
        "necessities": Decimal("410.50"),
    }
    from core import history

    assert history.entries(day)  # the correction is kept


def test_no_negative_values():
    station = make_station()
    with pytest.raises(ValidationError) as error:
        log(station, sell_value=Decimal("-1"))
    assert error.value.message_dict["sell_value"] == [str(services.ERROR_NEGATIVE)]
    with pytest.raises(ValidationError):
        log(station, purchases={"appliances": (1, Decimal("-5"))})
    assert not StationDay.objects.exists()


def test_the_database_refuses_negative_values_too():
    station = make_station()
    with pytest.raises(IntegrityError), transaction.atomic():
        StationDay.objects.create(station=station, day=TODAY, sell_value=Decimal("-1"))


def test_no_future_day_and_no_day_outside_the_stations_dates():
    station = make_station(opened_on=datetime.date(2026, 3, 1))
    with pytest.raises(ValidationError) as error:
        log(station, day=TODAY + datetime.timedelta(days=1))
    assert error.value.message_dict["day"] == [str(services.ERROR_FUTURE_DAY)]
    with pytest.raises(ValidationError) as error:
        log(station, day=datetime.date(2026, 2, 28))
    assert error.value.message_dict["day"] == [str(services.ERROR_STATION_NOT_OPEN)]


def test_a_partner_logs_only_for_their_own_station(client):
    mine, theirs = make_station(), make_station()
    with pytest.raises(PermissionDenied):
        log(theirs, user=mine.partner)
    client.force_login(mine.partner)
    assert client.get(reverse("villages:station_log", args=[theirs.pk])).status_code == 404
    response = client.post(
        reverse("villages:station_log", args=[theirs.pk]),
        {"day": "2026-03-01", "villagers_served": 1, "sell_orders": 1, "sell_value": "1"},
    )
    assert response.status_code == 404
    assert not StationDay.objects.exists()


def _form(day, **extra):
    data = {
        "day": day.isoformat(),
        "villagers_served": "20",
        "sell_orders": "4",
        "sell_value": "800",
        "sell_products": "脐橙",
    }
    for category in ("machinery", "farm_inputs", "necessities", "appliances", "other"):
        data[f"{category}_orders"], data[f"{category}_value"] = "0", "0"
    data.update(extra)
    return data


def test_the_partner_logs_a_day_on_the_phone_form(client):
    station = make_station(opened_on=datetime.date(2025, 1, 1))
    client.force_login(station.partner)
    day = datetime.date.today() - datetime.timedelta(days=1)
    response = client.post(
        reverse("villages:station_log", args=[station.pk]), _form(day, appliances_orders="2", appliances_value="2599")
    )
    assert response.status_code == 302
    logged = StationDay.objects.get(station=station, day=day)
    assert logged.sell_value == Decimal("800") and logged.purchases.get().value == Decimal("2599")


def test_bad_input_is_refused_on_the_form_and_nothing_typed_is_lost(client):
    station = make_station(opened_on=datetime.date(2025, 1, 1))
    client.force_login(station.partner)
    future = datetime.date.today() + datetime.timedelta(days=3)
    response = client.post(reverse("villages:station_log", args=[station.pk]), _form(future, sell_products="腊肉十斤"))
    assert response.status_code == 200
    assert str(services.ERROR_FUTURE_DAY) in response.text
    assert "腊肉十斤" in response.text
    response = client.post(reverse("villages:station_log", args=[station.pk]), _form(future, sell_value="-3"))
    assert response.status_code == 200 and not StationDay.objects.exists()


def test_the_partners_page_and_me_card(client, django_assert_max_num_queries):
    station = make_station(opened_on=datetime.date(2025, 1, 1))
    client.force_login(station.partner)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("villages:my_station"))
    assert station.village.name in response.text
    assert reverse("villages:my_station") in client.get(reverse("core:me")).text
    someone = make_profile().user
    client.force_login(someone)
    assert reverse("villages:my_station") not in client.get(reverse("core:me")).text


def test_the_office_opens_stations_in_the_admin_under_the_same_rules(client):
    station = make_station()
    client.force_login(_office_with_rights())
    url = reverse("wagtailsnippets_villages_station:add")
    response = client.post(
        url, {"village": station.village.pk, "partner": make_partner().pk, "opened_on": "2026-02-01", "closed_on": ""}
    )
    assert response.status_code == 200
    assert str(services.ERROR_VILLAGE_HAS_STATION) in response.text
    response = client.post(
        url,
        {"village": VillageFactory().pk, "partner": TraineeFactory().pk, "opened_on": "2026-02-01", "closed_on": ""},
    )
    assert response.status_code == 200 and str(services.ERROR_NOT_A_PARTNER) in response.text
    response = client.post(
        url, {"village": VillageFactory().pk, "partner": make_partner().pk, "opened_on": "2026-02-01", "closed_on": ""}
    )
    assert response.status_code == 302
    assert Station.objects.count() == 2


def _office_with_rights():
    from core.roles import sync_role_permissions
    from tests.factories import OfficeFactory

    sync_role_permissions()
    return OfficeFactory()


def assert_days_sum_their_lines():
    from django.db.models import Sum

    from incubator.villages.models import StationPurchase

    lines = {
        row["station_day"]: (row["orders"], row["value"])
        for row in StationPurchase.objects.values("station_day").annotate(orders=Sum("orders"), value=Sum("value"))
    }
    for day in StationDay.objects.all():
        assert (day.buy_orders, day.buy_value) == lines.get(day.pk, (0, Decimal("0"))), day


def test_a_days_purchase_sums_follow_every_write_of_its_lines():
    """StationDay.buy_orders and .buy_value, which the records and the league table read instead
    of the lines: the partner's log and its correction, a line written or deleted outside the
    service (the admin, a shell), and a bulk write."""
    from core import cache_families
    from incubator.villages.models import StationPurchase

    station = make_station(opened_on=datetime.date(2026, 1, 1))
    day = log(station, purchases={"machinery": (2, Decimal("300")), "necessities": (5, Decimal("80.50"))})
    day.refresh_from_db()
    assert (day.buy_orders, day.buy_value) == (7, Decimal("380.50"))
    log(station, purchases={"machinery": (1, Decimal("100")), "necessities": (0, Decimal("0"))})  # corrected
    day.refresh_from_db()
    assert (day.buy_orders, day.buy_value) == (1, Decimal("100.00"))
    other = log(station, day=TODAY - datetime.timedelta(days=1))
    line = StationPurchase.objects.create(station_day=other, category="other", orders=3, value=Decimal("9"))
    assert_days_sum_their_lines()
    line.value = Decimal("19")
    line.save()
    assert_days_sum_their_lines()
    line.delete()
    assert_days_sum_their_lines()
    with cache_families.bulk_write(StationPurchase):
        StationPurchase.objects.bulk_create([StationPurchase(station_day=other, category="appliances", value=7)])
    assert_days_sum_their_lines()
    assert StationDay.objects.get(pk=other.pk).buy_value == Decimal("7.00")
    with cache_families.bulk_write(StationPurchase):
        StationPurchase.objects.filter(station_day=other).update(value=Decimal("8"))
    assert_days_sum_their_lines()
