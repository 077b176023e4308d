"""A notification is written in its recipient's language, whoever caused it and in whatever
language they were using (core.notifications: callers give lazy texts, notify renders them)."""

import datetime

import pytest

from django.utils import translation
from django.utils.translation import gettext_lazy

from core.models import Notification
from core.notifications import lines, message, notify
from incubator.merchants.models import Certificate
from incubator.merchants.services.graduation import revoke_certificate
from incubator.merchants.services.reminders import send_monthly_reminders
from incubator.recruitment.models import Application
from incubator.recruitment.services.review import change_application_status
from tests.factories import OfficeFactory, TraineeFactory, UserFactory
from tests.merchants.factories import ShopFactory
from tests.recruitment.factories import make_application, make_campaign

pytestmark = pytest.mark.django_db


def _certificate(holder):
    return Certificate.objects.create(
        holder=holder, holder_name="郑国强", cohort_name="2025年秋季网商班", issued_on=datetime.date(2025, 12, 20)
    )


def test_a_chinese_speaking_office_revokes_an_english_speaking_merchants_certificate_in_english():
    office = OfficeFactory(preferred_language="zh-hans")
    merchant = TraineeFactory(preferred_language="en")
    with translation.override(office.preferred_language):
        revoke_certificate(certificate=_certificate(merchant), by=office, reason="证书信息有误")
    notice = Notification.objects.get(recipient=merchant, kind="certificate-revoked")
    assert notice.title == "Your certificate has been revoked"
    assert notice.body == "证书信息有误"  # the office's own words, as written


def test_an_english_speaking_office_revokes_a_chinese_speaking_merchants_certificate_in_chinese():
    office = OfficeFactory(preferred_language="en")
    merchant = TraineeFactory(preferred_language="zh-hans")
    with translation.override(office.preferred_language):
        revoke_certificate(certificate=_certificate(merchant), by=office, reason="Wrong name")
    assert Notification.objects.get(recipient=merchant, kind="certificate-revoked").title == "您的结业证书已被撤销"


@pytest.mark.parametrize(
    ("office_language", "applicant_language", "status_word", "body_start"),
    [("zh-hans", "en", "Accepted", "Congratulations"), ("en", "zh-hans", "录取", "恭喜")],
)
def test_an_application_status_notice_is_in_the_applicants_language(
    office_language, applicant_language, status_word, body_start
):
    office = OfficeFactory(preferred_language=office_language)
    applicant = UserFactory(preferred_language=applicant_language)
    application = make_application(campaign=make_campaign(title="2026 Campaign"), applicant=applicant)
    with translation.override(office_language):
        change_application_status(application=application, to=Application.Status.ACCEPTED, by=office)
    notice = Notification.objects.get(recipient=applicant, kind="application-status")
    assert notice.title.startswith("2026 Campaign")
    assert status_word in notice.title
    assert notice.body.startswith(body_start)


def test_a_reminder_with_parameters_is_in_each_owners_language():
    english = ShopFactory(owner=UserFactory(preferred_language="en"))
    chinese = ShopFactory(owner=UserFactory(preferred_language="zh-hans"))
    with translation.override("zh-hans"):  # the worker's language is not the merchants'
        send_monthly_reminders(today=datetime.date(2026, 11, 1))
    by_owner = {n.recipient_id: n for n in Notification.objects.filter(kind="sales-reminder")}
    assert by_owner[english.owner_id].title == "Please report last month's sales"
    assert by_owner[english.owner_id].body == "Report 2026-10 for each of your shops by 2026-11-15."
    assert by_owner[chinese.owner_id].body == "请在 2026-11-15 前为您的每家网店上报 2026-10 的销售情况。"


def test_messages_and_lines_stay_lazy_until_notify_renders_them():
    person = UserFactory(preferred_language="en")
    title = message(gettext_lazy("Report %(month)s for each of your shops by %(date)s."), month="2026-10", date="x")
    body = lines(gettext_lazy("Please report last month's sales"), message("- %(n)s", n=3))
    with translation.override("zh-hans"):
        notice = notify(recipient=person, kind="test", title=title, body=body)
    assert notice.title == "Report 2026-10 for each of your shops by x."
    assert notice.body == "Please report last month's sales\n- 3"


def test_a_lazy_plural_is_chosen_and_translated_when_read():
    """core.notifications.ngettext_lazy: one proxy class for every plural (Django's builds one
    per call given a number), the form for the number and the language of the reader."""
    from core.notifications import ngettext_lazy

    with translation.override("en"):
        text = message(ngettext_lazy("No activity for %(days)s day", "No activity for %(days)s days", 15), days=15)
        one = ngettext_lazy("No activity for %(days)s day", "No activity for %(days)s days", 1)
    with translation.override("en"):
        assert str(text) == "No activity for 15 days"
        assert str(one) % {"days": 1} == "No activity for 1 day"
    with translation.override("zh-hans"):
        assert str(text) == "已 15 天没有学习活动"
    assert type(ngettext_lazy("a", "b", 1)) is type(ngettext_lazy("c", "d", 2))
