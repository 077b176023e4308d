"""Two-factor for the office: with STAFF_MFA_REQUIRED on, no admin page answers office staff or a
superuser without a second factor; they are sent to set one up. The demo leaves it off and the
admin home says so. Signing in with a second factor goes through allauth's login flow."""

import time

import pytest
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret, hotp_value

from django.urls import reverse

from core import security
from tests.factories import OfficeFactory, TraineeFactory, UserFactory
from tests.support.production import shell_output

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def give_totp(user):
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return lambda: f"{hotp_value(secret, int(time.time()) // 30):06d}"


@pytest.fixture
def required(settings):
    settings.STAFF_MFA_REQUIRED = True


@pytest.mark.parametrize("path", ["/admin/", "/admin/pages/", "/admin/county/dashboard/", "/admin/users/"])
def test_office_staff_without_a_second_factor_are_sent_to_set_one_up(client, required, path):
    client.force_login(OfficeFactory())
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_index")
    page = client.get(response["Location"])
    assert str(security.MFA_REQUIRED) in page.content.decode()


def test_a_superuser_without_a_second_factor_is_sent_too(client, required):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_a_course_editor_without_a_second_factor_is_sent_too(client, required):
    from core import roles

    editor = TraineeFactory()
    roles.add_role(editor, roles.COURSE_EDITOR)
    client.force_login(editor)
    assert client.get("/admin/pages/")["Location"] == reverse("mfa_index")
    give_totp(editor)
    client.force_login(editor)
    assert client.get("/admin/").status_code == 200


def test_staff_with_an_authenticator_app_use_the_admin(client, required):
    office = OfficeFactory()
    give_totp(office)
    client.force_login(office)
    assert client.get("/admin/").status_code == 200


def test_recovery_codes_alone_are_not_a_second_factor(client, required):
    from allauth.mfa.models import Authenticator

    office = OfficeFactory()
    Authenticator.objects.create(user=office, type=Authenticator.Type.RECOVERY_CODES, data={"seed": "00"})
    client.force_login(office)
    assert client.get("/admin/")["Location"] == reverse("mfa_index")


def test_sign_out_of_the_admin_still_works_without_a_second_factor(client, required):
    client.force_login(OfficeFactory())
    response = client.post(reverse("wagtailadmin_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_trainees_are_never_asked(client, required):
    client.force_login(TraineeFactory())
    assert client.get(reverse("core:me")).status_code == 200


def test_the_office_signs_in_with_password_then_code(client, required):
    office = OfficeFactory(email="office-2fa@example.com")
    code = give_totp(office)
    response = client.post(reverse("account_login"), {"login": office.email, "password": PASSWORD, "next": "/admin/"})
    assert response["Location"].startswith(reverse("mfa_authenticate"))
    assert client.get("/admin/")["Location"].startswith(reverse("account_login"))  # not signed in yet
    response = client.post(reverse("mfa_authenticate"), {"code": code()})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_demo_says_on_the_admin_home_that_it_is_off(client, settings):
    settings.STAFF_MFA_REQUIRED = False
    client.force_login(OfficeFactory())
    page = client.get("/admin/").content.decode()
    assert 'data-required="no"' in page
    assert reverse("mfa_index") in page


def test_the_admin_home_says_when_it_is_on(client, required):
    office = OfficeFactory()
    give_totp(office)
    client.force_login(office)
    assert 'data-required="yes"' in client.get("/admin/").content.decode()


def test_production_settings_require_it():
    code = "from django.conf import settings\nprint(settings.STAFF_MFA_REQUIRED, settings.MFA_SUPPORTED_TYPES)\n"
    assert shell_output(code, unset=("STAFF_MFA_REQUIRED",)) == "True ['totp', 'recovery_codes', 'webauthn']"
