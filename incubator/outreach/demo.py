"""The outreach part of `seed_demo`: offline classes of the demo mentor's cohort with attendance
(one trainee missed the last two and shows as at risk), a group message from the office with its
delivery counts, an office correction of a profile with its reason, and an office check-in.
Idempotent: each piece is made once."""

from datetime import timedelta

from django.utils import timezone

from core.models import ChangeRecord, User
from incubator.outreach.models import ClassSession, GroupMessage
from incubator.outreach.services.classes import record_attendance
from incubator.outreach.services.group_messages import send_group_message
from incubator.outreach.services.profiles import correct_profile
from incubator.recruitment.models import TraineeProfile
from mentors.models import CheckIn, MentorAssignment
from mentors.services.checkins import record_office_checkin

CLASSES = [
    # days from today, topic, place
    (-21, "手机拍出好主图", "梅林镇电商服务站"),
    (-14, "商品详情页怎么写", "梅林镇电商服务站"),
    (-7, "直播带货第一课", "县电商产业园三楼教室"),
    (3, "快递打包与售后", "梅林镇电商服务站"),
]
MESSAGE_TITLE = "下周二线下课：快递打包与售后"
CORRECTION_REASON = "本人到县电商办现场核对身份证，更正姓名中的错字"


def _people():
    office = User.objects.filter(email="office@demo.local").first()
    mentor = User.objects.filter(email="mentor@demo.local").first()
    trainee = User.objects.filter(email="trainee@demo.local").first()
    profile = TraineeProfile.objects.filter(user=trainee).select_related("cohort").first() if trainee else None
    return office, mentor, trainee, profile.cohort if profile else None


def _the_one_who_missed(mentor, cohort, trainee):
    """A numbered trainee of the demo mentor, in the same cohort: they missed the last two classes."""
    assignment = (
        MentorAssignment.objects.active()
        .filter(
            mentor=mentor, trainee__trainee_profile__cohort=cohort, trainee__email__regex=r"^trainee[0-9]+@demo\.local$"
        )
        .exclude(trainee=trainee)
        .order_by("trainee__email")
        .first()
    )
    return assignment.trainee if assignment else None


def _classes(office, mentor, cohort, missed):
    today = timezone.localdate()
    roster = list(
        TraineeProfile.objects.filter(cohort=cohort, stage=TraineeProfile.Stage.TRAINEE).values_list(
            "user_id", flat=True
        )
    )
    for index, (days, topic, place) in enumerate(CLASSES):
        session, created = ClassSession.objects.get_or_create(
            cohort=cohort,
            topic=topic,
            defaults={"date": today + timedelta(days=days), "place": place, "led_by": mentor},
        )
        if not created or session.date > today or not roster:
            continue
        statuses = dict.fromkeys(roster, "present")
        if missed is not None and index >= 1:
            statuses[missed.pk] = "absent"
        if index == 0 and len(roster) > 2:
            statuses[roster[-1]] = "excused"
        record_attendance(session=session, by=mentor, statuses=statuses)


def _message(office, cohort):
    if GroupMessage.objects.filter(sender=office, title=MESSAGE_TITLE).exists():
        return
    send_group_message(
        sender=office,
        audience=GroupMessage.Audience.COHORT,
        cohort=cohort,
        title=MESSAGE_TITLE,
        text="下周二上午九点在梅林镇电商服务站上课，请带上手机和一件要寄出的商品。不能来的请提前告诉导师。",
    )


def _correction(office, person):
    if person is None or ChangeRecord.objects.filter(reason=CORRECTION_REASON).exists():
        return
    name = person.real_name or "学员"
    correct_profile(
        office=office,
        person=person,
        reason=CORRECTION_REASON,
        real_name=name if name.endswith("（已核对）") else f"{name}（已核对）",
        phone=person.phone,
        village=person.village,
        products=list(person.products.all()),
    )


def _office_checkin(office, person):
    if person is None or CheckIn.objects.filter(trainee=person, by_office=True).exists():
        return
    record_office_checkin(
        office=office,
        trainee=person,
        date=timezone.localdate() - timedelta(days=2),
        channel=CheckIn.Channel.PHONE,
        notes="县电商办回访：连续两次没来线下课，说是脐橙采摘太忙。约好下周二来上快递打包课。",
        next_steps="导师周一再打电话提醒一次。",
    )


def seed(home=None):
    office, mentor, trainee, cohort = _people()
    if not (office and mentor and cohort):
        return
    missed = _the_one_who_missed(mentor, cohort, trainee)
    _classes(office, mentor, cohort, missed)
    _message(office, cohort)
    _correction(office, missed)
    _office_checkin(office, missed)
