"""Demo courses and learners: the six-course catalogue and trainees at every point of progress.

Idempotent: pages are found by slug, people by email, and each learning step is skipped when
it was already done.
"""

import io
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core import roles
from core.demo import ensure_person
from core.models import ProductCategory, User, Village
from courses import services
from courses.demo_content import CATEGORIES, COURSES
from courses.demo_media import add_media_to_lessons
from courses.models import (
    CourseCategory,
    CourseIndexPage,
    CoursePage,
    Enrollment,
    LessonPage,
    QuizAttempt,
    TaskSubmission,
)

# email, name, village code, product slugs, {course slug: plan}, days since last activity.
# A plan is the number of lessons completed, or "all".
EXTRA_TRAINEES = [
    (
        "trainee01@demo.local",
        "王春燕",
        "maoping-1",
        ["navel-orange"],
        {"taobao-shop": "all", "produce-photography": 3},
        1,
    ),
    ("trainee02@demo.local", "李德明", "quyuan-1", ["bacon"], {"taobao-shop": 2, "packing-and-cold-chain": 1}, 3),
    ("trainee03@demo.local", "陈秀兰", "xiangxi-1", ["honey"], {"taobao-shop": 4, "customer-service": 2}, 0),
    ("trainee04@demo.local", "张建华", "guojiaba-2", ["navel-orange", "bacon"], {"taobao-shop": 1}, 21),
    ("trainee05@demo.local", "刘玉梅", "chaping-1", ["tea"], {"taobao-shop": "all", "customer-service": "all"}, 2),
    ("trainee06@demo.local", "杨光荣", "jiuwanxi-1", ["kiwi"], {"produce-photography": 1}, 35),
    (
        "trainee07@demo.local",
        "黄丽娟",
        "shazhenxi-1",
        ["navel-orange"],
        {"taobao-shop": 3, "pricing-and-promotions": 2},
        6,
    ),
    ("trainee08@demo.local", "周大勇", "lushan-1", ["walnut", "mushroom"], {}, None),
]


def seed(home):
    index = seed_catalogue(home)
    add_media_to_lessons(LessonPage.objects.descendant_of(index).live().order_by("path"))
    seed_lesson_under_review(index)
    seed_learners()
    seed_second_chances()
    return index


# --- content --------------------------------------------------------------------------------------


def seed_catalogue(home) -> CourseIndexPage:
    categories = {}
    for order, (slug, name, name_en) in enumerate(CATEGORIES):
        categories[slug], _ = CourseCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )
    index = CourseIndexPage.objects.child_of(home).first()
    if index is None:
        index = CourseIndexPage(
            title="课程",
            slug="courses",
            intro="用手机学开网店：开店装修、拍照、包装发货、客服、直播和促销。每门课都有小测验和实操任务，导师会帮你检查。",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    for spec in COURSES:
        course = CoursePage.objects.child_of(index).filter(slug=spec["slug"]).first()
        if course is None:
            course = CoursePage(
                title=spec["title"],
                slug=spec["slug"],
                title_en=spec["title_en"],
                summary=spec["summary"],
                summary_en=spec["summary_en"],
                category=categories[spec["category"]],
                level=spec["level"],
                enrolment=spec["enrolment"],
                objectives=spec["objectives"],
                prerequisites=spec["prerequisites"],
            )
            index.add_child(instance=course)
            course.save_revision().publish()
        for lesson_spec in spec["lessons"]:
            if LessonPage.objects.child_of(course).filter(slug=lesson_spec["slug"]).exists():
                continue
            task = lesson_spec.get("task")
            lesson = LessonPage(
                title=lesson_spec["title"],
                slug=lesson_spec["slug"],
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
                    for question, multiple, choices, explanation in lesson_spec.get("quiz", [])
                ],
                quiz_pass_percent=lesson_spec.get("pass", 80),
                quiz_max_attempts=lesson_spec.get("max_attempts", 0),
                task_title=task[0] if task else "",
                task_instructions=task[1] if task else "",
                task_wants_link=task[2] if task else False,
                task_min_files=task[3] if task else 0,
            )
            course.add_child(instance=lesson)
            lesson.save_revision().publish()
    return index


# --- a lesson written by a course editor, waiting for the county office's review -----------------

EDITOR = ("mentor02@demo.local", "+8613900000012", "向红英")  # also a mentor (mentors.demo)
REVIEW_LESSON = {
    "slug": "labels-for-vacuum-packs",
    "title": "真空包装的标签怎么写",
    "title_en": "Labels for vacuum packs",
    "summary": "品名、产地、生产日期、保质期和储存方法，一样都不能少。",
    "body": [
        (
            "text",
            "<p>腊肉真空包装上要写清：<b>品名</b>、<b>产地</b>、<b>生产日期</b>、<b>保质期</b>、"
            "<b>储存方法</b>（阴凉干燥或冷藏）和<b>联系电话</b>。字要大、对比要强，顾客一眼能看清。</p>",
        ),
        ("callout", {"kind": "warning", "text": "<p>没有生产日期的食品，平台会判定为不合规商品下架。</p>"}),
    ],
}


def seed_lesson_under_review(index) -> None:
    """A course editor (a mentor who writes lessons) has written a lesson and submitted it to the
    county office's review: it waits, unpublished, on the office's dashboard."""
    editor = ensure_person(email=EDITOR[0], phone=EDITOR[1], real_name=EDITOR[2], role=roles.MENTOR)
    roles.add_role(editor, roles.COURSE_EDITOR)
    course = CoursePage.objects.child_of(index).filter(slug="packing-and-cold-chain").first()
    if course is None or LessonPage.objects.child_of(course).filter(slug=REVIEW_LESSON["slug"]).exists():
        return
    lesson = LessonPage(**REVIEW_LESSON, estimated_minutes=8, live=False, owner=editor)
    course.add_child(instance=lesson)
    lesson.save_revision(user=editor)
    workflow = lesson.get_workflow()
    if workflow is not None:
        workflow.start(lesson, editor)


# --- learners -------------------------------------------------------------------------------------


def _photo(name: str) -> SimpleUploadedFile:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (320, 320), (236, 140, 32)).save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _answers(lesson: LessonPage, *, right: bool) -> dict[str, list[str]]:
    answers = {}
    for question in lesson.questions:
        correct = [c["key"] for c in question["choices"] if c["correct"]]
        wrong = [c["key"] for c in question["choices"] if not c["correct"]]
        answers[question["key"]] = correct if right or not wrong else wrong[:1]
    return answers


def _work_on(user, lesson: LessonPage, *, mentor, fail_quiz_first=False, task_outcome="approved") -> None:
    """Open a lesson, pass its quiz and do its task, as a learner would (skipping steps already done);
    a lesson without either is finished with its button."""
    services.open_lesson(user=user, lesson=lesson)
    if not lesson.has_quiz and not lesson.has_task:
        services.complete_lesson(user=user, lesson=lesson)
    if lesson.has_quiz and not QuizAttempt.objects.filter(user=user, lesson=lesson).exists():
        if fail_quiz_first:
            services.submit_quiz(user=user, lesson=lesson, answers=_answers(lesson, right=False))
        services.submit_quiz(user=user, lesson=lesson, answers=_answers(lesson, right=True))
    if lesson.has_task and not TaskSubmission.objects.filter(user=user, lesson=lesson).exists():
        files = [_photo(f"photo-{n}.jpg") for n in range(1, lesson.task_min_files + 1)]
        submission = services.submit_task(
            user=user,
            lesson=lesson,
            text="已按要求完成，请导师检查。",
            link="https://shop.example.com/item/1001" if lesson.task_wants_link else "",
            files=files,
        )
        if task_outcome == "approved":
            services.review_submission(
                submission=submission, reviewer=mentor, approve=True, feedback="做得很好，继续保持！"
            )
        elif task_outcome == "changes":
            services.review_submission(
                submission=submission,
                reviewer=mentor,
                approve=False,
                feedback="第二张照片有点暗，请在窗边重新拍一张；商品标题里去掉“最好”两个字。",
            )


def _lessons(slug: str) -> list[LessonPage]:
    course = CoursePage.objects.get(slug=slug)
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def _follow_plan(user, plan: dict, *, mentor) -> None:
    for slug, done in plan.items():
        course = CoursePage.objects.get(slug=slug)
        services.enroll(user=user, course=course, source=Enrollment.Source.COHORT)
        lessons = _lessons(slug)
        count = len(lessons) if done == "all" else done
        for position, lesson in enumerate(lessons[:count]):
            _work_on(user, lesson, mentor=mentor, fail_quiz_first=position % 3 == 1)
        if count < len(lessons):
            # The next lesson is opened and its task is waiting for the mentor.
            _work_on(user, lessons[count], mentor=mentor, task_outcome="waiting")


def seed_learners() -> None:
    mentor = User.objects.get(email="mentor@demo.local")
    trainee = User.objects.get(email="trainee@demo.local")
    merchant = User.objects.get(email="merchant@demo.local")

    # The graduate: every course finished.
    for spec in COURSES:
        course = CoursePage.objects.get(slug=spec["slug"])
        services.enroll(user=merchant, course=course, source=Enrollment.Source.COHORT)
        for lesson in _lessons(spec["slug"]):
            _work_on(merchant, lesson, mentor=mentor)

    # The demo trainee, part-way: three lessons of the shop course done (one quiz failed first),
    # the shop-link task sent back for changes, two photography lessons done, logistics just begun.
    shop = _lessons("taobao-shop")
    for course_slug in ("taobao-shop", "produce-photography", "packing-and-cold-chain"):
        services.enroll(user=trainee, course=CoursePage.objects.get(slug=course_slug), source=Enrollment.Source.COHORT)
    _work_on(trainee, shop[0], mentor=mentor)
    _work_on(trainee, shop[1], mentor=mentor)
    _work_on(trainee, shop[2], mentor=mentor, fail_quiz_first=True)
    _work_on(trainee, shop[3], mentor=mentor, task_outcome="changes")
    for lesson in _lessons("produce-photography")[:2]:
        _work_on(trainee, lesson, mentor=mentor)
    services.open_lesson(user=trainee, lesson=_lessons("packing-and-cold-chain")[0])

    # More trainees, so that the mentor area and the dashboard have people to show.
    now = timezone.now()
    for email, name, village_code, products, plan, idle_days in EXTRA_TRAINEES:
        number = email[len("trainee") : len("trainee") + 2]
        person = ensure_person(
            email=email,
            phone=f"+86139000001{number}",
            real_name=name,
            role=roles.TRAINEE,
            village=Village.objects.filter(code=village_code).first(),
            products=ProductCategory.objects.filter(slug__in=products),
        )
        _follow_plan(person, plan, mentor=mentor)
        if idle_days is not None:
            Enrollment.objects.filter(user=person).update(last_activity_at=now - timedelta(days=idle_days))


# --- second chances at a quiz -----------------------------------------------------------------------

SECOND_CHANCES_LESSON = "handling-bad-reviews"  # a quiz of three attempts at most, pass mark 100


def seed_second_chances() -> None:
    """One trainee out of attempts (the office's listing, "ask your mentor"), and one whom the
    mentor gave another attempt, with the reason, and who then passed."""
    lesson = LessonPage.objects.filter(slug=SECOND_CHANCES_LESSON).first()
    mentor = User.objects.get(email="mentor@demo.local")
    if lesson is None or not lesson.quiz_max_attempts:
        return
    course = lesson.get_parent().specific
    for email, given in (("trainee01@demo.local", False), ("trainee07@demo.local", True)):
        person = User.objects.filter(email=email).first()
        if person is None or QuizAttempt.objects.filter(user=person, lesson=lesson).exists():
            continue
        services.enroll(user=person, course=course, source=Enrollment.Source.COHORT)
        services.open_lesson(user=person, lesson=lesson)
        for _ in range(lesson.quiz_max_attempts):
            services.submit_quiz(user=person, lesson=lesson, answers=_answers(lesson, right=False))
        if given:
            services.grant_quiz_attempts(
                trainee=person,
                lesson=lesson,
                count=1,
                reason="电话里一起复习了差评处理的四个步骤，再试一次。",
                by=mentor,
            )
            services.submit_quiz(user=person, lesson=lesson, answers=_answers(lesson, right=True))
