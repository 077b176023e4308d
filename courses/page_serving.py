"""How the course pages are served: the context each shows (a fixed number of queries whatever
the catalogue's size) and the forms each accepts (enrolling on a course page, a quiz or a task
on a lesson page). The page models call these, so that models never import views; the app's
own URLs are in views.py. Changes go through courses.services.
"""

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Prefetch, Q
from django.http import HttpResponseRedirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _

from wagtail.images import get_image_model

from core.service_errors import add_service_errors
from courses import lesson_body, selectors, services
from courses.forms import CatalogueFilterForm, QuizForm, TaskForm
from courses.models import (
    CourseCategory,
    CoursePage,
    Enrollment,
    LessonPage,
    QuizAttempt,
    TaskSubmission,
)

COVER_FILTER = "fill-640x360"


def cover_prefetch():
    return Prefetch("cover_image", queryset=get_image_model().objects.prefetch_renditions(COVER_FILTER))


# Lessons shown under the courses when searching: the best matches, enough for one screen.
LESSON_RESULTS = 20


def catalogue_context(request, index_page) -> dict:
    form = CatalogueFilterForm(request.GET or None)
    # Wagtail's public() reads the view restrictions each time: read once, for courses and lessons.
    private = CoursePage.objects.all().private_q()
    courses = CoursePage.objects.live().exclude(private).descendant_of(index_page)
    query = ""
    lessons = []
    if form.is_valid():
        if form.cleaned_data["category"]:
            courses = courses.filter(category=form.cleaned_data["category"])
        if form.cleaned_data["level"]:
            courses = courses.filter(level=form.cleaned_data["level"])
        query = form.cleaned_data["q"].strip()
        if query:
            matching, lessons = search_catalogue(courses, index_page, query, private=private)
            courses = courses.filter(matching)
    courses = list(courses.select_related("category").prefetch_related(cover_prefetch()).order_by("path"))
    progress = {}
    if request.user.is_authenticated and courses:
        completion = selectors.course_completion(user_ids=[request.user.pk], course_ids=[c.pk for c in courses])
        progress = {course_id: item for (_user, course_id), item in completion.items() if item.enrolled}
    rows = [{"course": course, "progress": progress.get(course.pk)} for course in courses]
    by_path = {course.path: course for course in courses}
    lesson_rows = [
        {"lesson": lesson, "course": by_path[lesson.path[: -LessonPage.steplen]]}
        for lesson in lessons
        if lesson.path[: -LessonPage.steplen] in by_path
    ]
    return {
        "filter_form": form,
        "rows": rows,
        "lesson_rows": lesson_rows,
        "query": query,
        "categories": list(CourseCategory.objects.all()),
        "filtered": bool(form.is_valid() and any(form.cleaned_data.values())),
    }


def search_catalogue(courses, index_page, query: str, *, private: Q) -> tuple[Q, list[LessonPage]]:
    """Which of the `courses` match `query` (a condition on them): those holding every word of it
    in their title, summary or objectives, and those with a live lesson holding them (in its
    title, summary or body text); and the best of those lessons, best first. Two queries of
    Wagtail's search index, which cuts Chinese into pairs of characters so that words inside
    sentences are found (core.search, docs/search.md). `private`: the pages behind a view
    restriction (Wagtail's private_q())."""
    course_ids = {course.pk for course in courses.only("pk").search(query)}
    lessons = list(
        LessonPage.objects.live()
        .exclude(private)
        .descendant_of(index_page)
        .only("pk", "title", "title_en", "summary", "summary_en", "url_path", "path", "depth")
        .search(query)
    )
    parent_paths = {lesson.path[: -LessonPage.steplen] for lesson in lessons}
    return Q(pk__in=course_ids) | Q(path__in=parent_paths), lessons[:LESSON_RESULTS]


def _lesson_rows(lessons, done_ids: set[int]) -> list[dict]:
    return [{"lesson": lesson, "done": lesson.pk in done_ids} for lesson in lessons]


def course_context(request, course: CoursePage) -> dict:
    lessons = list(selectors.live_lessons_of([course]).defer_streamfields())
    enrollment = None
    if request.user.is_authenticated:
        enrollment = Enrollment.objects.filter(user=request.user, course=course).first()
    done = selectors.done_lesson_ids(user=request.user, course_ids=[course.pk]) if enrollment else set()
    next_lesson = next((lesson for lesson in lessons if lesson.pk not in done), None)
    completed = sum(1 for lesson in lessons if lesson.pk in done)
    completion = selectors.CourseCompletion(
        completed=completed,
        total=course.live_lesson_count,
        completed_at=enrollment.completed_at if enrollment else None,
        enrolled=enrollment is not None,
    )
    return {
        "lesson_rows": _lesson_rows(lessons, done),
        "enrollment": enrollment,
        "completion": completion,
        "next_lesson": next_lesson,
        "has_started": bool(done) or bool(enrollment and enrollment.last_lesson_id),
    }


def enroll_from_course_page(request, course: CoursePage):
    if not request.user.is_authenticated:
        return redirect_to_login(course.get_url(request))
    try:
        services.enroll(user=request.user, course=course, source=Enrollment.Source.SELF)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("You are enrolled. Start with the first lesson below."))
    return HttpResponseRedirect(course.get_url(request))


def lesson_context(request, lesson: LessonPage, forms: dict | None = None) -> dict:
    forms = forms or {}
    user = request.user
    around = selectors.lesson_surroundings(user=user, lesson=lesson)
    course, siblings, enrollment = around.course, around.siblings, around.enrollment
    ids = [sibling.pk for sibling in siblings]
    position = ids.index(lesson.pk) if lesson.pk in ids else None
    previous_lesson = siblings[position - 1] if position else None
    next_lesson = siblings[position + 1] if position is not None and position + 1 < len(siblings) else None

    progress = around.progress
    submission = None
    attempts = []
    if enrollment is not None:
        if request.method == "GET" and not forms:
            progress = services.open_lesson(user=user, lesson=lesson, enrollment=enrollment, progress=progress)
        if lesson.has_quiz:
            attempts = list(QuizAttempt.objects.filter(user=user, lesson=lesson).order_by("-number"))
        if lesson.has_task:
            submission = (
                TaskSubmission.objects.filter(user=user, lesson=lesson).prefetch_related("files", "events").first()
            )

    quiz = None
    if lesson.has_quiz:
        passed = next((attempt for attempt in attempts if attempt.passed), None)
        last = attempts[0] if attempts else None
        extra = progress.extra_quiz_attempts if progress else 0
        left = services.attempts_left(lesson=lesson, used=len(attempts), extra=extra)
        quiz = {
            "questions": lesson.questions,
            "attempts": attempts,
            "last": last,
            "passed": passed,
            "attempts_left": left,
            "can_attempt": enrollment is not None and passed is None and left != 0,
            # Only a form sent back with its errors; the empty one is in the shared content.
            "form": forms.get("quiz"),
            # Explanations and the right answers only after an attempt was made.
            "review": _quiz_review(lesson, last, reveal=passed is not None or left == 0) if last else None,
        }
    task = None
    if lesson.has_task:
        can_submit = enrollment is not None and (
            submission is None or submission.status == TaskSubmission.Status.CHANGES_REQUESTED
        )
        task = {
            "submission": submission,
            "can_submit": can_submit,
            "form": forms.get("task"),
        }
    return {
        # The teaching content and the empty forms, the same for every reader: rendered once per
        # language and kept (courses/lesson_body.py).
        "content": lesson_body.rendered_content(lesson),
        "course": course,
        "siblings": siblings,
        "position": (position or 0) + 1,
        "previous_lesson": previous_lesson,
        "next_lesson": next_lesson,
        "enrollment": enrollment,
        "progress": progress,
        "quiz": quiz,
        "task": task,
        # A lesson without quiz or task is finished by saying so (a POST, queued when offline).
        "can_complete": enrollment is not None
        and not lesson.has_quiz
        and not lesson.has_task
        and not (progress and progress.completed_at),
    }


def _quiz_review(lesson: LessonPage, attempt: QuizAttempt, *, reveal: bool) -> list[dict]:
    answers = {answer.question_key: answer for answer in attempt.answers.all()}
    review = []
    for question in lesson.questions:
        answer = answers.get(question["key"])
        chosen = set(answer.choice_keys) if answer else set()
        review.append(
            {
                "question": question,
                "correct": bool(answer and answer.correct),
                "explanation": question["explanation"] if reveal or (answer and answer.correct) else "",
                # Right answers are shown only once the quiz is passed, so that retries still teach.
                "choices": [
                    {"text": choice["text"], "chosen": choice["key"] in chosen, "correct": reveal and choice["correct"]}
                    for choice in question["choices"]
                ],
            }
        )
    return review


def lesson_post(request, lesson: LessonPage):
    if not request.user.is_authenticated:
        return redirect_to_login(lesson.get_url(request))
    action = request.POST.get("action")
    forms = {}
    if action == "complete":
        try:
            services.complete_lesson(user=request.user, lesson=lesson)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Lesson completed. Well done!"))
        return HttpResponseRedirect(lesson.get_url(request) + "#lesson-done")
    if action == "quiz":
        form = QuizForm(request.POST, questions=lesson.questions)
        forms["quiz"] = form
        # Missing or unknown answers are shown by the form; the service grades and re-checks the rest
        # (answers to questions that are not in this quiz, for one).
        if form.is_valid():
            try:
                attempt = services.submit_quiz(user=request.user, lesson=lesson, answers=form.answers())
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if attempt.passed:
                    messages.success(request, _("You passed with %(score)s%%.") % {"score": attempt.score})
                else:
                    messages.warning(
                        request,
                        _("You scored %(score)s%%; %(pass)s%% is needed to pass. Read the explanations and try again.")
                        % {"score": attempt.score, "pass": lesson.quiz_pass_percent},
                    )
                return HttpResponseRedirect(lesson.get_url(request) + "#quiz")
    elif action == "task":
        form = TaskForm(request.POST, request.FILES, lesson=lesson)
        forms["task"] = form
        if form.is_valid():
            try:
                services.submit_task(
                    user=request.user,
                    lesson=lesson,
                    text=form.cleaned_data["text"],
                    link=form.cleaned_data["link"],
                    files=form.cleaned_data["files"],
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("Your work has been sent to your mentor for review."))
                return HttpResponseRedirect(lesson.get_url(request) + "#task")
        if request.FILES:
            form.add_error(None, _("Please choose your files again: for your safety, browsers do not keep them."))
    else:
        return HttpResponseRedirect(lesson.get_url(request))
    context = lesson.get_context(request, forms=forms)
    return TemplateResponse(request, lesson.get_template(request), context, status=400)
