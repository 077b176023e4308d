"""Check-ins (a timeline per trainee) and graduation recommendations (one open per trainee)."""

from datetime import timedelta

import pytest

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from mentors.models import CheckIn, GraduationRecommendation
from mentors.selectors.relations import active_mentors, active_recommendations, is_mentor_of
from mentors.services.assignment import assign_mentor
from mentors.services.checkins import record_checkin
from mentors.services.recommendations import recommend_graduation, withdraw_recommendation
from tests.factories import OfficeFactory, TraineeFactory

from .factories import assign, make_mentor

pytestmark = pytest.mark.django_db


@pytest.fixture
def pair():
    mentor, trainee = make_mentor(), TraineeFactory()
    assign(mentor, trainee)
    return mentor, trainee


def test_checkin_form_saves_and_shows_in_the_timeline(client, pair):
    mentor, trainee = pair
    client.force_login(mentor)
    url = reverse("mentors:checkin", args=[trainee.pk])
    today = timezone.localdate()

    response = client.post(
        url, {"date": today.isoformat(), "channel": "visit", "notes": "看了果园", "next_steps": "拍主图"}
    )

    assert response.status_code == 302
    checkin = CheckIn.objects.get(trainee=trainee)
    assert (checkin.mentor, checkin.channel, checkin.date) == (mentor, "visit", today)
    page = client.get(reverse("mentors:trainee", args=[trainee.pk])).content.decode()
    assert "看了果园" in page and "上门走访" in page


def test_checkin_in_the_future_is_refused_and_keeps_the_notes(client, pair):
    mentor, trainee = pair
    client.force_login(mentor)
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = client.post(
        reverse("mentors:checkin", args=[trainee.pk]),
        {"date": tomorrow.isoformat(), "channel": "phone", "notes": "打了电话"},
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "跟进日期不能晚于今天。" in page and "打了电话" in page
    assert not CheckIn.objects.exists()


def test_checkin_needs_the_current_mentor(pair):
    _mentor, trainee = pair
    with pytest.raises(ValidationError) as error:
        record_checkin(mentor=make_mentor(), trainee=trainee, date=timezone.localdate(), channel="phone", notes="x")
    assert error.value.messages == ["您不是该学员的当前导师。"]


def test_recommend_and_withdraw(client, pair, django_capture_on_commit_callbacks):
    mentor, trainee = pair
    office = OfficeFactory()
    client.force_login(mentor)

    empty = client.post(reverse("mentors:recommend", args=[trainee.pk]), {"note": ""})
    assert "请写明该学员可以结业的理由。" in empty.content.decode()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mentors:recommend", args=[trainee.pk]), {"note": "课程全部完成"})
    assert response.status_code == 302
    recommendation = GraduationRecommendation.objects.get(trainee=trainee)
    assert active_recommendations(trainee_ids=[trainee.pk]) == {trainee.pk: recommendation}
    assert Notification.objects.filter(recipient=trainee, title="导师已推荐您结业").exists()
    assert Notification.objects.filter(recipient=office, title="有导师推荐学员结业").exists()

    with pytest.raises(ValidationError) as twice:
        recommend_graduation(mentor=mentor, trainee=trainee, note="再推荐一次")
    assert twice.value.messages == ["该学员已被推荐结业。"]

    response = client.post(reverse("mentors:withdraw", args=[recommendation.pk]), {"reason": "还没开店"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.withdrawn_at is not None and recommendation.withdraw_reason == "还没开店"
    assert active_recommendations(trainee_ids=[trainee.pk]) == {}
    # a new recommendation is possible after withdrawing
    recommend_graduation(mentor=mentor, trainee=trainee, note="现在可以了")
    assert GraduationRecommendation.objects.filter(trainee=trainee).count() == 2


def test_one_open_recommendation_per_trainee_in_the_database(pair):
    mentor, trainee = pair
    GraduationRecommendation.objects.create(trainee=trainee, mentor=mentor, note="a")
    with pytest.raises(IntegrityError), transaction.atomic():
        GraduationRecommendation.objects.create(trainee=trainee, mentor=mentor, note="b")


def test_another_mentor_cannot_withdraw(client, pair):
    mentor, trainee = pair
    recommendation = recommend_graduation(mentor=mentor, trainee=trainee, note="好")
    other = make_mentor()
    client.force_login(other)
    assert client.get(reverse("mentors:withdraw", args=[recommendation.pk])).status_code == 404
    with pytest.raises(ValidationError) as error:
        withdraw_recommendation(mentor=other, recommendation=recommendation)
    assert error.value.messages == ["只有学员现在的导师才能撤回这条推荐。"]


def test_after_a_reassignment_the_new_mentor_can_withdraw_the_former_mentors_recommendation(client, pair):
    mentor, trainee = pair
    recommendation = recommend_graduation(mentor=mentor, trainee=trainee, note="好")
    new_mentor = make_mentor()
    assign_mentor(trainee=trainee, mentor=new_mentor, notify_people=False)
    with pytest.raises(ValidationError):
        withdraw_recommendation(mentor=mentor, recommendation=recommendation)
    client.force_login(new_mentor)
    response = client.post(reverse("mentors:withdraw", args=[recommendation.pk]), {"reason": "还需要再练习"})
    assert response.status_code == 302
    recommendation.refresh_from_db()
    assert recommendation.withdrawn_at is not None
    recommend_graduation(mentor=new_mentor, trainee=trainee, note="现在可以了")


def test_contract_selectors(pair):
    mentor, trainee = pair
    former = TraineeFactory()
    assign(mentor, former, days_ago=9, ended_days_ago=2)
    assert active_mentors(trainee_ids=[trainee.pk, former.pk]) == {trainee.pk: mentor}
    assert is_mentor_of(mentor=mentor, trainee=trainee, current_only=True)
    assert is_mentor_of(mentor=mentor, trainee=former)
    assert not is_mentor_of(mentor=mentor, trainee=former, current_only=True)
    assert not is_mentor_of(mentor=make_mentor(), trainee=trainee)
