"""One SITE_URL builds every absolute link (issue 19): emails, SMS, certificate PDFs and their QR
codes never point to http://127.0.0.1:8000 or http://localhost; production refuses to start
without it; the demo's Wagtail Site answers at the same address."""

import datetime

import pytest

from django.core import mail
from django.utils import timezone

from core import sms
from core.links import absolute_url
from core.notifications import notify
from tests.factories import OfficeFactory, TraineeFactory
from tests.support.production import run_manage

pytestmark = pytest.mark.django_db

SITE = "https://zy.example.gov.cn"


@pytest.fixture(autouse=True)
def site_url(settings):
    settings.SITE_URL = SITE
    settings.ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1", "zy.example.gov.cn"]
    sms.outbox.clear()


def test_paths_and_our_own_addresses_are_built_on_site_url():
    assert absolute_url("/courses/") == f"{SITE}/courses/"
    assert absolute_url("http://localhost/courses/?q=1#top") == f"{SITE}/courses/?q=1#top"
    assert absolute_url("http://127.0.0.1:8000/me/") == f"{SITE}/me/"
    assert absolute_url("https://shop.example.com/item/1") == "https://shop.example.com/item/1"
    assert absolute_url("http://internal-proxy:8000/x/", ours=True) == f"{SITE}/x/"
    assert absolute_url("") == ""


def test_a_notification_email_links_to_site_url(django_capture_on_commit_callbacks):
    person = TraineeFactory(email="a@example.com")
    with django_capture_on_commit_callbacks(execute=True):
        notify(recipient=person, kind="test", title="新课程", url="/courses/")
    [email] = mail.outbox
    assert f"{SITE}/courses/" in email.body
    assert "127.0.0.1" not in email.body and "localhost" not in email.body


def test_a_mentor_invitation_by_sms_and_by_email_links_to_site_url(django_capture_on_commit_callbacks):
    from mentors import invitations

    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_mentor(real_name="田老师", phone="13800003333", by=OfficeFactory())
    [(_phone, text)] = sms.outbox
    assert f"{SITE}/mentor/invitation/" in text
    with django_capture_on_commit_callbacks(execute=True):
        invitations.invite_mentor(real_name="李老师", email="li@example.com", by=OfficeFactory())
    assert f"{SITE}/mentor/invitation/" in mail.outbox[-1].body


def test_allauth_emails_link_to_site_url_whatever_the_request_host(client):
    person = TraineeFactory(email="reset@example.com")
    person.emailaddress_set.create(email=person.email, verified=True, primary=True)
    client.post("/accounts/password/reset/", {"email": person.email}, HTTP_HOST="localhost")
    [email] = mail.outbox
    assert f"{SITE}/accounts/password/reset/key/" in email.body
    assert "http://localhost" not in email.body


def test_the_certificate_pdf_and_its_qr_code_use_site_url(monkeypatch):
    from incubator.merchants import pdf
    from incubator.merchants.models import Certificate

    holder = TraineeFactory(real_name="向阿香")
    certificate = Certificate.objects.create(
        holder=holder,
        holder_name=holder.real_name,
        cohort_name="第一期",
        course_titles=["开网店入门"],
        issued_on=timezone.localdate() - datetime.timedelta(days=1),
        issued_by=OfficeFactory(),
    )
    encoded = []
    original = pdf.qr_image
    monkeypatch.setattr(pdf, "qr_image", lambda data: encoded.append(data) or original(data))
    assert pdf.render_certificate(certificate).startswith(b"%PDF")
    assert encoded == [f"{SITE}/certificates/{certificate.code}/"]


def test_the_demo_site_answers_at_site_url():
    from wagtail.models import Site

    from incubator.demo import get_or_create_home

    get_or_create_home()
    site = Site.objects.get(is_default_site=True)
    assert (site.hostname, site.port) == ("zy.example.gov.cn", 443)
    assert site.root_url == SITE


def test_production_refuses_to_start_without_site_url():
    result = run_manage("check", unset=("SITE_URL",))
    assert result.returncode != 0 and "SITE_URL" in result.stderr
    assert run_manage("check", env={"SITE_URL": SITE}).returncode == 0
