"""Seed a PostgreSQL database at the county's three-year scale, a fraction or a multiple of it.

    DATABASE_URL=postgres://.../incubator_bench python -m bench.seed --scale 1

Pages (home, catalogue, 30 courses of 8 lessons with quizzes and tasks, campaigns, the specialty
pavilion with 30 products) go through Wagtail's page API, as the office would create them;
everything else (people, cohorts, applications, enrolments, progress, quiz attempts, submissions,
mentors, certificates, shops, sales reports, cooperatives' households and ledgers, village
stations, sales campaigns, pavilion proposals) is written with COPY in one transaction, its
foreign keys checked once at the end (bench/copy.py). Run it on a freshly migrated database.
Scale 10 (`make bench`'s province) writes 5.6 million lesson-progress rows and 1.8 million sales
reports; the places (30 townships, 60 villages) are the county's at every scale.
"""

import argparse
import datetime
import json
import os
import random
import sys
import time
from collections import defaultdict
from decimal import Decimal

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "incubator.settings.production")
os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # a measuring tool: links go nowhere
django.setup()

from allauth.mfa.models import Authenticator  # noqa: E402
from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402

from django.contrib.auth.hashers import make_password  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.copy import check_foreign_keys, copy_rows, foreign_keys_unchecked, next_id, reset_sequences  # noqa: E402
from incubator.merchants import tallies  # noqa: E402
from incubator.merchants.models import CategoryMonthSales, VillageMonthSales  # noqa: E402

# Full scale: the county's three-year target.
FULL = {
    "trainees": 5000,
    "mentors": 60,
    "cohorts": 200,
    "shops": 5000,
    "extra_applicants": 2000,
    "households": 6000,  # the cooperatives' member households (a third of them registered poor)
    "proposals": 100,  # merchants' proposals of a product for the pavilion
}
# The scales of `make bench`: a tenth of the county, the county, and ten counties' worth (the
# people and their rows ten times over, in the same county's 30 townships and 60 villages).
SCALES = {"small": 0.1, "full": 1.0, "province": 10.0}
COURSES = 30
LESSONS_PER_COURSE = 8
CAMPAIGNS = 10
ENROLLMENTS_PER_TRAINEE = 15  # x 8 lessons = 120 progress rows each: 600,000 at full scale
QUIZ_ATTEMPTS_PER_TRAINEE = 4  # 20,000
SUBMISSIONS_PER_TRAINEE = 2  # 10,000
SALES_MONTHS = 36
CHECKINS_PER_TRAINEE = 3
PURCHASES_PER_HOUSEHOLD = 6  # produce bought back, twice a year
INPUTS_PER_HOUSEHOLD = 2
STATION_DAYS = 365  # a year of daily logs for each village's station (one per village, at every scale)
SALES_CAMPAIGNS = 3  # one festival a year, ten days each
CAMPAIGN_DAYS = 10
CAMPAIGN_SHOP_SHARE = 10  # every tenth shop takes part
NOTIFICATIONS_PER_TRAINEE = 5
CURRENT_SHARE = 0.15  # the most recent cohorts are still in training
BENCH_PASSWORD = "incubator-demo"  # noqa: S105 (benchmark data only)
OFFICE_EMAIL = "office@bench.local"

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = "小春秋冬梅兰竹菊红华明亮强军勇刚建国家伟芳丽娟燕玲静敏秀英玉珍桂兰凤霞云海波涛峰山林森志光荣福贵德才宝"

PLATFORMS = ["taobao", "pinduoduo", "douyin", "jd", "wechat", "tmall"]


def log(message: str) -> None:
    print(f"[seed {time.strftime('%H:%M:%S')}] {message}", flush=True)


def chinese_name(n: int) -> str:
    return SURNAMES[n % len(SURNAMES)] + GIVEN[(n // 7) % len(GIVEN)] + GIVEN[(n // 53) % len(GIVEN)]


def month_add(day: datetime.date, months: int) -> datetime.date:
    total = day.year * 12 + day.month - 1 + months
    return datetime.date(total // 12, total % 12 + 1, 1)


# --- pages, through Wagtail --------------------------------------------------------------------


def seed_pages():
    from core import demo as core_demo
    from courses.demo_content import CATEGORIES
    from courses.demo_content import COURSES as SPECS
    from courses.models import CourseCategory, CourseIndexPage, CoursePage, LessonPage
    from incubator import demo as site_demo
    from incubator.pavilion import demo as pavilion_demo
    from incubator.recruitment import demo as recruitment_demo
    from incubator.recruitment.models import RecruitmentCampaignPage

    core_demo.seed_places()
    home = site_demo.seed_site()
    categories = {}
    for order, (slug, name, name_en) in enumerate(CATEGORIES):
        categories[slug], _ = CourseCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="课程", slug="courses", intro="用手机学开网店：开店、拍照、包装、客服、直播和促销。"
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for number in range(COURSES):
        spec = SPECS[number % len(SPECS)]
        slug = f"{spec['slug']}-{number + 1}"
        course = CoursePage.objects.child_of(index).filter(slug=slug).first()
        if course is None:
            course = CoursePage(
                title=f"{spec['title']}（{number // len(SPECS) + 1}）",
                slug=slug,
                title_en=spec["title_en"],
                summary=spec["summary"],
                summary_en=spec["summary_en"],
                category=categories[spec["category"]],
                level=spec["level"],
                enrolment="open" if number % 3 else "cohort",
                objectives=spec["objectives"],
                prerequisites=spec["prerequisites"],
            )
            index.add_child(instance=course)
            course.save_revision().publish()
        for position in range(LESSONS_PER_COURSE):
            lesson_spec = spec["lessons"][position % len(spec["lessons"])]
            lesson_slug = f"{lesson_spec['slug']}-{position + 1}"
            if LessonPage.objects.child_of(course).filter(slug=lesson_slug).exists():
                continue
            # Every lesson has a quiz; every fourth one a practical task.
            quiz = lesson_spec.get("quiz") or SPECS[0]["lessons"][0]["quiz"]
            task = lesson_spec.get("task") or (
                ("拍一张商品主图", "<p>按课上的方法拍一张主图，上传照片。</p>", False, 1) if position % 4 == 3 else None
            )
            lesson = LessonPage(
                title=f"{position + 1}. {lesson_spec['title']}",
                slug=lesson_slug,
                title_en=lesson_spec["title_en"],
                summary=lesson_spec.get("summary", ""),
                estimated_minutes=lesson_spec["minutes"],
                body=lesson_spec["body"],
                quiz=[
                    (
                        "question",
                        {
                            "text": question,
                            "multiple": multiple,
                            "choices": [{"text": answer, "correct": right} for answer, right in choices],
                            "explanation": explanation,
                        },
                    )
                    for question, multiple, choices, explanation in quiz
                ],
                quiz_pass_percent=lesson_spec.get("pass", 80),
                task_title=task[0] if task else "",
                task_instructions=task[1] if task else "",
                task_wants_link=task[2] if task else False,
                task_min_files=task[3] if task else 0,
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()

    # The specialty pavilion: its index and thirty product pages with a drawn photo each.
    pavilion_demo.seed(home)
    recruit = recruitment_demo._index(home)
    now = timezone.now()
    campaigns = []
    for number in range(CAMPAIGNS):
        is_open = number == CAMPAIGNS - 1
        opens = now - datetime.timedelta(days=10) if is_open else now - datetime.timedelta(days=1095 - number * 110)
        campaigns.append(
            recruitment_demo._campaign(
                recruit,
                slug=f"campaign-{number + 1}",
                title=f"第{number + 1}期网商孵化计划：招募网店学员",
                kind=RecruitmentCampaignPage.Kind.ONLINE_MERCHANT,
                intro="想把自家的脐橙、腊肉、蜂蜜卖到全国？报名参加网商孵化培训。",
                body=[
                    {"type": "paragraph", "value": "<p>培训为期八周，手机上学、每周一次线下实操，结业颁发证书。</p>"}
                ],
                eligibility="<p>本县居民，有产品或货源，每周能学习3小时以上。</p>",
                quota=5000,
                opens_at=opens,
                closes_at=now + datetime.timedelta(days=30) if is_open else opens + datetime.timedelta(days=42),
                thank_you_text="<p>谢谢报名！</p>",
            )
        )
    return home, campaigns


# --- rows, through COPY ------------------------------------------------------------------------


def seed_rows(scale: float, campaigns) -> dict:  # noqa: C901 (one linear script)
    from core import roles
    from core.models import Notification, ProductCategory, Township, User, Village
    from courses.models import CoursePage, Enrollment, LessonPage, LessonProgress, QuizAttempt, TaskSubmission
    from courses.models.progress import SubmissionEvent
    from incubator.merchants.models import Certificate, Cooperative, SalesReport, Shop
    from incubator.merchants.models.certificates import new_certificate_code
    from incubator.recruitment.models import Application, Cohort, StageChange, TraineeProfile
    from mentors.models import CheckIn, GraduationRecommendation, MentorAssignment, MentorProfile

    rng = random.Random(7)
    sizes = {key: max(1, round(value * scale)) for key, value in FULL.items()}
    now = timezone.now()
    today = timezone.localdate()
    password = make_password(BENCH_PASSWORD)
    villages = list(Village.objects.select_related("township").order_by("code"))
    townships = list(Township.objects.order_by("code"))
    products = list(ProductCategory.objects.order_by("slug"))
    courses = list(CoursePage.objects.live().order_by("path"))
    lessons_by_course = {course.pk: [] for course in courses}
    for lesson in LessonPage.objects.live().order_by("path").only("id", "path", "task_instructions"):
        parent = next(c for c in courses if lesson.path.startswith(c.path))
        lessons_by_course[parent.pk].append(lesson)
    task_lessons = {cid: [lesson for lesson in ls if lesson.has_task] for cid, ls in lessons_by_course.items()}
    groups = {name: Group.objects.get(name=name).pk for name in roles.ALL_ROLES}
    counts = {}
    clock = time.monotonic()

    def lap(what):
        nonlocal clock
        log(f"{what}: {time.monotonic() - clock:.1f} s")
        clock = time.monotonic()

    # People: the office, mentors, trainees, and applicants who never got in.
    office = User.objects.filter(email=OFFICE_EMAIL).first()
    if office is None:
        office = User.objects.create(
            username="office-bench", email=OFFICE_EMAIL, real_name="周文静", is_staff=True, password=password
        )
        roles.add_role(office, roles.OFFICE)
    if not Authenticator.objects.filter(user=office).exists():
        # Production requires the office's second factor (STAFF_MFA_REQUIRED): without one every
        # admin page would answer with a redirect to set it up.
        TOTP.activate(office, generate_totp_secret())
    user_id = next_id(User)
    mentor_ids = list(range(user_id, user_id + sizes["mentors"]))
    trainee_ids = list(range(mentor_ids[-1] + 1, mentor_ids[-1] + 1 + sizes["trainees"]))
    applicant_ids = list(range(trainee_ids[-1] + 1, trainee_ids[-1] + 1 + sizes["extra_applicants"]))
    joined = now - datetime.timedelta(days=1100)

    def user_rows():
        for n, pk in enumerate(mentor_ids + trainee_ids + applicant_ids):
            kind = "m" if pk in mentor_set else ("t" if pk in trainee_set else "a")
            yield (
                pk,
                password,
                False,
                f"{kind}{pk}",
                "",
                "",
                f"{kind}{pk}@bench.local",
                False,
                True,
                joined,
                chinese_name(pk),
                f"+86139{pk:08d}",
                True,
                "zh-hans",
                villages[n % len(villages)].pk,
            )

    mentor_set, trainee_set = set(mentor_ids), set(trainee_ids)
    user_fields = ["id", "password", "is_superuser", "username", "first_name", "last_name", "email", "is_staff"]
    user_fields += ["is_active", "date_joined", "real_name", "phone", "phone_verified", "preferred_language", "village"]
    counts["users"] = copy_rows(User, user_fields, user_rows())
    through = User.groups.through
    counts["user groups"] = copy_rows(
        through,
        ["user", "group"],
        [(pk, groups[roles.MENTOR]) for pk in mentor_ids] + [(pk, groups[roles.TRAINEE]) for pk in trainee_ids],
    )
    village_of = {pk: villages[n % len(villages)] for n, pk in enumerate(mentor_ids + trainee_ids + applicant_ids)}

    lap("people")
    # Mentors: each serves two townships and knows two products.
    profile_id = next_id(MentorProfile)
    mentor_profiles = list(range(profile_id, profile_id + len(mentor_ids)))
    copy_rows(
        MentorProfile,
        ["id", "user", "bio", "capacity", "is_active", "wechat", "contact_note", "created_at"],
        [
            (pid, uid, "十年网店经验，擅长农产品拍图和直播。", 30, True, "", "", joined)
            for pid, uid in zip(mentor_profiles, mentor_ids, strict=True)
        ],
    )
    copy_rows(
        MentorProfile.townships.through,
        ["mentorprofile", "township"],
        [(pid, townships[(n + k * 15) % len(townships)].pk) for n, pid in enumerate(mentor_profiles) for k in range(2)],
    )
    copy_rows(
        MentorProfile.expertise.through,
        ["mentorprofile", "productcategory"],
        [(pid, products[(n + k) % len(products)].pk) for n, pid in enumerate(mentor_profiles) for k in range(2)],
    )
    counts["mentors"] = len(mentor_ids)

    lap("mentors")
    # Cohorts across three years; the last ones still running.
    cohort_count = sizes["cohorts"]
    duration = 120
    span = 1095 - duration
    cohort_id = next_id(Cohort)
    cohorts = []
    for k in range(cohort_count):
        offset = round(k * span / (cohort_count - 1)) if cohort_count > 1 else span
        starts = today - datetime.timedelta(days=1095 - offset)
        campaign = campaigns[min(k * (len(campaigns) - 1) // cohort_count, len(campaigns) - 2)]
        cohorts.append(
            {
                "id": cohort_id + k,
                "campaign": campaign.pk,
                "name": f"第{k + 1}期培训班",
                "starts": starts,
                "ends": starts + datetime.timedelta(days=duration),
                "required": [courses[(k + j) % len(courses)].pk for j in range(3)],
            }
        )
    copy_rows(
        Cohort,
        ["id", "campaign", "name", "starts_on", "ends_on", "requires_shop", "created_at"],
        [(c["id"], c["campaign"], c["name"], c["starts"], c["ends"], True, now) for c in cohorts],
    )
    copy_rows(
        Cohort.required_courses.through,
        ["cohort", "coursepage"],
        [(c["id"], course_id) for c in cohorts for course_id in c["required"]],
    )
    counts["cohorts"] = cohort_count

    lap("cohorts")
    # Trainees: cohort, stage, application, profile, history.
    per_cohort = len(trainee_ids) / cohort_count
    current_from = round(cohort_count * (1 - CURRENT_SHARE))
    trainees = []
    for n, uid in enumerate(trainee_ids):
        cohort = cohorts[min(int(n / per_cohort), cohort_count - 1)]
        k = cohort["id"] - cohort_id
        if k >= current_from or cohort["ends"] > today:
            stage = "trainee"
        else:
            stage = ["merchant"] * 15 + ["graduate"] * 2 + ["dormant"] * 3
            stage = stage[n % len(stage)]
        trainees.append({"uid": uid, "n": n, "cohort": cohort, "stage": stage, "village": village_of[uid]})
    graduated = [t for t in trainees if t["stage"] != "trainee"]

    application_id = next_id(Application)
    app_fields = ["id", "campaign", "applicant", "status", "real_name", "phone", "village", "products_note"]
    app_fields += ["online_experience", "has_smartphone", "poor_household", "answers"]
    app_fields += ["submitted_at", "updated_at", "status_changed_at"]

    def application_rows():
        for offset, t in enumerate(trainees):
            t["application"] = application_id + offset
            submitted = datetime.datetime.combine(t["cohort"]["starts"], datetime.time(9), tzinfo=datetime.UTC)
            submitted -= datetime.timedelta(days=20)
            yield (
                t["application"],
                t["cohort"]["campaign"],
                t["uid"],
                "accepted",
                chinese_name(t["uid"]),
                f"+86139{t['uid']:08d}",
                t["village"].pk,
                "",
                "none",
                True,
                t["n"] % 7 == 0,
                "{}",
                submitted,
                submitted,
                submitted + datetime.timedelta(days=10),
            )
        statuses = ["submitted", "shortlisted", "interview", "waitlisted", "rejected", "withdrawn"]
        for offset, uid in enumerate(applicant_ids):
            campaign = campaigns[-1] if offset % 2 == 0 else campaigns[offset % (len(campaigns) - 1)]
            submitted = now - datetime.timedelta(days=offset % 9, minutes=offset)
            yield (
                application_id + len(trainees) + offset,
                campaign.pk,
                uid,
                statuses[offset % len(statuses)],
                chinese_name(uid),
                f"+86139{uid:08d}",
                village_of[uid].pk,
                "",
                "some",
                True,
                offset % 5 == 0,
                "{}",
                submitted,
                submitted,
                None,
            )

    counts["applications"] = copy_rows(Application, app_fields, application_rows())
    copy_rows(
        Application.products.through,
        ["application", "productcategory"],
        [(t["application"], products[t["n"] % len(products)].pk) for t in trainees],
    )

    profile_id = next_id(TraineeProfile)
    for offset, t in enumerate(trainees):
        t["profile"] = profile_id + offset
    copy_rows(
        TraineeProfile,
        ["id", "user", "cohort", "application", "stage", "village", "poor_household", "stage_changed_at", "created_at"],
        [
            (
                t["profile"],
                t["uid"],
                t["cohort"]["id"],
                t["application"],
                t["stage"],
                t["village"].pk,
                t["n"] % 7 == 0,
                datetime.datetime.combine(t["cohort"]["ends"], datetime.time(10), tzinfo=datetime.UTC),
                datetime.datetime.combine(t["cohort"]["starts"], datetime.time(9), tzinfo=datetime.UTC),
            )
            for t in trainees
        ],
    )
    counts["trainee profiles"] = len(trainees)
    copy_rows(
        TraineeProfile.products.through,
        ["traineeprofile", "productcategory"],
        [(t["profile"], products[t["n"] % len(products)].pk) for t in trainees],
    )

    def stage_rows():
        for t in trainees:
            start = datetime.datetime.combine(t["cohort"]["starts"], datetime.time(9), tzinfo=datetime.UTC)
            end = datetime.datetime.combine(t["cohort"]["ends"], datetime.time(10), tzinfo=datetime.UTC)
            yield (t["profile"], "applicant", "trainee", office.pk, "", start)
            if t["stage"] != "trainee":
                yield (t["profile"], "trainee", "graduate", office.pk, "", end)
            if t["stage"] in ("merchant", "dormant"):
                yield (t["profile"], "graduate", "merchant", None, "", end + datetime.timedelta(days=20))
            if t["stage"] == "dormant":
                yield (t["profile"], "merchant", "dormant", None, "", end + datetime.timedelta(days=200))

    counts["stage changes"] = copy_rows(
        StageChange, ["profile", "from_stage", "to_stage", "by", "note", "created_at"], stage_rows()
    )

    lap("applications, trainee profiles, stage history")
    # Mentors: one assignment per trainee (open while in training), check-ins, recommendations.
    mentors_by_township = {}
    for n, uid in enumerate(mentor_ids):
        for k in range(2):
            mentors_by_township.setdefault(townships[(n + k * 15) % len(townships)].pk, []).append(uid)
    # In turns among the township's mentors, so every mentor has about the same number of
    # trainees at every scale (taking t["n"] modulo their number gave a village's trainees to
    # the same few: at province scale a mentor had five times the average).
    turns = defaultdict(int)
    for t in trainees:
        township_id = t["village"].township_id
        choices = mentors_by_township.get(township_id) or mentor_ids
        t["mentor"] = choices[turns[township_id] % len(choices)]
        turns[township_id] += 1

    def assignment_rows():
        for t in trainees:
            started = datetime.datetime.combine(t["cohort"]["starts"], datetime.time(12), tzinfo=datetime.UTC)
            ended = None if t["stage"] == "trainee" else started + datetime.timedelta(days=duration + 30)
            yield (t["mentor"], t["uid"], started, ended, office.pk, "按乡镇自动分配", "已结业" if ended else "")

    counts["mentor assignments"] = copy_rows(
        MentorAssignment,
        ["mentor", "trainee", "started_at", "ended_at", "assigned_by", "reason", "end_reason"],
        assignment_rows(),
    )
    channels = ["visit", "phone", "wechat", "group_class"]

    def checkin_rows():
        for t in trainees:
            for k in range(CHECKINS_PER_TRAINEE):
                day = t["cohort"]["starts"] + datetime.timedelta(days=10 + k * 25)
                day = min(day, today)
                yield (
                    t["mentor"],
                    t["uid"],
                    day,
                    channels[(t["n"] + k) % 4],
                    "聊了店铺上新和主图。",
                    "下周上架两款新品。",
                    datetime.datetime.combine(day, datetime.time(18), tzinfo=datetime.UTC),
                )

    counts["check-ins"] = copy_rows(
        CheckIn, ["mentor", "trainee", "date", "channel", "notes", "next_steps", "created_at"], checkin_rows()
    )
    counts["recommendations"] = copy_rows(
        GraduationRecommendation,
        ["trainee", "mentor", "note", "created_at", "withdraw_reason"],
        [
            (
                t["uid"],
                t["mentor"],
                "课程和实操都已完成，店铺已开张。",
                datetime.datetime.combine(t["cohort"]["ends"], datetime.time(8), tzinfo=datetime.UTC),
                "",
            )
            for t in trainees
            if t["stage"] != "trainee" or t["n"] % 10 == 0
        ],
    )

    lap("mentor assignments, check-ins, recommendations")
    # Learning: enrolments, lesson progress, quiz attempts, submissions. The lesson progress (120
    # rows a trainee: 5.6 million at province scale) streams into COPY as it is made; the other
    # three tables are filled on the way and written after it (deferred foreign keys).
    enrollment_rows, attempt_rows, submission_rows = [], [], []

    def progress_rows():
        for t in trainees:
            uid, start = (
                t["uid"],
                datetime.datetime.combine(t["cohort"]["starts"], datetime.time(20), tzinfo=datetime.UTC),
            )
            required = t["cohort"]["required"]
            others = [c.pk for c in courses if c.pk not in required]
            rng.shuffle(others)
            enrolled = required + others[: ENROLLMENTS_PER_TRAINEE - len(required)]
            quiz_done = submissions_done = 0
            for position, course_id in enumerate(enrolled):
                lessons = lessons_by_course[course_id]
                if t["stage"] == "trainee":
                    done = (t["n"] + position * 3) % (len(lessons) + 1)
                    opened = min(len(lessons), done + 1)
                else:
                    done = opened = len(lessons)
                when = start + datetime.timedelta(days=position * 5)
                last = None
                for index, lesson in enumerate(lessons[:opened]):
                    at = when + datetime.timedelta(hours=index * 6)
                    last = (lesson.pk, at)
                    yield (uid, lesson.pk, course_id, at, at + datetime.timedelta(minutes=20) if index < done else None)
                    if quiz_done < QUIZ_ATTEMPTS_PER_TRAINEE and index < done:
                        # A failed attempt, then a pass.
                        attempt_rows.append((uid, lesson.pk, 1, 33, 1, 3, False, at))
                        attempt_rows.append((uid, lesson.pk, 2, 100, 3, 3, True, at + datetime.timedelta(minutes=5)))
                        quiz_done += 2
                for lesson in task_lessons[course_id]:
                    if submissions_done >= SUBMISSIONS_PER_TRAINEE or lessons.index(lesson) >= opened:
                        break
                    at = when + datetime.timedelta(days=1)
                    if t["stage"] == "trainee":
                        status = ["submitted", "changes_requested", "approved"][(t["n"] + submissions_done) % 3]
                    else:
                        status = "approved"
                    reviewed = None if status == "submitted" else at + datetime.timedelta(days=1)
                    submission_rows.append(
                        (
                            uid,
                            lesson.pk,
                            status,
                            "主图已拍好，请老师看看。",
                            "",
                            1,
                            at,
                            reviewed,
                            t["mentor"] if reviewed else None,
                            "光线很好，构图再简洁一点。" if reviewed else "",
                        )
                    )
                    submissions_done += 1
                completed = when + datetime.timedelta(days=3) if done == len(lessons) else None
                enrollment_rows.append(
                    (
                        uid,
                        course_id,
                        "cohort" if course_id in required else "self",
                        start,
                        completed,
                        last[0] if last else None,
                        last[1] if last else None,
                    )
                )

    enrollment_fields = ["user", "course", "source", "enrolled_at", "completed_at", "last_lesson", "last_activity_at"]
    counts["lesson progress"] = copy_rows(
        LessonProgress, ["user", "lesson", "course", "opened_at", "completed_at"], progress_rows()
    )
    counts["enrolments"] = copy_rows(Enrollment, enrollment_fields, enrollment_rows)
    counts["quiz attempts"] = copy_rows(
        QuizAttempt,
        ["user", "lesson", "number", "score", "correct_count", "question_count", "passed", "submitted_at"],
        attempt_rows,
    )
    submission_id = next_id(TaskSubmission)
    counts["submissions"] = copy_rows(
        TaskSubmission,
        [
            "id",
            "user",
            "lesson",
            "status",
            "text",
            "link",
            "round",
            "submitted_at",
            "reviewed_at",
            "reviewer",
            "feedback",
        ],
        [(submission_id + k, *row) for k, row in enumerate(submission_rows)],
    )

    def event_rows():
        for k, row in enumerate(submission_rows):
            yield (submission_id + k, "submitted", 1, row[0], row[3], "", row[6])
            if row[7] is not None:
                kind = "changes_requested" if row[2] == "changes_requested" else "approved"
                yield (submission_id + k, kind, 1, row[8], row[9], "", row[7])

    counts["submission events"] = copy_rows(
        SubmissionEvent, ["submission", "kind", "round", "actor", "text", "link", "created_at"], event_rows()
    )

    lap("enrolments, lesson progress, quiz attempts, submissions")
    # Graduates: certificates; shops with 36 months of sales.
    course_titles = {c.pk: c.title for c in courses}
    codes = set()

    def certificate_rows():
        for t in graduated:
            code = new_certificate_code()
            while code in codes:
                code = new_certificate_code()
            codes.add(code)
            yield (
                code,
                t["uid"],
                t["cohort"]["id"],
                chinese_name(t["uid"]),
                t["cohort"]["name"],
                json.dumps([course_titles[c] for c in t["cohort"]["required"]], ensure_ascii=False),
                t["cohort"]["ends"],
                office.pk,
                "",
                "",
                datetime.datetime.combine(t["cohort"]["ends"], datetime.time(11), tzinfo=datetime.UTC),
            )

    counts["certificates"] = copy_rows(
        Certificate,
        [
            "code",
            "holder",
            "cohort",
            "holder_name",
            "cohort_name",
            "course_titles",
            "issued_on",
            "issued_by",
            "pdf",
            "revoked_reason",
            "created_at",
        ],
        certificate_rows(),
    )
    owners = [t for t in trainees if t["stage"] != "trainee"] or trainees
    shop_owners = [owners[k % len(owners)] for k in range(sizes["shops"])]
    shop_id = next_id(Shop)
    first_month = month_add(today.replace(day=1), -SALES_MONTHS)
    counts["shops"] = copy_rows(
        Shop,
        [
            "id",
            "owner",
            "platform",
            "name",
            "url",
            "opened_on",
            "products_note",
            "in_directory",
            "is_verified",
            "verified_at",
            "verified_by",
            "created_at",
        ],
        [
            (
                shop_id + k,
                t["uid"],
                PLATFORMS[k % len(PLATFORMS)],
                f"{chinese_name(t['uid'])}的{products[t['n'] % len(products)].name}小店",
                f"https://shop{shop_id + k}.example.cn/",
                first_month - datetime.timedelta(days=3),
                "",
                k % 3 == 0,
                True,
                now,
                office.pk,
                now,
            )
            for k, t in enumerate(shop_owners)
        ],
    )
    copy_rows(
        Shop.products.through,
        ["shop", "productcategory"],
        [(shop_id + k, products[t["n"] % len(products)].pk) for k, t in enumerate(shop_owners)],
    )

    def sales_rows():
        # Month by month, as the reports arrive: a month's reports sit together on disk, as in
        # production (shop by shop would spread one month over every page of the table).
        for m in range(SALES_MONTHS):
            month = month_add(first_month, m)
            for k, t in enumerate(shop_owners):
                base = 2000 + (k * 37) % 20000
                orders = 20 + (k + m * 13) % 180
                sales = Decimal(base + (m * 311 + k) % 9000).quantize(Decimal("1.00"))
                stamp = datetime.datetime.combine(month_add(month, 1), datetime.time(9), tzinfo=datetime.UTC)
                # Verified (the dashboard counts verified months only), on the day after reporting.
                yield (shop_id + k, month, orders, sales, "脐橙", t["uid"], stamp, stamp) + (
                    "verified",
                    stamp,
                    "none",
                    False,
                    "",
                    "",
                )

    counts["sales reports"] = copy_rows(
        SalesReport,
        ["shop", "month", "orders", "sales", "products_sold", "submitted_by", "created_at", "updated_at"]
        + ["status", "verified_at", "evidence_level", "is_late", "flag_reason", "sent_back_reason"],
        sales_rows(),
    )

    lap("certificates, shops, sales reports")
    # Cooperatives: one per township, led by a merchant.
    merchants_by_township = {}
    for t in graduated:
        merchants_by_township.setdefault(t["village"].township_id, []).append(t["uid"])
    for township in townships:
        members = merchants_by_township.get(township.pk, [])[:20]
        coop, created = Cooperative.objects.get_or_create(
            name=f"{township.name}电商合作社",
            defaults={
                "township": township,
                "leader_id": members[0] if members else None,
                "founded_on": today - datetime.timedelta(days=700),
            },
        )
        if created and members:
            coop.members.set(members)
            coop.save()
    counts["cooperatives"] = len(townships)

    counts["notifications"] = copy_rows(
        Notification,
        [
            "recipient",
            "kind",
            "title",
            "body",
            "url",
            "created_at",
            "read_at",
            "channel",
            "delivered_at",
            "attempts",
            "last_error",
        ],
        (
            (
                t["uid"],
                "bench",
                f"通知{k + 1}",
                "你的作业已批改。",
                "/me/learning/",
                now - datetime.timedelta(days=k),
                None if k == 0 else now,
                "sms",
                now,
                1,
                "",
            )
            for t in trainees
            for k in range(NOTIFICATIONS_PER_TRAINEE)
        ),
    )
    lap("cooperatives, notifications")
    counts.update(
        seed_county_apps(
            scale=scale,
            trainees=trainees,
            shops=[(shop_id + k, t) for k, t in enumerate(shop_owners)],
            products=products,
            office=office,
            now=now,
            today=today,
        )
    )
    lap("households and ledgers, stations, sales campaigns, pavilion proposals")
    reset_sequences(
        [
            User,
            MentorProfile,
            Cohort,
            Application,
            TraineeProfile,
            StageChange,
            MentorAssignment,
            CheckIn,
            GraduationRecommendation,
            Enrollment,
            LessonProgress,
            QuizAttempt,
            TaskSubmission,
            SubmissionEvent,
            Certificate,
            Shop,
            SalesReport,
            Notification,
        ]
    )
    return counts


def seed_county_apps(*, scale, trainees, shops, products, office, now, today) -> dict:  # noqa: C901 (linear)
    """The rows of the apps with a section on the county dashboard: the cooperatives' member
    households and ledgers, the villages' stations and sales campaigns, the pavilion's proposals."""
    from core.models import Village
    from incubator.cooperatives.models import (
        CooperativeSale,
        DividendDeclaration,
        DividendPayment,
        Household,
        InputGiven,
        Membership,
        Purchase,
    )
    from incubator.merchants.models import Cooperative, CountyTargets
    from incubator.pavilion.models import PavilionTargets, ProductProposal
    from incubator.villages.models import (
        CampaignDayFigure,
        SalesCampaign,
        Station,
        StationDay,
        StationPurchase,
        VillageHouseholds,
        VillageTargets,
    )

    counts = {}
    villages = list(Village.objects.select_related("township").order_by("code"))
    cooperative_of = dict(Cooperative.objects.values_list("township_id", "pk"))
    leader_of = dict(Cooperative.objects.values_list("pk", "leader_id"))
    three_years_ago = today - datetime.timedelta(days=1095)

    # The household register and memberships: each household in its township's cooperative.
    household_count = max(1, round(FULL["households"] * scale))
    household_id, membership_id = next_id(Household), next_id(Membership)
    households = []  # (id, cooperative id, shares, poor)
    for n in range(household_count):
        village = villages[n % len(villages)]
        cooperative = cooperative_of.get(village.township_id)
        households.append((household_id + n, village.pk, cooperative, 1 + n % 3, n % 3 == 0))
    counts["households"] = copy_rows(
        Household,
        ["id", "head_name", "village", "members", "is_registered_poor", "poor_since", "phone", "id_card_masked"]
        + ["created_at", "created_by"],
        (
            (pk, chinese_name(pk + 7), village, 2 + pk % 5, poor, datetime.date(2015, 1 + pk % 12, 1) if poor else None,
             f"+86138{pk:08d}", f"{'*' * 14}{pk % 1000:03d}{pk % 10}", now, office.pk)
            for pk, village, _cooperative, _shares, poor in households
        ),
    )  # fmt: skip
    members = [row for row in households if row[2] is not None]
    joined = {pk: three_years_ago + datetime.timedelta(days=pk % 300) for pk, *_rest in members}
    counts["memberships"] = copy_rows(
        Membership,
        ["id", "cooperative", "household", "joined_on", "left_on", "shares"],
        (
            (membership_id + k, cooperative, pk, joined[pk], today - datetime.timedelta(days=30) if k % 20 == 0 else None,
             shares)
            for k, (pk, _village, cooperative, shares, _poor) in enumerate(members)
        ),
    )  # fmt: skip
    ledger = ["cooperative", "corrects", "reason", "recorded_by", "recorded_at"]
    counts["cooperative purchases"] = copy_rows(
        Purchase,
        ledger + ["household", "product", "quantity", "unit", "amount", "bought_on"],
        (
            (cooperative, None, "", office.pk, now, pk, "土鸡蛋" if pk % 2 else "脐橙", Decimal(20 + pk % 80), "kg",
             Decimal(200 + (pk * 7 + k * 31) % 1800), joined[pk] + datetime.timedelta(days=60 + k * 180))
            for pk, _village, cooperative, _shares, _poor in members
            for k in range(PURCHASES_PER_HOUSEHOLD)
            if joined[pk] + datetime.timedelta(days=60 + k * 180) <= today
        ),
    )  # fmt: skip
    counts["inputs given"] = copy_rows(
        InputGiven,
        ledger + ["household", "item", "quantity", "unit", "value", "given_on"],
        (
            (cooperative, None, "", office.pk, now, pk, "鸡苗", Decimal(50), "piece", Decimal(250),
             joined[pk] + datetime.timedelta(days=k * 365))
            for pk, _village, cooperative, _shares, _poor in members
            for k in range(INPUTS_PER_HOUSEHOLD)
        ),
    )  # fmt: skip
    # A dividend per cooperative for each of the last two years, split by shares.
    declaration_id = next_id(DividendDeclaration)
    declarations, payments = [], []
    by_cooperative = {}
    for pk, _village, cooperative, shares, _poor in members:
        by_cooperative.setdefault(cooperative, []).append((pk, shares))
    for cooperative, holders in sorted(by_cooperative.items()):
        for year in (today.year - 2, today.year - 1):
            pk = declaration_id + len(declarations)
            parts = [(household, shares, Decimal(shares * 120)) for household, shares in holders]
            total = sum((amount for _h, _s, amount in parts), Decimal(0))
            declarations.append((pk, cooperative, None, "", office.pk, now, year, total, "per_share", "",
                                 datetime.date(year + 1, 1, 20)))  # fmt: skip
            payments += [(pk, household, Decimal(shares), amount) for household, shares, amount in parts]
    counts["dividends"] = copy_rows(
        DividendDeclaration, ["id", *ledger, "year", "total", "rule", "unit", "paid_on"], declarations
    )
    counts["dividend payments"] = copy_rows(DividendPayment, ["declaration", "household", "basis", "amount"], payments)
    # Each cooperative sells through its leader's shop, month by month.
    shop_of_owner = {}
    for shop_id, t in shops:
        shop_of_owner.setdefault(t["uid"], shop_id)
    first_month = month_add(today.replace(day=1), -24)
    counts["cooperative sales"] = copy_rows(
        CooperativeSale,
        ledger + ["shop", "month", "product", "quantity", "unit", "amount"],
        (
            (cooperative, None, "", office.pk, now, shop_of_owner[leader], month_add(first_month, m), "脐橙",
             Decimal(500 + m * 10), "kg", Decimal(4000 + m * 150))
            for cooperative, leader in sorted(leader_of.items())
            if leader in shop_of_owner
            for m in range(24)
        ),
    )  # fmt: skip

    # The villages: households counted, one station per village with a year of daily logs.
    counts["village households"] = copy_rows(
        VillageHouseholds,
        ["village", "households", "counted_on"],
        [(village.pk, 250 + (n * 97) % 650, today.replace(month=1, day=1)) for n, village in enumerate(villages)],
    )
    partner_of = {}
    for t in trainees:
        partner_of.setdefault(t["village"].pk, t["uid"])
    station_id = next_id(Station)
    stations = [
        (station_id + n, village.pk, partner_of[village.pk], shop_of_owner.get(partner_of[village.pk]),
         today - datetime.timedelta(days=STATION_DAYS - n % 42))
        for n, village in enumerate(villages)
        if village.pk in partner_of
    ]  # fmt: skip
    counts["stations"] = copy_rows(
        Station,
        ["id", "village", "partner", "shop", "opened_on", "closed_on", "created_at"],
        [(*row, None, now) for row in stations],
    )
    day_id = next_id(StationDay)
    station_days = []
    for pk, _village, partner, _shop, opened in stations:
        day = opened
        while day < today:
            if day == opened or (day.toordinal() + pk) % 17:  # a day off now and then
                station_days.append((day_id + len(station_days), pk, day, partner))
            day += datetime.timedelta(days=1)
    categories = ["machinery", "necessities", "appliances"]

    def bought(pk):  # (orders, value) of each of a day's three purchase lines
        return [(2 + (pk + k) % 20, Decimal(300 + (pk * 11 + k * 101) % 3000)) for k in range(len(categories))]

    counts["station days"] = copy_rows(
        StationDay,
        ["id", "station", "day", "villagers_served", "sell_orders", "sell_value", "sell_products", "logged_by"]
        + ["updated_at", "buy_orders", "buy_value"],
        (
            (pk, station, day, 8 + pk % 50, 20 + pk % 200, Decimal(2000 + (pk * 13) % 28000), "脐橙、腊肉、土蜂蜜",
             partner, now, sum(o for o, _v in bought(pk)), sum(v for _o, v in bought(pk)))
            for pk, station, day, partner in station_days
        ),
    )  # fmt: skip
    counts["station purchases"] = copy_rows(
        StationPurchase,
        ["station_day", "category", "orders", "value"],
        (
            (pk, category, orders, value)
            for pk, _station, _day, _partner in station_days
            for category, (orders, value) in zip(categories, bought(pk), strict=True)
        ),
    )

    # Sales campaigns: a ten-day festival each November, every tenth shop taking part.
    orange = next((p for p in products if p.slug == "navel-orange"), products[0])
    campaign_id = next_id(SalesCampaign)
    campaigns = []
    for k in range(SALES_CAMPAIGNS):
        starts = datetime.date(today.year - SALES_CAMPAIGNS + k + (1 if today.month >= 11 else 0), 11, 1)
        campaigns.append((campaign_id + k, f"第{k + 1}届脐橙电商节", orange.pk, starts,
                          starts + datetime.timedelta(days=CAMPAIGN_DAYS - 1), 400_000, "jin", Decimal(8_000_000)))  # fmt: skip
    copy_rows(
        SalesCampaign,
        ["id", "name", "product", "starts_on", "ends_on", "target_quantity", "unit", "target_sales"],
        campaigns,
    )
    counts["sales campaigns"] = len(campaigns)
    taking_part = [(shop_id, t) for k, (shop_id, t) in enumerate(shops) if k % CAMPAIGN_SHOP_SHARE == 0]
    copy_rows(
        SalesCampaign.shops.through,
        ["salescampaign", "shop"],
        [(campaign[0], shop_id) for campaign in campaigns for shop_id, _t in taking_part],
    )

    def figure_rows():
        for number, campaign in enumerate(campaigns):
            latest = number == len(campaigns) - 1
            for k, (shop_id, t) in enumerate(taking_part):
                for d in range(CAMPAIGN_DAYS):
                    day = campaign[3] + datetime.timedelta(days=d)
                    if day > today:
                        break
                    verified = not latest or (k + d) % 5
                    yield (campaign[0], shop_id, day, 10 + (k + d) % 90, 100 + (k * 7 + d) % 900,
                           Decimal(800 + (k * 13 + d * 17) % 7000), "verified" if verified else "submitted",
                           t["uid"], office.pk if verified else None, now if verified else None, "", now)  # fmt: skip

    counts["campaign day figures"] = copy_rows(
        CampaignDayFigure,
        ["campaign", "shop", "day", "orders", "quantity", "sales", "status", "submitted_by", "reviewed_by"]
        + ["reviewed_at", "sent_back_reason", "updated_at"],
        figure_rows(),
    )

    # The pavilion: merchants' proposals of a product, a fifth of them awaiting review.
    counts["pavilion proposals"] = copy_rows(
        ProductProposal,
        ["proposer", "name", "category", "village", "season", "story", "status", "reason", "reviewed_by"]
        + ["reviewed_at", "created_at"],
        (
            (t["uid"], f"{products[k % len(products)].name}礼盒{k + 1}", products[k % len(products)].pk,
             t["village"].pk, "全年", "自家种的，想放进特色馆。", "pending" if k % 5 == 0 else "rejected",
             "" if k % 5 == 0 else "请先补充产品照片和检测报告。", None if k % 5 == 0 else office.pk,
             None if k % 5 == 0 else now, now)
            for k, (_shop_id, t) in enumerate(shops[: max(1, round(FULL["proposals"] * scale))])
        ),
    )  # fmt: skip
    reset_sequences(
        [Household, Membership, Purchase, InputGiven, DividendDeclaration, DividendPayment, CooperativeSale]
        + [VillageHouseholds, Station, StationDay, StationPurchase, SalesCampaign, CampaignDayFigure, ProductProposal]
    )
    # The office's targets, which a county in its second year has set: Wagtail's settings create
    # their row on the first read, and the dashboard's first look after the seed would otherwise
    # count those inserts among the queries after an emptied cache.
    for targets in (CountyTargets, VillageTargets, PavilionTargets):
        targets.load()
    return counts


def campaigns_by_number():
    from incubator.recruitment.models import RecruitmentCampaignPage

    found = {page.slug: page for page in RecruitmentCampaignPage.objects.filter(slug__startswith="campaign-")}
    return [found[f"campaign-{number + 1}"] for number in range(CAMPAIGNS)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="1 = the three-year target; 0.1 = a tenth")
    parser.add_argument("--pages-only", action="store_true", help="only the Wagtail pages (for a template database)")
    parser.add_argument("--rows-only", action="store_true", help="only the rows (the pages exist already)")
    args = parser.parse_args(argv)
    result = {}
    if not args.rows_only:
        started = time.monotonic()
        with transaction.atomic():
            seed_pages()
        result["pages_seconds"] = round(time.monotonic() - started, 1)
        log(f"pages in {result['pages_seconds']} s")
    if not args.pages_only:
        started = time.monotonic()
        with transaction.atomic():
            foreign_keys_unchecked()
            counts = seed_rows(args.scale, campaigns_by_number())
            checked = time.monotonic()
            check_foreign_keys()
            log(f"foreign keys checked: {time.monotonic() - checked:.1f} s")
            # COPY sends no signal: the monthly sums the dashboard reads are added up once here.
            tallied = time.monotonic()
            tallies.rebuild()
            counts["village-month sums"] = VillageMonthSales.objects.count()
            counts["category-month sums"] = CategoryMonthSales.objects.count()
            log(f"sales tallies: {time.monotonic() - tallied:.1f} s")
        from django.db import connection

        analysed = time.monotonic()
        with connection.cursor() as cursor:
            # As autovacuum leaves a table that only grows: statistics, the visibility map (index-only
            # scans) and the rows' hint bits set once, not by the first pages measured.
            cursor.execute("VACUUM ANALYZE")
        log(f"committed; VACUUM ANALYZE {time.monotonic() - analysed:.1f} s")
        result["rows_seconds"] = round(time.monotonic() - started, 1)
        result["counts"] = counts
        for name, count in counts.items():
            log(f"{name:>20}: {count:>9,}")
        log(f"rows at scale {args.scale} in {result['rows_seconds']} s")
    print("SEED-RESULT " + json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
