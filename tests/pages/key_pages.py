"""The pages a trainee or mentor uses, found in the demo data: shared by the budgets test
(tests/pages/test_budgets.py) and the browser audit (scripts/audit_pages.py).

A page whose app or demo data is not there yet comes back with `path=None` and the reason, so the
test skips it and picks it up by itself once the app exists."""

from dataclasses import asdict, dataclass

from django.apps import apps

TRAINEE = "trainee@demo.local"
# The apply form is for someone who has not applied yet: a person the test or the audit creates.
NEWCOMER = "newcomer@audit.local"
MENTOR = "mentor@demo.local"
# Not an account: a visitor who has just signed up with a phone, on the page that asks for the SMS code.
SIGNING_UP = "signing-up"

# On the wire, gzipped, HTML + CSS + JS (not images nor video).
LESSON_BUDGET = 60_000
PAGE_BUDGET = 100_000


@dataclass
class KeyPage:
    key: str
    label: str
    path: str | None
    account: str | None = None
    budget: int = PAGE_BUDGET
    missing: str = ""
    audited: bool = False  # one of the pages `make audit-pages` measures in a browser

    def as_dict(self) -> dict:
        return asdict(self)


def _model(label: str):
    try:
        return apps.get_model(label)
    except LookupError:
        return None


def _live(label: str):
    model = _model(label)
    return None if model is None else model.objects.live().public()


def _first_url(queryset, what: str) -> tuple[str | None, str]:
    if queryset is None:
        return None, f"{what}: the model does not exist yet"
    page = queryset.order_by("path").first()
    if page is None:
        return None, f"{what}: no live page in the demo data yet"
    return page.get_url(), ""


def _trainee_course_and_lesson():
    """A course the demo trainee is enrolled in, and its first lesson (any live ones otherwise)."""
    courses, lessons = _live("courses.CoursePage"), _live("courses.LessonPage")
    if courses is None or lessons is None:
        return (None, "course: the model does not exist yet"), (None, "lesson: the model does not exist yet")
    enrollment = _model("courses.Enrollment")
    course = None
    if enrollment is not None:
        row = enrollment.objects.filter(user__email=TRAINEE).order_by("pk").first()
        course = courses.filter(pk=row.course_id).first() if row is not None else None
    course = course or courses.order_by("path").first()
    if course is None:
        return (None, "course: no live course in the demo data yet"), (None, "lesson: no live course yet")
    lesson = lessons.descendant_of(course).order_by("path").first()
    lesson_url = (lesson.get_url(), "") if lesson else (None, "lesson: the demo course has no live lesson yet")
    return (course.get_url(), ""), lesson_url


def _trainee_lesson_with(what: str, has: str):
    """The first lesson with a quiz or a task (`has`: "has_quiz", "has_task") of the demo
    trainee's courses, else of any course."""
    lessons, enrollment = _live("courses.LessonPage"), _model("courses.Enrollment")
    if lessons is None or enrollment is None:
        return None, f"{what}: the model does not exist yet"
    course_ids = set(enrollment.objects.filter(user__email=TRAINEE).values_list("course_id", flat=True))
    courses = {c.path: c.pk for c in _live("courses.CoursePage")}
    found = [lesson for lesson in lessons.order_by("path") if getattr(lesson, has)]
    found.sort(key=lambda lesson: courses.get(lesson.path[: -lesson.steplen]) not in course_ids)
    return (found[0].get_url(), "") if found else (None, f"{what}: no such lesson in the demo data yet")


def _mentor_trainee():
    user, assignment = _model("core.User"), _model("mentors.MentorAssignment")
    if assignment is None:
        return None, "mentor's trainee page: the mentors app does not exist yet"
    row = assignment.objects.filter(mentor__email=MENTOR, trainee__email=TRAINEE, ended_at__isnull=True).first()
    if row is None or user is None:
        return None, "mentor's trainee page: the demo mentor does not mentor the demo trainee"
    return f"/mentor/trainees/{row.trainee_id}/", ""


def discover() -> list[KeyPage]:
    (course, course_missing), (lesson, lesson_missing) = _trainee_course_and_lesson()
    quiz_lesson, quiz_missing = _trainee_lesson_with("lesson with a quiz", "has_quiz")
    task_lesson, task_missing = _trainee_lesson_with("lesson with a task", "has_task")
    mentor_trainee, mentor_trainee_missing = _mentor_trainee()
    catalogue, catalogue_missing = _first_url(_live("courses.CourseIndexPage"), "catalogue")
    campaign, campaign_missing = _first_url(_live("recruitment.RecruitmentCampaignPage"), "campaign")
    recruit, recruit_missing = _first_url(_live("recruitment.RecruitmentIndexPage"), "recruitment")
    apply = f"{campaign}apply/" if campaign else None
    pavilion, pavilion_missing = _first_url(_live("pavilion.PavilionIndexPage"), "pavilion")
    specialty, specialty_missing = _first_url(_live("pavilion.PavilionProductPage"), "specialty product")
    return [
        KeyPage("home", "Home", "/", audited=True),
        KeyPage("catalogue", "Course catalogue", catalogue, missing=catalogue_missing, audited=True),
        KeyPage("course", "A course", course, TRAINEE, missing=course_missing, audited=True),
        KeyPage("lesson", "A lesson", lesson, TRAINEE, LESSON_BUDGET, lesson_missing, audited=True),
        KeyPage("lesson-quiz", "A lesson with a quiz", quiz_lesson, TRAINEE, LESSON_BUDGET, quiz_missing, audited=True),
        KeyPage("lesson-task", "A lesson with a task", task_lesson, TRAINEE, LESSON_BUDGET, task_missing, audited=True),
        KeyPage("my-learning", "My learning", "/me/learning/", TRAINEE, audited=True),
        KeyPage("recruit", "Recruitment campaigns", recruit, missing=recruit_missing),
        KeyPage("campaign", "A campaign", campaign, missing=campaign_missing, audited=True),
        KeyPage("apply", "The apply form", apply, NEWCOMER, missing=campaign_missing, audited=True),
        KeyPage("mentor", "Mentor dashboard", "/mentor/", MENTOR, audited=True),
        KeyPage(
            "mentor-trainee",
            "A trainee, as their mentor sees them",
            mentor_trainee,
            MENTOR,
            missing=mentor_trainee_missing,
            audited=True,
        ),
        KeyPage("me", "My area", "/me/", TRAINEE),
        KeyPage("notifications", "Notifications", "/me/notifications/", TRAINEE),
        KeyPage("merchants", "Merchant directory", "/merchants/"),
        # The pavilion: light pages for buyers on a phone (issue 16: under 60 KB).
        KeyPage("pavilion", "Specialty pavilion", pavilion, budget=LESSON_BUDGET, missing=pavilion_missing),
        KeyPage("specialty", "A specialty product", specialty, budget=LESSON_BUDGET, missing=specialty_missing),
        KeyPage("offline", "Offline page", "/offline/"),
        KeyPage("signup", "Sign up", "/accounts/signup/", audited=True),
        KeyPage("login", "Sign in", "/accounts/login/", audited=True),
        KeyPage("login-code", "Sign in with a code", "/accounts/login/code/", audited=True),
        KeyPage("verify-phone", "Phone verification code", "/accounts/phone/verify/", SIGNING_UP, audited=True),
    ]


KEYS = [
    "home",
    "catalogue",
    "course",
    "lesson",
    "lesson-quiz",
    "lesson-task",
    "my-learning",
    "recruit",
    "campaign",
    "apply",
    "mentor",
    "mentor-trainee",
    "me",
    "notifications",
    "merchants",
    "pavilion",
    "specialty",
    "offline",
    "signup",
    "login",
    "login-code",
]
