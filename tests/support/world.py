"""A small county with one of everything, built once per test module, for the security tests.

Seven people (the personas of the security matrix) and the objects their pages are about:

- trainee A: in a cohort, enrolled in a course, a task submission with a private file, an
  application, a shop with a sales report, a certificate (with its PDF), a notification;
- trainee B: the same kinds of things of their own, so that "B asks for A's object" and "A asks
  for B's object" both exist;
- mentor of A (currently assigned, with a check-in and a graduation recommendation for A),
  another mentor (assigned to B), office staff, a superuser;
- one row of every model of ours the admin lists with a page per object (a village's household
  count, a text message sent, ...), so that every such page is opened by the matrix.

Every text a person can type is filled with `payload` (an XSS probe by default), so that any page
the matrix opens doubles as an escaping check.

Objects are made through the apps' services where those add the rows a page relies on
(submissions and their files, applications), and directly otherwise. The builder only uses the
names published in docs/CONTRACTS.md plus the models' fields.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from tests.factories import MentorFactory, OfficeFactory, TraineeFactory, UserFactory, VillageFactory
from tests.support.payloads import JPEG, XSS

PERSONAS = ("anonymous", "trainee_a", "trainee_b", "mentor_a", "mentor_other", "office", "superuser")


@dataclass
class World:
    payload: str
    people: dict = field(default_factory=dict)
    objects: dict = field(default_factory=dict)

    def __getattr__(self, name):
        # world.trainee_a, world.submission_a ... (people first, then objects)
        for bag in ("people", "objects"):
            values = self.__dict__.get(bag, {})
            if name in values:
                return values[name]
        raise AttributeError(name)

    def user(self, persona: str):
        return None if persona == "anonymous" else self.people[persona]


def _home():
    from incubator.demo import get_or_create_home

    return get_or_create_home()


def _publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page.specific_class.objects.get(pk=page.pk)


def _courses(home, payload):
    from courses.models import CourseIndexPage, CoursePage, LessonPage
    from courses.services import refresh_course_totals

    index = CourseIndexPage.objects.child_of(home).first() or _publish(
        home, CourseIndexPage(title="课程", slug="courses")
    )
    course = _publish(
        index,
        CoursePage(title="开网店入门", slug="security-course", summary=f"安全测试课程 {payload}", enrolment="open"),
    )
    lesson = _publish(
        course,
        LessonPage(
            title="拍出好照片",
            slug="photos",
            task_title="上传商品照片",
            task_instructions="<p>拍一张商品照片上传。</p>",
        ),
    )
    refresh_course_totals(course=course)
    course.refresh_from_db()
    return index, course, lesson


def _quiz_lesson(course, payload):
    from courses.models import LessonPage
    from tests.pages_factories import quiz_question

    return _publish(
        course,
        LessonPage(
            title="包装小测验",
            slug="quiz",
            quiz_max_attempts=1,
            quiz=[quiz_question(f"怎么包装 {payload}"[:200])],
        ),
    )


def _failed_quiz(user, lesson):
    from courses.services import submit_quiz

    answers = {q["key"]: [next(c["key"] for c in q["choices"] if not c["correct"])] for q in lesson.questions}
    return submit_quiz(user=user, lesson=lesson, answers=answers)


def _campaign(home, payload):
    from incubator.recruitment.models import RecruitmentCampaignPage, RecruitmentIndexPage

    index = RecruitmentIndexPage.objects.child_of(home).first() or _publish(
        home, RecruitmentIndexPage(title="招募活动", slug="recruit")
    )
    now = timezone.now()
    campaign = _publish(
        index,
        RecruitmentCampaignPage(
            title="村级电商带头人招募",
            slug="security-campaign",
            intro="安全测试",
            opens_at=now - datetime.timedelta(days=5),
            closes_at=now + datetime.timedelta(days=30),
            quota=50,
        ),
    )
    return index, campaign


def _application(campaign, applicant, village, payload):
    from incubator.recruitment.services.applying import ApplicantFacts, submit_application

    facts = ApplicantFacts(
        real_name=applicant.real_name,
        phone=applicant.phone or "+8613800138000",
        village=village,
        products_note=payload[:100],
    )
    return submit_application(campaign=campaign, applicant=applicant, facts=facts)


def _draft(campaign, applicant, payload):
    from incubator.recruitment.models import ApplicationDraft

    return ApplicationDraft.objects.create(campaign=campaign, applicant=applicant, data={"products_note": [payload]})


def _submission(user, lesson, payload):
    from courses.services import enroll, submit_task

    enroll(user=user, course=lesson.get_parent().specific, source="cohort")
    photo = SimpleUploadedFile("photo.jpg", JPEG, content_type="image/jpeg")
    submission = submit_task(user=user, lesson=lesson, text=payload, files=[photo])
    return submission, submission.files.get()


def _shop(owner, payload, n):
    from incubator.merchants.models import SalesReport, Shop

    shop = Shop.objects.create(
        owner=owner,
        platform=Shop.Platform.TAOBAO,
        name=f"小店{n}{payload}"[:120],
        url=f"https://shop-{n}.example.com/",
        opened_on=datetime.date(2024, 1, 1),
        products_note=payload[:200],
        in_directory=True,
    )
    today = timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    report = SalesReport.objects.create(
        shop=shop, month=month, orders=3, sales=Decimal("450.00"), products_sold=payload[:200], submitted_by=owner
    )
    return shop, report


def _order_export(report, owner, payload):
    """An order export the owner uploaded for the report, with the probe in a buyer's note (as
    `read_table` would read it back: a Taobao export in UTF-8)."""
    import hashlib

    from incubator.merchants.models import OrderExportUpload

    quoted = payload.replace('"', '""')
    raw = (
        "订单编号,订单创建时间,买家留言,买家实际支付金额,订单状态\n"
        f'100001,{report.month:%Y-%m}-03 09:15:00,"{quoted}",150.00,交易成功\n'
    ).encode()
    stored = OrderExportUpload(
        shop=report.shop,
        report=report,
        original_name=f"订单{payload}"[:200],
        extension="csv",
        sha256=hashlib.sha256(raw).hexdigest(),
        rows_read=1,
        orders_added=1,
        uploaded_by=owner,
    )
    stored.file.save("orders.csv", ContentFile(raw), save=False)
    stored.save()
    return stored


def _certificate(profile, office, payload):
    from incubator.merchants.models import Certificate
    from incubator.merchants.services.graduation import make_certificate_pdf

    certificate = Certificate.objects.create(
        holder=profile.user,
        cohort=profile.cohort,
        holder_name=profile.user.real_name,
        cohort_name=profile.cohort.name,
        course_titles=["开网店入门"],
        issued_on=timezone.localdate(),
        issued_by=office,
    )
    make_certificate_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    return certificate


def _outreach(world, payload):
    """A class run by A's mentor for the cohort (A present, B absent), a message from the office to
    the cohort and one from A's mentor, through the outreach services."""
    from incubator.outreach.models import ClassSession
    from incubator.outreach.services.classes import record_attendance
    from incubator.outreach.services.group_messages import send_group_message

    people, objects = world.people, world.objects
    session = ClassSession.objects.create(
        cohort=objects["cohort"],
        date=timezone.localdate(),
        place=f"村委会{payload}"[:200],
        topic=f"拍照{payload}"[:200],
        led_by=people["mentor_a"],
    )
    record_attendance(
        session=session,
        by=people["mentor_a"],
        statuses={people["trainee_a"].pk: "present", people["trainee_b"].pk: "absent"},
    )
    objects["class_session"] = session
    objects["office_message"] = send_group_message(
        sender=people["office"], audience="cohort", cohort=objects["cohort"], title=f"通知{payload}"[:100], text=payload
    )
    objects["mentor_message"] = send_group_message(
        sender=people["mentor_a"], audience="cohort", cohort=objects["cohort"], title="上课", text=payload
    )


def build_world(*, payload: str = XSS) -> World:
    """Create the personas and their objects. Call inside a transaction that the caller rolls back."""
    from core import notifications
    from core.models import Export
    from incubator.recruitment.models import Cohort, TraineeProfile
    from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile

    world = World(payload=payload)
    village = VillageFactory()
    people = world.people
    people["trainee_a"] = TraineeFactory(real_name=f"甲{payload}"[:60], phone="+8613900000001", village=village)
    people["trainee_b"] = TraineeFactory(real_name=f"乙{payload}"[:60], phone="+8613900000002", village=village)
    people["mentor_a"] = MentorFactory(real_name=f"导师甲{payload}"[:60])
    people["mentor_other"] = MentorFactory(real_name="导师乙")
    people["office"] = OfficeFactory(real_name="县电商办")
    people["superuser"] = UserFactory(real_name="管理员", is_staff=True, is_superuser=True)

    home = _home()
    from incubator.models import ContentPage

    about = ContentPage.objects.child_of(home).first() or _publish(
        home, ContentPage(title="关于孵化计划", slug="about", intro=f"关于 {payload}")
    )
    course_index, course, lesson = _courses(home, payload)
    recruit_index, campaign = _campaign(home, payload)
    cohort = Cohort.objects.create(
        campaign=campaign,
        name=f"第一期{payload}"[:100],
        starts_on=timezone.localdate() - datetime.timedelta(days=30),
        ends_on=timezone.localdate() + datetime.timedelta(days=60),
        requires_shop=False,
    )
    cohort.required_courses.set([course])

    objects = world.objects
    objects.update(home=home, about=about, course_index=course_index, course=course, lesson=lesson)
    objects["quiz_lesson"] = _quiz_lesson(course, payload)
    objects.update(recruit_index=recruit_index, campaign=campaign, cohort=cohort)

    for n, key in enumerate(("a", "b"), start=1):
        trainee = people[f"trainee_{key}"]
        objects[f"application_{key}"] = _application(campaign, trainee, village, payload)
        objects[f"draft_{key}"] = _draft(campaign, trainee, payload)
        # Applying may already have made the profile (an applicant): make them a trainee of the cohort.
        objects[f"profile_{key}"], _created = TraineeProfile.objects.update_or_create(
            user=trainee,
            defaults={
                "cohort": cohort,
                "stage": TraineeProfile.Stage.TRAINEE,
                "village": village,
                "stage_changed_at": timezone.now(),
            },
        )
        objects[f"submission_{key}"], objects[f"file_{key}"] = _submission(trainee, lesson, payload)
        # Every attempt at the quiz used: their mentor or the office may give more.
        objects[f"attempt_{key}"] = _failed_quiz(trainee, objects["quiz_lesson"])
        objects[f"shop_{key}"], objects[f"report_{key}"] = _shop(trainee, payload, n)
        objects[f"notification_{key}"] = notifications.notify(
            recipient=trainee, kind="security", title=f"通知{payload}"[:200], body=payload
        )

    for mentor in (people["mentor_a"], people["mentor_other"]):
        MentorProfile.objects.create(user=mentor, capacity=10, is_active=True, bio=payload)
    MentorAssignment.objects.create(mentor=people["mentor_a"], trainee=people["trainee_a"], reason=payload[:300])
    MentorAssignment.objects.create(mentor=people["mentor_other"], trainee=people["trainee_b"])
    objects["checkin_a"] = CheckIn.objects.create(
        mentor=people["mentor_a"], trainee=people["trainee_a"], notes=payload, next_steps=payload
    )
    objects["recommendation_a"] = GraduationRecommendation.objects.create(
        trainee=people["trainee_a"], mentor=people["mentor_a"], note=payload
    )
    objects["recommendation_b"] = GraduationRecommendation.objects.create(
        trainee=people["trainee_b"], mentor=people["mentor_other"], note="可以结业"
    )
    _outreach(world, payload)
    objects["certificate_a"] = _certificate(objects["profile_a"], people["office"], payload)
    from incubator.merchants.services.sales import add_evidence

    for key in ("a", "b"):
        photo = SimpleUploadedFile("screenshot.jpg", JPEG, content_type="image/jpeg")
        [objects[f"evidence_{key}"]] = add_evidence(
            report=objects[f"report_{key}"], files=[photo], by=people[f"trainee_{key}"]
        )
    for key in ("a", "b"):
        objects[f"order_export_{key}"] = _order_export(objects[f"report_{key}"], people[f"trainee_{key}"], payload)
    export = Export(
        table="sales_reports",
        requested_by=people["office"],
        status=Export.Status.READY,
        total=1,
        written=1,
        finished_at=timezone.now(),
    )
    export.file.save("security-export.csv", ContentFile(f"shop,sales\n{payload},450\n".encode()), save=False)
    export.save()
    objects["export"] = export
    # A text message the platform sent (the office's log of them), its text and error with the probe.
    from core.models import SMSMessage

    objects["sms_message"] = SMSMessage.objects.create(
        phone="13900000000",
        template_key="security-probe",
        params={"name": payload},
        text=f"短信{payload}"[:400],
        backend="console",
        status=SMSMessage.Status.FAILED,
        outcome=SMSMessage.Outcome.ERROR,
        error_message=payload[:300],
    )

    # Reference data of our admin listings, named with the probe too.
    from core.models import ProductCategory
    from courses.models import CourseCategory
    from incubator.merchants.models import Cooperative

    objects["product"] = ProductCategory.objects.create(slug="security-product", name=f"产品{payload}"[:100])
    objects["course_category"] = CourseCategory.objects.create(slug="security-category", name=f"类别{payload}"[:100])
    objects["cooperative"] = Cooperative.objects.create(name=f"合作社{payload}"[:120], township=village.township)
    _cooperatives(world, village, payload)
    objects["shop_a"].products.add(objects["product"])
    course.category = objects["course_category"]
    course.save_revision().publish()
    objects.update(_villages_and_pavilion(world, home, village, payload))
    objects.update(_messages_delivered(world, payload))
    return world


# --- issue 19: the group message delivered (its notifications and a text message on record) ----


def _messages_delivered(world, payload):
    """The office's group message fanned out (a notification per trainee of the cohort, so its
    page shows delivered and pending counts), and trainee A's notification sent as a text message
    through the SMS pipeline: an `SMSMessage` row (with the payload in its text) for the office's
    SMS log in the admin. The world is built in a transaction that is rolled back, so the
    on-commit tasks never run: the steps are taken here, as the worker would."""
    from core.sms import send_sms
    from incubator.outreach.models import GroupMessageRecipient
    from incubator.outreach.services.group_messages import fan_out

    people, objects = world.people, world.objects
    fan_out(message_id=objects["office_message"].pk)
    notification = GroupMessageRecipient.objects.get(
        message=objects["office_message"], recipient=people["trainee_a"]
    ).notification
    sms = send_sms(people["trainee_a"].phone, "notice", notification=notification, title=notification.title)
    return {"group_notification_a": notification, "sms_a": sms}


def _villages_and_pavilion(world, home, village, payload):
    """A's village station and sales campaign (A's shop takes part), the pavilion with a product,
    and a proposal of A's."""
    from incubator.pavilion.models import PavilionIndexPage, PavilionProductPage, ProductProposal
    from incubator.villages.models import CampaignDayFigure, SalesCampaign, Station, VillageHouseholds

    people, objects = world.people, world.objects
    today = timezone.localdate()
    station = Station.objects.create(village=village, partner=people["trainee_a"], opened_on=today)
    # The households of A's village (the Taobao-village share), kept by the office in the admin.
    village_households = VillageHouseholds.objects.create(village=village, households=120, counted_on=today)
    sales_campaign = SalesCampaign.objects.create(
        name=f"脐橙节{payload}"[:120], starts_on=today - datetime.timedelta(days=1), ends_on=today, target_quantity=100
    )
    sales_campaign.shops.set([objects["shop_a"]])
    figure = CampaignDayFigure.objects.create(
        campaign=sales_campaign, shop=objects["shop_a"], day=today, orders=1, quantity=10, sales=Decimal("50")
    )
    index = PavilionIndexPage.objects.child_of(home).first() or _publish(
        home, PavilionIndexPage(title="特色馆", slug="pavilion", intro=f"特色{payload}")
    )
    pavilion_product = _publish(
        index,
        PavilionProductPage(
            title=f"脐橙{payload}"[:200], slug="security-orange", category=objects["product"], story=payload
        ),
    )
    proposal = ProductProposal.objects.create(
        proposer=people["trainee_a"], name=f"蜂蜜{payload}"[:120], category=objects["product"], story=payload
    )
    return {
        "station_a": station,
        "village_households": village_households,
        "sales_campaign": sales_campaign,
        "campaign_figure": figure,
        "pavilion": index,
        "pavilion_product": pavilion_product,
        "proposal": proposal,
    }


def _cooperatives(world, village, payload):
    """Trainee A leads the world's cooperative, with one registered poor member household (its
    head named with the payload) and one purchase from it; trainee B leads another cooperative
    with a household of its own."""
    from incubator.cooperatives.models import Household, Membership, Purchase
    from incubator.merchants.models import Cooperative

    objects, people = world.objects, world.people
    joined = datetime.date(2025, 1, 1)
    cooperative = objects["cooperative"]
    cooperative.leader = people["trainee_a"]
    cooperative.save()
    objects["cooperative_a"] = cooperative
    objects["cooperative_b"] = Cooperative.objects.create(
        name=f"乙合作社{payload}"[:120], township=village.township, leader=people["trainee_b"]
    )
    for key in ("a", "b"):
        household = Household.objects.create(
            head_name=f"户主{key}{payload}"[:60],
            village=village,
            is_registered_poor=True,
            phone="13900000000",
            id_card_masked="**************1234",
        )
        own = objects[f"cooperative_{key}"]
        objects[f"household_{key}"] = household
        objects[f"membership_{key}"] = Membership.objects.create(cooperative=own, household=household, joined_on=joined)
        objects[f"purchase_{key}"] = Purchase.objects.create(
            cooperative=own,
            household=household,
            product=f"鸡蛋{payload}"[:120],
            quantity=Decimal("10"),
            unit="kg",
            amount=Decimal("160.00"),
            bought_on=timezone.localdate(),
        )
