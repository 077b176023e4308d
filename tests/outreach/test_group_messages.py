"""Group messages: audiences, one notification per recipient (idempotent), counts computed from
the notifications, the daily limit, and mentors reaching their own trainees only."""

import pytest

from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from core.models import Notification
from incubator.outreach.models import GroupMessage, GroupMessageRecipient
from incubator.outreach.selectors.group_messages import delivery, sent_by
from incubator.outreach.services import group_messages as service
from incubator.recruitment.models import Application
from tests.factories import OfficeFactory, UserFactory, VillageFactory
from tests.mentors.factories import assign, make_mentor
from tests.outreach.factories import cohort_with, mark, session, trainee_in
from tests.recruitment.factories import CohortFactory, make_application, make_campaign

pytestmark = pytest.mark.django_db


def send(sender, **values):
    values.setdefault("title", "明天上课")
    values.setdefault("text", "上午九点在村委会，带上手机。")
    return service.send_group_message(sender=sender, **values)


def recipients(message):
    return set(GroupMessageRecipient.objects.filter(message=message).values_list("recipient_id", flat=True))


def test_the_office_reaches_a_cohort_with_one_notification_each_and_a_second_run_adds_none(settings):
    cohort, _mentor, trainees = cohort_with(3)
    message = send(OfficeFactory(), audience="cohort", cohort=cohort)
    # The fan-out task is enqueued on commit, which never comes inside a test's transaction: run it.
    service.fan_out(message_id=message.pk)
    notes = Notification.objects.filter(kind="group-message")
    assert sorted(notes.values_list("recipient_id", flat=True)) == sorted(t.pk for t in trainees)
    assert set(notes.values_list("title", flat=True)) == {"明天上课"}
    assert service.fan_out(message_id=message.pk) == 0
    assert notes.count() == 3
    message = sent_by(user=message.sender).get(pk=message.pk)
    assert message.recipient_count == 3 and message.fanned_out_at is not None


def test_the_fan_out_works_in_chunks_and_resumes_where_it_stopped(settings):
    cohort, _mentor, trainees = cohort_with(5)
    settings.CELERY_TASK_ALWAYS_EAGER = True
    message = send(OfficeFactory(), audience="cohort", cohort=cohort)
    GroupMessageRecipient.objects.filter(message=message).update(notification=None)
    Notification.objects.filter(kind="group-message").delete()
    GroupMessage.objects.filter(pk=message.pk).update(fanned_out_at=None)
    assert service.fan_out(message_id=message.pk, chunk=2) == 5
    assert Notification.objects.filter(kind="group-message").count() == 5
    assert not GroupMessageRecipient.objects.filter(message=message, notification__isnull=True).exists()


def test_delivered_pending_and_failed_are_counted_from_the_notifications():
    cohort, _mentor, trainees = cohort_with(4)
    message = send(OfficeFactory(), audience="cohort", cohort=cohort)
    # Before the fan-out (the task runs on commit, never inside this test's transaction) all are pending.
    counted = delivery(sent_by(user=message.sender).get(pk=message.pk))
    assert (counted.total, counted.delivered, counted.pending, counted.failed) == (4, 0, 4, 0)
    service.fan_out(message_id=message.pk)
    rows = list(GroupMessageRecipient.objects.filter(message=message).order_by("pk"))
    Notification.objects.filter(pk=rows[0].notification_id).update(delivered_at=timezone.now())
    Notification.objects.filter(pk=rows[1].notification_id).update(
        delivered_at=None, attempts=1, last_error="SMSError: gateway down"
    )
    Notification.objects.filter(pk__in=[rows[2].notification_id, rows[3].notification_id]).update(delivered_at=None)
    counted = delivery(sent_by(user=message.sender).get(pk=message.pk))
    assert (counted.total, counted.delivered, counted.pending, counted.failed) == (4, 1, 2, 1)


def test_audiences_township_campaign_by_status_and_at_risk():
    office = OfficeFactory()
    village = VillageFactory()
    cohort = CohortFactory()
    near = trainee_in(cohort, village=village)
    far = trainee_in(cohort)
    assert recipients(send(office, audience="township", township=village.township)) == {near.pk}

    campaign = make_campaign()
    accepted = make_application(campaign=campaign, status=Application.Status.ACCEPTED, applicant=UserFactory())
    make_application(campaign=campaign, applicant=UserFactory())
    assert recipients(send(office, audience="campaign", campaign=campaign, application_status="accepted")) == {
        accepted.applicant_id
    }
    assert len(recipients(send(office, audience="campaign", campaign=campaign))) == 2

    mentor = make_mentor()
    assign(mentor, far)
    assign(mentor, near)
    for days_ago in (14, 7):
        mark(session(cohort, led_by=mentor, days_ago=days_ago), far, "absent")
        mark(session(cohort, led_by=mentor, days_ago=days_ago + 1), near, "present")
    assert far.pk in recipients(send(office, audience="at_risk"))


def test_a_mentor_reaches_only_their_own_trainees_whatever_the_group():
    cohort, mentor, mine = cohort_with(2)
    others = [trainee_in(cohort) for _ in range(2)]
    other_mentor = make_mentor()
    for person in others:
        assign(other_mentor, person)
    message = send(mentor, audience="cohort", cohort=cohort)
    assert recipients(message) == {t.pk for t in mine}
    assert not message.as_office
    with pytest.raises(ValidationError) as refused:
        send(mentor, audience="campaign", campaign=make_campaign())
    assert refused.value.message_dict["audience"] == [str(service.MENTOR_AUDIENCE)]
    # A cohort none of their trainees is in reaches nobody, and is refused.
    lonely, _m, _t = cohort_with(1)
    with pytest.raises(ValidationError) as refused:
        send(mentor, audience="cohort", cohort=lonely)
    assert refused.value.messages == [str(service.NOBODY)]


def test_a_mentor_is_offered_only_their_trainees_groups_and_cannot_post_another(client):
    cohort, mentor, _mine = cohort_with(1)
    lonely, _m, _t = cohort_with(1)
    client.force_login(mentor)
    page = client.get(reverse("outreach:mentor_message_new"))
    assert list(page.context["form"].fields["cohort"].queryset) == [cohort]
    assert "campaign" not in page.context["form"].fields
    response = client.post(
        reverse("outreach:mentor_message_new"),
        {"audience": "cohort", "cohort": lonely.pk, "title": "你好", "text": "请来上课"},
    )
    assert response.status_code == 200 and response.context["form"].errors["cohort"]
    assert response.context["form"]["text"].value() == "请来上课"
    assert not GroupMessage.objects.exists()


def test_a_mentor_reads_only_their_own_messages(client):
    cohort, mentor, _mine = cohort_with(1)
    office_message = send(OfficeFactory(), audience="cohort", cohort=cohort)
    own = send(mentor, audience="cohort", cohort=cohort)
    client.force_login(mentor)
    assert client.get(reverse("outreach:mentor_message", args=[own.pk])).status_code == 200
    assert client.get(reverse("outreach:mentor_message", args=[office_message.pk])).status_code == 404
    listed = client.get(reverse("outreach:mentor_messages")).context["group_messages"]
    assert [m.pk for m, _delivery in listed] == [own.pk]


def test_the_daily_limit_refuses_with_a_clear_message_and_keeps_the_text(client, settings):
    settings.OUTREACH_GROUP_MESSAGES_PER_DAY = 2
    cohort, _mentor, _trainees = cohort_with(1)
    office = OfficeFactory()
    send(office, audience="cohort", cohort=cohort)
    send(office, audience="cohort", cohort=cohort)
    with pytest.raises(ValidationError) as refused:
        send(office, audience="cohort", cohort=cohort)
    assert refused.value.messages == [str(service.limit_reached_message(2))]
    client.force_login(office)
    response = client.post(
        reverse("outreach_admin:message_new"),
        {"audience": "cohort", "cohort": cohort.pk, "title": "第三条", "text": "今天的第三条"},
    )
    assert response.status_code == 200
    assert str(service.limit_reached_message(2)) in response.content.decode()
    assert response.context["form"]["text"].value() == "今天的第三条"
    assert GroupMessage.objects.count() == 2
    # Another sender has their own allowance.
    send(OfficeFactory(), audience="cohort", cohort=cohort)


def test_the_office_sends_from_the_admin_and_sees_the_counts(client):
    cohort, _mentor, trainees = cohort_with(3)
    office = OfficeFactory()
    client.force_login(office)
    response = client.post(
        reverse("outreach_admin:message_new"),
        {"audience": "cohort", "cohort": cohort.pk, "title": "通知", "text": "明天上课"},
        follow=True,
    )
    assert response.status_code == 200
    assert response.context["delivery"].total == 3


@pytest.mark.parametrize(
    ("url_name", "who", "queries"),
    [
        ("outreach_admin:message_index", "office", 5),
        ("outreach:mentor_messages", "mentor", 2),
    ],
)
def test_message_listings_ask_the_database_the_same_whatever_their_size(
    url_name, who, queries, client, django_assert_num_queries, settings
):
    settings.OUTREACH_GROUP_MESSAGES_PER_DAY = 100
    cohort, mentor, _trainees = cohort_with(2)
    sender = OfficeFactory() if who == "office" else mentor
    send(sender, audience="cohort", cohort=cohort)
    client.force_login(sender)
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200
    for _ in range(5):
        trainee_in(cohort)
    for person in cohort.trainees.all():
        if not person.user.mentor_assignments.exists():
            assign(mentor, person.user)
    for _ in range(4):
        send(sender, audience="cohort", cohort=cohort)
    with django_assert_num_queries(queries):
        assert client.get(reverse(url_name)).status_code == 200


@pytest.mark.parametrize(
    ("url_name", "who", "queries"),
    [
        # the session, the person with their roles, the message with its counts, its recipients with their
        # notifications (the office's page adds the admin's own: menu, site, locale...)
        ("outreach_admin:message", "office", 5),
        ("outreach:mentor_message", "mentor", 3),
    ],
)
def test_a_message_page_lists_its_recipients_in_the_same_queries_whatever_their_number(
    url_name, who, queries, client, django_assert_num_queries
):
    cohort, mentor, _trainees = cohort_with(2)
    sender = OfficeFactory() if who == "office" else mentor
    message = send(sender, audience="cohort", cohort=cohort)
    service.fan_out(message_id=message.pk)
    client.force_login(sender)
    url = reverse(url_name, args=[message.pk])
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    more = [trainee_in(cohort) for _ in range(6)]
    for person in more:
        assign(mentor, person)
    bigger = send(sender, audience="cohort", cohort=cohort)
    service.fan_out(message_id=bigger.pk)
    url = reverse(url_name, args=[bigger.pk])
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
    assert len(response.context["recipients"]) == 8
    assert all(person.display_name in response.content.decode() for person in more)
