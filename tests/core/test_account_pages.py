"""Sign-up, sign-in, codes and account pages (allauth's) look like the rest of the site, label the
code field as a verification code, fill in what an application already asked, and name the person
in their success messages, never the generated username.

The site's look is templates/allauth/ (elements and layouts); the labels are core.account_forms."""

import re
from html.parser import HTMLParser

import pytest
from allauth.account import forms as allauth_forms
from allauth.mfa.base import forms as mfa_forms

from django.conf import settings
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import translation

from core import account_forms, sms
from core.adapters import user_display
from core.models import User
from tests.factories import UserFactory, VillageFactory
from tests.recruitment.factories import make_campaign

from .test_accounts import signup

pytestmark = pytest.mark.django_db

ANONYMOUS_PAGES = ["account_login", "account_signup", "account_reset_password", "account_request_login_code"]
SIGNED_IN_PAGES = [
    "account_email",
    "account_change_password",
    "account_change_phone",
    "account_logout",
    "account_reauthenticate",
    "mfa_index",
]


class Page(HTMLParser):
    """The parts of a page the checks look at: the body's class, the buttons, the form fields."""

    def __init__(self, html: str):
        super().__init__()
        self.body_class = ""
        self.in_main = False
        self.buttons: list[dict] = []  # <button> and submit inputs inside <main>
        self.links: list[dict] = []
        self.inputs: list[dict] = []
        self.labels_for: set[str] = set()
        self.label_depth = 0
        self.field_depth = 0
        self.depth = 0
        self.field_stack: list[int] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        classes = (attrs.get("class") or "").split()
        if tag == "body":
            self.body_class = attrs.get("class") or ""
        if tag == "main":
            self.in_main = True
        if not self.in_main:
            return
        if tag not in {"input", "br", "hr", "img", "meta", "link"}:
            self.depth += 1
            if tag == "div" and "field" in classes:
                self.field_stack.append(self.depth)
        if tag == "label":
            self.label_depth += 1
            if attrs.get("for"):
                self.labels_for.add(attrs["for"])
        if tag == "button" or (tag == "input" and attrs.get("type") == "submit"):
            self.buttons.append(attrs)
        if tag == "a":
            self.links.append(attrs)
        if tag in {"input", "select", "textarea"} and attrs.get("type") != "hidden":
            self.inputs.append({**attrs, "in_field": bool(self.field_stack), "in_label": bool(self.label_depth)})

    def handle_endtag(self, tag):
        if tag == "main":
            self.in_main = False
        if not self.in_main:
            return
        if tag == "label":
            self.label_depth -= 1
        if tag not in {"input", "br", "hr", "img", "meta", "link"}:
            if self.field_stack and self.field_stack[-1] == self.depth:
                self.field_stack.pop()
            self.depth -= 1


def assert_site_look(response, *, asks=True):
    assert response.status_code == 200
    html = response.content.decode()
    page = Page(html)
    assert "account-page" in page.body_class.split()
    assert 'class="site-header"' in html  # the site's header and footer, not allauth's bare page
    assert "Menu:" not in html
    for button in page.buttons:
        classes = (button.get("class") or "").split()
        assert {"button", "link-button"} & set(classes), button
    assert bool(page.inputs) == asks
    for field in page.inputs:
        assert field["in_field"], field  # wrapped like includes/field.html
        assert field["in_label"] or field.get("id") in page.labels_for, field
    return page


@pytest.mark.parametrize("name", ANONYMOUS_PAGES)
def test_the_entrance_pages_use_the_sites_layout_and_buttons(client, name):
    page = assert_site_look(client.get(reverse(name)))
    assert page.buttons


@pytest.mark.parametrize("name", SIGNED_IN_PAGES)
def test_the_account_pages_use_the_sites_layout_and_buttons(client, name):
    client.force_login(UserFactory(phone="+8613800138000"))
    response = client.get(reverse(name))
    assert_site_look(response, asks=name not in {"account_logout", "mfa_index"})
    if name == "mfa_index":  # its actions are links shaped as the site's buttons
        assert re.search(r'<a href="/accounts/2fa/totp/activate/" class="button', response.content.decode())


def verification_label(html: str) -> str:
    return re.search(r'<label for="id_code">([^<]*)', html).group(1).strip()


def test_the_phone_verification_page_asks_for_a_verification_code(client):
    response = signup(client, phone="13800138000")
    page = client.get(response.url)
    assert_site_look(page)
    html = page.content.decode()
    assert verification_label(html) == str(account_forms.VERIFICATION_CODE)
    assert "编号" not in html  # "Code" as a certificate's number
    assert 'inputmode="numeric"' in html and 'autocomplete="one-time-code"' in html
    # the code sent by SMS works in the relabelled form
    code = re.search(r"\d{6}", sms.outbox[-1][1]).group(0)
    client.post(reverse("account_verify_phone"), {"code": code})
    assert User.objects.get(phone="+8613800138000").phone_verified


def test_the_sign_in_code_page_asks_for_a_verification_code(client):
    UserFactory(phone="+8613800138000")
    response = client.post(reverse("account_request_login_code"), {"phone": "13800138000"})
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert_site_look(page)
    assert verification_label(page.content.decode()) == str(account_forms.VERIFICATION_CODE)


def test_every_code_form_is_labelled_verification_code():
    assert settings.ACCOUNT_FORMS["verify_phone"] == "core.account_forms.VerifyPhoneForm"
    assert settings.ACCOUNT_FORMS["confirm_login_code"] == "core.account_forms.ConfirmLoginCodeForm"
    assert settings.MFA_FORMS["authenticate"] == "core.account_forms.AuthenticateForm"
    user = UserFactory()
    forms = [
        account_forms.VerifyPhoneForm(user=user, phone="+8613800138000", code="123456"),
        account_forms.ConfirmLoginCodeForm(code="123456"),
        account_forms.ConfirmEmailVerificationCodeForm(user=user, email="a@example.com", code="123456"),
        account_forms.AuthenticateForm(user=user),
        account_forms.ReauthenticateForm(user=user),
    ]
    assert isinstance(forms[0], allauth_forms.VerifyPhoneForm)
    assert isinstance(forms[3], mfa_forms.AuthenticateForm)
    for form in forms:
        assert form.fields["code"].label == account_forms.VERIFICATION_CODE
        assert "placeholder" not in form.fields["code"].widget.attrs
    with translation.override("zh-hans"):
        assert "编号" not in str(forms[0].fields["code"].label)


def test_the_phone_field_is_a_mobile_phone_and_the_login_field_says_what_to_type(client):
    signup_html = client.get(reverse("account_signup")).content.decode()
    login_html = client.get(reverse("account_login")).content.decode()
    with translation.override("zh-hans"):
        mobile = translation.gettext("Mobile phone")
        phone_or_email = translation.gettext("Mobile phone or email")
    assert f'<label for="id_phone">{mobile}</label>' in signup_html
    assert f'<label for="id_login">{phone_or_email} <span aria-hidden="true">*</span></label>' in login_html


def test_a_name_and_phone_typed_into_an_application_are_filled_in_at_sign_up(client):
    campaign = make_campaign()
    village = VillageFactory()
    application = {
        "real_name": "田桂英",
        "phone": "139 0013 9000",
        "village": village.pk,
        "online_experience": "some",
    }
    response = client.post(campaign.url + "apply/", application)
    assert response["Location"].startswith("/accounts/login/")

    html = client.get(reverse("account_signup")).content.decode()

    assert re.search(r'name="real_name" value="田桂英"', html)
    assert re.search(r'name="phone" value="139 0013 9000"', html)
    # and a sign-up with them keeps the application's draft for the form after verification
    signup(client, real_name="田桂英", phone="139 0013 9000")
    assert User.objects.get(phone="+8613900139000").real_name == "田桂英"


def test_a_sign_up_without_an_application_starts_empty(client):
    html = client.get(reverse("account_signup")).content.decode()
    assert re.search(r'name="real_name"(?! value)', html)


def test_typed_values_win_over_the_application_draft(client):
    campaign = make_campaign()
    client.post(campaign.url + "apply/", {"real_name": "田桂英", "phone": "13900139000"})
    response = signup(client, real_name="田小英", phone="")  # neither phone nor email: the form comes back
    assert response.status_code == 200
    html = response.content.decode()
    assert 'value="田小英"' in html and 'value="田桂英"' not in html


def test_signing_in_names_the_person_not_the_generated_username(client):
    user = UserFactory(username="imported-d377aa01bb", real_name="向小梅", phone="+8613800138000", phone_verified=True)
    response = client.post(reverse("account_login"), {"login": "13800138000", "password": "correct-horse-battery"})
    assert response.status_code == 302
    texts = [str(m) for m in get_messages(response.wsgi_request)]
    assert texts and any("向小梅" in text for text in texts)
    assert not any(user.username in text for text in texts)


def test_the_user_display_is_the_name_else_the_phone_or_email():
    assert settings.ACCOUNT_USER_DISPLAY == "core.adapters.user_display"
    assert user_display(UserFactory.build(username="user1", real_name="向小梅")) == "向小梅"
    nameless = UserFactory.build(username="u-1234", real_name="", email="", phone="+8613800138000")
    assert user_display(nameless) == "138 0013 8000"
    assert "u-1234" not in user_display(UserFactory.build(username="u-1234", real_name="", email="a@example.com"))


def test_signing_up_names_the_person_in_its_messages(client):
    response = signup(client, real_name="覃志刚", email="qin@example.com")
    texts = " ".join(str(m) for m in get_messages(response.wsgi_request))
    user = User.objects.get(email="qin@example.com")
    assert "覃志刚" in texts  # "Successfully signed in as 覃志刚."
    assert user.username not in texts.replace(user.email, "")


def test_the_office_user_admin_names_the_person(client):
    office = UserFactory(is_superuser=True, is_staff=True)
    person = UserFactory(username="imported-d377aa01bb", real_name="田桂英")
    client.force_login(office)
    response = client.post(
        reverse("wagtailusers_users:edit", args=[person.pk]),
        {"real_name": "田桂英", "email": person.email, "phone": "", "is_active": "on", "groups": []},
        follow=True,
    )
    texts = [str(m) for m in response.context["messages"]]
    assert texts and "田桂英" in texts[0]
    assert "imported-d377" not in texts[0]
