"""The outreach demo shows each feature (classes with attendance and a trainee at risk for them, a
group message with its counts, an office correction with its reason, an office check-in), once."""

import pytest

from core import history
from core.models import ChangeRecord, Notification, User
from incubator.outreach import demo
from incubator.outreach.models import Attendance, ClassSession, GroupMessage, GroupMessageRecipient
from incubator.outreach.selectors.classes import MISSED_CLASSES
from incubator.outreach.selectors.group_messages import delivery, sent_by
from mentors.models import CheckIn
from mentors.selectors.mentor_area import trainee_rows

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        model.objects.count()
        for model in (
            ClassSession,
            Attendance,
            GroupMessage,
            GroupMessageRecipient,
            ChangeRecord,
            CheckIn,
            Notification,
        )
    )


def test_the_demo_shows_classes_messages_corrections_and_office_check_ins(demo_county):
    # The shared seed ran its fan-out and deliveries on commit, as they run outside tests.
    first = counts()
    demo.seed()
    assert counts() == first

    mentor = User.objects.get(email="mentor@demo.local")
    assert Attendance.objects.filter(status="absent").exists() and Attendance.objects.filter(status="present").exists()
    (missed,) = [row.trainee for row in trainee_rows(mentor=mentor) if MISSED_CLASSES in row.risk_codes]
    office = User.objects.get(email="office@demo.local")
    message = sent_by(user=office).get(title=demo.MESSAGE_TITLE)
    counted = delivery(message)
    assert counted.total == message.recipient_count > 1 and counted.delivered == counted.total
    (entry,) = history.entries(missed)
    assert entry.reason == demo.CORRECTION_REASON and entry.actor == office
    assert CheckIn.objects.get(trainee=missed, by_office=True).mentor == office
    trainee = User.objects.get(email="trainee@demo.local")
    assert Attendance.objects.filter(trainee=trainee).exists()
