"""The monthly reminder, the /me/ section, and the sales panel on the mentor's trainee page."""

import datetime

import pytest

from django.urls import reverse

from core.models import Notification
from incubator.merchants.services.reminders import send_monthly_reminders
from tests.factories import MentorFactory

from .factories import SalesReportFactory, ShopFactory, make_profile

pytestmark = pytest.mark.django_db


def test_owners_who_have_not_reported_last_month_are_reminded_once():
    reported = ShopFactory()
    SalesReportFactory(shop=reported, month=datetime.date(2026, 10, 1))
    forgetful = ShopFactory()
    ShopFactory(owner=forgetful.owner)  # two shops, one reminder
    ShopFactory(opened_on=datetime.date(2026, 11, 2))  # opened after October: nothing to report
    assert send_monthly_reminders(today=datetime.date(2026, 11, 1)) == 1
    send_monthly_reminders(today=datetime.date(2026, 11, 1))
    reminders = Notification.objects.filter(kind="sales-reminder")
    assert [n.recipient for n in reminders] == [forgetful.owner]
    assert reminders.get().title == "请上报上个月的销售情况"
    assert "2026-10" in reminders.get().body and "2026-11-15" in reminders.get().body


def test_the_me_page_offers_shops_and_sales(client):
    shop = ShopFactory()
    client.force_login(shop.owner)
    response = client.get(reverse("core:me"))
    assert "我的网店与销售" in response.text
    assert reverse("merchants:shops") in response.text


def test_the_mentor_sees_the_trainees_sales_trend(client):
    from mentors.models import MentorAssignment

    mentor = MentorFactory()
    profile = make_profile(stage="merchant")
    shop = ShopFactory(owner=profile.user, name="覃家腊肉铺")
    today = datetime.date.today().replace(day=1)
    SalesReportFactory(shop=shop, month=today, sales=888)
    MentorAssignment.objects.create(mentor=mentor, trainee=profile.user)
    client.force_login(mentor)
    response = client.get(reverse("mentors:trainee", args=[profile.user.pk]))
    assert response.status_code == 200
    assert "覃家腊肉铺" in response.text
    assert "<svg" in response.text
