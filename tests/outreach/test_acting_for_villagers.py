"""The office acting for villagers: a check-in recorded as the office's, and a profile corrected
with a reason, kept in the history the person and the office read, under the phone's trust rules."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse

from core import history, sms
from core.models import Notification, ProductCategory, User
from incubator.merchants.models import SalesReport
from incubator.outreach.services import profiles
from incubator.recruitment.models import TraineeProfile
from mentors.models import CheckIn
from mentors.services.checkins import OFFICE_ONLY, record_office_checkin
from tests.factories import MentorFactory, OfficeFactory, UserFactory, VillageFactory
from tests.mentors.factories import CheckInFactory, make_mentor
from tests.merchants.factories import ShopFactory
from tests.outreach.factories import cohort_with, mark, session

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


def test_the_office_records_a_check_in_as_the_office_and_the_mentor_sees_it_so(client):
    _cohort, mentor, (trainee,) = cohort_with(1)
    office = OfficeFactory(real_name="县电商办小王")
    client.force_login(office)
    response = client.post(
        reverse("outreach_admin:checkin", args=[trainee.pk]),
        {"date": "", "channel": "phone", "notes": "电话问了开店进度", "next_steps": ""},
    )
    assert response.status_code == 200 and response.context["form"].errors["date"]
    response = client.post(
        reverse("outreach_admin:checkin", args=[trainee.pk]),
        {"date": "2026-01-05", "channel": "phone", "notes": "电话问了开店进度", "next_steps": ""},
    )
    assert response.status_code == 302
    checkin = CheckIn.objects.get(trainee=trainee)
    assert checkin.by_office and checkin.mentor == office
    client.force_login(mentor)
    page = client.get(reverse("mentors:trainee", args=[trainee.pk])).content.decode()
    assert "县电商办小王" in page and "电话问了开店进度" in page


def test_only_the_office_records_a_check_in_as_the_office():
    _cohort, mentor, (trainee,) = cohort_with(1)
    with pytest.raises(ValidationError) as refused:
        record_office_checkin(office=mentor, trainee=trainee, date=None, channel="phone", notes="冒充")
    assert refused.value.messages == [str(OFFICE_ONLY)]
    assert not CheckIn.objects.exists()


def _correct(client, person, **data):
    values = {
        "real_name": person.real_name,
        "phone": person.phone or "",
        "village": person.village_id or "",
        "reason": "本人来电更正",
    }
    values.update(data)
    return client.post(reverse("outreach_admin:correct_profile", args=[person.pk]), values)


def test_a_correction_keeps_its_reason_in_the_history_the_person_and_the_office_read(client):
    cohort, _mentor, (person,) = cohort_with(1)
    village = VillageFactory(code="new-village", name="新村")
    orange = ProductCategory.objects.get_or_create(slug="navel-orange", defaults={"name": "脐橙"})[0]
    office = OfficeFactory()
    client.force_login(office)
    response = _correct(client, person, real_name="向小梅", village=village.pk, products=[orange.pk], reason="")
    assert response.status_code == 200 and response.context["form"].errors["reason"]
    person.refresh_from_db()
    assert person.real_name != "向小梅"
    response = _correct(client, person, real_name="向小梅", village=village.pk, products=[orange.pk])
    assert response.status_code == 302
    person.refresh_from_db()
    assert (person.real_name, person.village, list(person.products.all())) == ("向小梅", village, [orange])
    (entry,) = history.entries(person)
    assert entry.reason == "本人来电更正" and entry.actor == office
    assert sorted(str(label) for label, _old, _new in entry.lines) == sorted(
        str(User._meta.get_field(name).verbose_name) for name in ("real_name", "village", "products")
    )
    # The programme's copy of the village follows, with its own history.
    assert TraineeProfile.objects.get(user=person).village == village
    assert Notification.objects.filter(recipient=person, kind="profile-corrected").exists()
    assert "本人来电更正" in client.get(reverse("outreach_admin:person", args=[person.pk])).content.decode()
    client.force_login(person)
    own = client.get(reverse("core:profile"))
    assert "本人来电更正" in own.content.decode() and "向小梅" in own.content.decode()


def test_a_phone_correction_is_unique_unverified_and_becomes_the_sign_in_number(client):
    UserFactory(phone="+8613900000099")
    person = UserFactory(phone="+8613900000011", phone_verified=True)
    client.force_login(OfficeFactory())
    taken = _correct(client, person, phone="13900000099")
    assert taken.status_code == 200
    assert taken.context["form"].errors["phone"] == [str(profiles.PHONE_TAKEN)]
    assert _correct(client, person, phone="13900000022").status_code == 302
    person.refresh_from_db()
    assert person.phone == "+8613900000022" and person.phone_verified is False
    client.logout()
    # The old number no longer signs in; the corrected one (the login identity) does, once its
    # holder proves it with the code allauth sends to it.
    old = client.post(reverse("account_login"), {"login": "13900000011", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and old.status_code == 200
    sms.outbox.clear()
    new = client.post(reverse("account_login"), {"login": "13900000022", "password": PASSWORD})
    assert new.status_code == 302 and new["Location"] == reverse("account_verify_phone")
    assert [phone for phone, _text in sms.outbox] == ["+8613900000022"]


@pytest.mark.parametrize("kind", ["mentor", "office", "superuser"])
def test_the_profiles_of_mentors_office_staff_and_administrators_are_not_corrected_here(kind, client):
    person = {
        "mentor": lambda: make_mentor(),
        "office": lambda: OfficeFactory(),
        "superuser": lambda: UserFactory(is_superuser=True, is_staff=True),
    }[kind]()
    phone = person.phone
    with pytest.raises(ValidationError) as refused:
        profiles.correct_profile(
            office=OfficeFactory(),
            person=person,
            reason="改号",
            real_name="x",
            phone="+8613900000033",
            village=None,
            products=[],
        )
    assert refused.value.messages == [str(profiles.NOT_A_VILLAGER)]
    client.force_login(OfficeFactory())
    assert _correct(client, person, phone="13900000033").status_code == 404
    person.refresh_from_db()
    assert person.phone == phone


def test_only_the_office_corrects_a_profile():
    person = UserFactory()
    with pytest.raises(ValidationError):
        profiles.correct_profile(
            office=MentorFactory(), person=person, reason="x", real_name="y", phone=None, village=None, products=[]
        )


def test_the_persons_page_leads_to_entering_a_sales_report_for_each_of_their_shops(client):
    _cohort, _mentor, (person,) = cohort_with(1)
    shop = ShopFactory(owner=person, name="向家脐橙小店")
    client.force_login(OfficeFactory())
    page = client.get(reverse("outreach_admin:person", args=[person.pk])).content.decode()
    link = f"{reverse('merchants_admin:report_enter')}?shop={shop.pk}"
    assert "向家脐橙小店" in page and f'href="{link}"' in page
    form = client.get(link).context["form"]
    assert str(form["shop"].value()) == str(shop.pk)
    assert client.get(f"{reverse('merchants_admin:report_enter')}?shop=x").context["form"]["shop"].value() is None
    assert not SalesReport.objects.exists()  # opening the form enters nothing


# session, user, roles, the person with their village, products, shops, history, check-ins,
# the cohort's classes and their attendance, the mentor, and the admin's own (menu, site, locale).
PERSON_QUERIES = 13


def test_the_persons_page_asks_the_database_the_same_whatever_their_record(client, django_assert_num_queries):
    cohort, mentor, (person,) = cohort_with(1)
    client.force_login(OfficeFactory())
    url = reverse("outreach_admin:person", args=[person.pk])
    client.get(url)
    with django_assert_num_queries(PERSON_QUERIES):
        assert client.get(url).status_code == 200
    for n in range(3):
        ShopFactory(owner=person, name=f"小店{n}")
        CheckInFactory(mentor=mentor, trainee=person)
        mark(session(cohort, led_by=mentor, days_ago=n + 1), person, "present")
    with django_assert_num_queries(PERSON_QUERIES):
        response = client.get(url)
    assert len(response.context["shops"]) == 3 and len(response.context["checkins"]) == 3
