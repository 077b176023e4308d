"""A small county with one of everything, built once per test module, for the security tests.

Seven people (the personas of the security matrix) and the objects their pages are about:

- trainee A: in a cohort, enrolled in a course, a task submission with a private file, an
  application, a shop with a sales report, a certificate (with its PDF), a notification;
- trainee B: the same kinds of things of their own, so that "B asks for A's object" and "A asks
  for B's object" both exist;
- mentor of A (currently assigned, with a check-in and a graduation recommendation for A),
  another mentor (assigned to B), office staff, a superuser.

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


def build_world(*, payload: str = XSS) -> World:
    """Create the personas and their objects. Call inside a transaction that the caller rolls back."""
    from core import notifications
    from incubator.merchants.models import DashboardExport
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
    objects.update(recruit_index=recruit_index, campaign=campaign, cohort=cohort)

    for n, key in enumerate(("a", "b"), start=1):
        trainee = people[f"trainee_{key}"]
        objects[f"application_{key}"] = _application(campaign, trainee, village, payload)
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
    objects["certificate_a"] = _certificate(objects["profile_a"], people["office"], payload)
    from incubator.merchants.services.sales import add_evidence

    for key in ("a", "b"):
        photo = SimpleUploadedFile("screenshot.jpg", JPEG, content_type="image/jpeg")
        [objects[f"evidence_{key}"]] = add_evidence(
            report=objects[f"report_{key}"], files=[photo], by=people[f"trainee_{key}"]
        )
    export = DashboardExport(
        kind=DashboardExport.Kind.SALES_REPORTS,
        requested_by=people["office"],
        status=DashboardExport.Status.READY,
        row_count=1,
        finished_at=timezone.now(),
    )
    export.file.save("security-export.csv", ContentFile(f"shop,sales\n{payload},450\n".encode()), save=False)
    export.save()
    objects["export"] = export

    # Reference data of our admin listings, named with the probe too.
    from core.models import ProductCategory
    from courses.models import CourseCategory
    from incubator.merchants.models import Cooperative

    objects["product"] = ProductCategory.objects.create(slug="security-product", name=f"产品{payload}"[:100])
    objects["course_category"] = CourseCategory.objects.create(slug="security-category", name=f"类别{payload}"[:100])
    objects["cooperative"] = Cooperative.objects.create(
        name=f"合作社{payload}"[:120], township=village.township, member_households=10, poor_households=2
    )
    objects["shop_a"].products.add(objects["product"])
    course.category = objects["course_category"]
    course.save_revision().publish()
    return world
