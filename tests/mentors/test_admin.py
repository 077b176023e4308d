"""The office's mentor admin: create or invite mentors, group proposal preview and apply, manual assignment."""

import pytest

from django.urls import reverse

from wagtail import hooks

from core import roles
from core.models import Notification, User
from mentors import invitations
from mentors.groups import TraineeGroup, trainee_groups
from mentors.models import MentorAssignment, MentorInvitation, MentorProfile
from mentors.services.recommendations import recommend_graduation
from tests.factories import OfficeFactory, TownshipFactory, TraineeFactory, UserFactory, VillageFactory

from .factories import assign, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def office_client(client):
    client.force_login(OfficeFactory())
    return client


@pytest.fixture
def cohort():
    town = TownshipFactory(name="屈原镇")
    village = VillageFactory(township=town)
    trainees = [TraineeFactory(village=village) for _ in range(3)]
    ids = [t.pk for t in trainees]

    def groups():
        return [TraineeGroup(key="cohort-1", label="2026春季班", users=User.objects.filter(pk__in=ids))]

    with hooks.register_temporarily("mentors_trainee_groups", groups):
        yield town, trainees


def test_trainee_groups_come_from_the_hook(cohort):
    _town, trainees = cohort
    [group] = trainee_groups()
    assert group.key == "cohort-1" and set(group.users) == set(trainees)


def test_proposal_preview_saves_nothing_then_apply_saves(office_client, cohort):
    town, trainees = cohort
    mentor = make_mentor(townships=[town])
    url = reverse("mentor_assignment:propose", args=["cohort-1"])

    preview = office_client.get(url)

    assert preview.status_code == 200
    assert MentorAssignment.objects.count() == 0 and Notification.objects.count() == 0
    page = preview.content.decode()
    assert "服务屈原镇" in page and "这是预览，尚未保存任何内容。" in page
    tokens = preview.context["tokens"]
    outsider = TraineeFactory()
    response = office_client.post(url, {"pair": [*tokens, f"{outsider.pk}:{mentor.pk}", "junk"]})
    assert response.status_code == 302
    assert set(MentorAssignment.objects.active().values_list("trainee_id", flat=True)) == {t.pk for t in trainees}


def test_group_pages_render(office_client, cohort):
    assert office_client.get(reverse("mentor_assignment:index")).status_code == 200
    assert office_client.get(reverse("mentor_assignment:group", args=["cohort-1"])).status_code == 200
    assert office_client.get(reverse("mentor_assignment:group", args=["nope"])).status_code == 404
    found = office_client.get(reverse("mentor_assignment:index"), {"q": cohort[1][0].real_name})
    assert found.context["found"][0][0] == cohort[1][0]


def test_manual_assignment_and_reassignment(office_client):
    trainee = TraineeFactory()
    first, second = make_mentor(), make_mentor(capacity=1)
    assign(second)
    url = reverse("mentor_assignment:assign", args=[trainee.pk])

    assert office_client.post(url, {"mentor": first.pk}).status_code == 302
    full = office_client.post(url, {"mentor": second.pk, "reason": "就近"})
    assert full.status_code == 200 and "该导师的学员人数已达带教上限。" in full.content.decode()
    assert office_client.post(url, {"mentor": second.pk, "allow_over_capacity": "on"}).status_code == 302
    assert MentorAssignment.objects.active().get(trainee=trainee).mentor == second
    assert MentorAssignment.objects.filter(trainee=trainee).count() == 2
    office_client.post(url, {"end": "1", "reason": "退出"})
    assert not MentorAssignment.objects.active().filter(trainee=trainee).exists()


def test_admin_pages_need_the_office(client, cohort):
    client.force_login(make_mentor())
    for url in (
        reverse("mentor_assignment:index"),
        reverse("mentor_assignment:propose", args=["cohort-1"]),
        reverse("mentor_recommendations:index"),
    ):
        assert client.get(url).status_code == 302  # no admin access: Wagtail sends them to its login


def test_create_a_mentor_in_the_admin_sends_an_invitation(office_client, django_capture_on_commit_callbacks):
    town = TownshipFactory()
    with django_capture_on_commit_callbacks(execute=True):
        response = office_client.post(
            reverse("mentor_profiles:add"),
            {"real_name": "陈老师", "phone": "13812345678", "capacity": "6", "townships": [town.pk], "bio": "茶叶"},
        )
    assert response.status_code == 302, response.content.decode()[:2000]
    user = User.objects.get(phone="+8613812345678")
    # Invited, not yet a mentor: the role comes with accepting (tests/mentors/test_invitations.py).
    assert not roles.is_mentor(user) and not user.has_usable_password()
    profile = MentorProfile.objects.get(user=user)
    assert (profile.capacity, list(profile.townships.all()), profile.is_active) == (6, [town], False)
    invitation = Notification.objects.get(recipient=user, kind="mentor-invitation")
    assert invitation.url.startswith("http://testserver/mentor/invitation/")
    page = office_client.get(invitation.url)
    assert page.status_code == 200 and 'type="password"' in page.content.decode()


def test_create_form_errors(office_client):
    existing = make_mentor()
    response = office_client.post(reverse("mentor_profiles:add"), {"real_name": "无联系方式", "capacity": "5"})
    assert "请填写电子邮箱或手机号。" in response.content.decode()
    response = office_client.post(
        reverse("mentor_profiles:add"), {"real_name": "重复", "email": existing.email, "capacity": "5"}
    )
    assert "此人已经是导师。" in response.content.decode()


def test_invite_an_existing_person_changes_nothing_on_their_account():
    person = UserFactory(email="a@example.com", real_name="")
    sent = invitations.invite_mentor(real_name="老周", email="A@example.com")
    assert sent.invitation.user == person and not sent.created
    person.refresh_from_db()
    assert person.real_name == "" and not roles.is_mentor(person) and person.check_password("correct-horse-battery")
    assert sent.invitation.status == MentorInvitation.Status.PENDING


def test_recommendations_list_for_the_office(office_client):
    mentor, trainee = make_mentor(), TraineeFactory(real_name="赵六")
    assign(mentor, trainee)
    recommend_graduation(mentor=mentor, trainee=trainee, note="可以结业")
    page = office_client.get(reverse("mentor_recommendations:index")).content.decode()
    assert "赵六" in page and "可以结业" in page
