"""The office's course figures in the Wagtail admin, with CSV export; quizzes out of attempts."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core import exports, history
from core.office import OfficeRequiredMixin
from core.service_errors import add_service_errors
from courses import reports, selectors, services
from courses.forms import QuizAttemptGrantForm
from courses.models import CoursePage, LessonPage, LessonProgress, QuizAttempt


def _percent(value) -> str:
    return "" if value is None else f"{value}%"


# The course figures: enrolments and completions of every trainee.
FIGURES_PERMISSION = "courses.view_enrollment"


class FiguresMixin(OfficeRequiredMixin):
    office_permission = FIGURES_PERMISSION


class CourseReportView(FiguresMixin, WagtailAdminTemplateMixin, TemplateView):
    page_title = gettext_lazy("Course figures")
    header_icon = "list-ol"
    template_name = "courses/admin/course_report.html"

    def get(self, request, *args, **kwargs):
        figures = reports.course_figures()
        if request.GET.get("format") == "csv":
            return exports.csv_response(
                filename=f"courses-{timezone.localdate():%Y%m%d}",
                header=[
                    _("Course"),
                    _("Published lessons"),
                    _("Enrolled"),
                    _("In progress"),
                    _("Not started"),
                    _("Completed"),
                    _("Completion rate"),
                    _("Quiz attempts"),
                    _("Average quiz score"),
                ],
                rows=[
                    [
                        item.course.title,
                        item.course.live_lesson_count,
                        item.enrolled,
                        item.in_progress,
                        item.not_started,
                        item.completed,
                        _percent(item.completion_rate),
                        item.quiz_attempts,
                        _percent(item.average_quiz_score),
                    ]
                    for item in figures
                ],
            )
        return self.render_to_response(self.get_context_data(figures=figures))

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class CourseDetailReportView(FiguresMixin, WagtailAdminTemplateMixin, TemplateView):
    header_icon = "list-ol"
    template_name = "courses/admin/course_detail_report.html"

    def get_page_title(self):
        return _("Course figures")

    def get_page_subtitle(self):
        return self.course.get_admin_display_title()

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("courses_report"), "label": _("Course figures")},
            {"url": "", "label": self.course.get_admin_display_title()},
        ]

    def get(self, request, pk, *args, **kwargs):
        self.course = get_object_or_404(CoursePage, pk=pk)
        [summary] = reports.course_figures(courses=[self.course])
        lessons = reports.lesson_figures(course=self.course)
        hardest = reports.hardest_questions(course=self.course)
        if request.GET.get("format") == "csv":
            rows = [
                [
                    item.lesson.title,
                    item.opened,
                    item.completed,
                    item.attempts,
                    item.passed,
                    _percent(item.average_score),
                ]
                for item in lessons
            ]
            rows.append([])
            rows.append([_("Hardest questions"), _("Lesson"), _("First answers"), _("Right the first time")])
            rows.extend(
                [question.text, question.lesson.title, question.first_answers, _percent(question.correct_rate)]
                for question in hardest
            )
            return exports.csv_response(
                filename=f"course-{self.course.pk}-{timezone.localdate():%Y%m%d}",
                header=[
                    _("Lesson"),
                    _("Opened"),
                    _("Completed"),
                    _("Quiz attempts"),
                    _("Passed"),
                    _("Average quiz score"),
                ],
                rows=rows,
            )
        return self.render_to_response(
            self.get_context_data(course=self.course, summary=summary, lessons=lessons, hardest=hardest)
        )


# Giving more attempts at a quiz changes the trainee's lesson progress.
GRANT_PERMISSION = "courses.change_lessonprogress"
OUT_OF_ATTEMPTS_SHOWN = 200


class QuizAttemptsView(OfficeRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Trainees who used every attempt at a quiz without passing: each with a way to give more."""

    office_permission = GRANT_PERMISSION
    page_title = gettext_lazy("Quizzes out of attempts")
    header_icon = "help"
    template_name = "courses/admin/quiz_attempts.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(rows=selectors.out_of_attempts(limit=OUT_OF_ATTEMPTS_SHOWN), **kwargs)

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [{"url": "", "label": self.page_title}]


class GrantAttemptsView(OfficeRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    office_permission = GRANT_PERMISSION
    header_icon = "help"
    template_name = "courses/admin/grant_attempts.html"

    def get_page_title(self):
        return _("More attempts at a quiz")

    def get_page_subtitle(self):
        return f"{self.trainee.display_name} · {self.lesson.title}"

    def get_breadcrumbs_items(self):
        return self.breadcrumbs_items + [
            {"url": reverse("courses_quiz_attempts"), "label": _("Quizzes out of attempts")},
            {"url": "", "label": self.get_page_subtitle()},
        ]

    def dispatch(self, request, user_id, lesson_id, *args, **kwargs):
        self.trainee = get_object_or_404(get_user_model(), pk=user_id)
        self.lesson = get_object_or_404(LessonPage.objects.defer_streamfields(), pk=lesson_id)
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, form=None, **kwargs):
        progress = LessonProgress.objects.filter(user=self.trainee, lesson=self.lesson).first()
        return super().get_context_data(
            trainee=self.trainee,
            lesson=self.lesson,
            form=form or QuizAttemptGrantForm(),
            attempts=list(QuizAttempt.objects.filter(user=self.trainee, lesson=self.lesson).order_by("number")),
            extra=progress.extra_quiz_attempts if progress else 0,
            history=history.entries(progress) if progress else [],
            **kwargs,
        )

    def post(self, request, *args, **kwargs):
        form = QuizAttemptGrantForm(request.POST)
        if form.is_valid():
            try:
                services.grant_quiz_attempts(
                    trainee=self.trainee,
                    lesson=self.lesson,
                    count=form.cleaned_data["count"],
                    reason=form.cleaned_data["reason"],
                    by=request.user,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s has %(count)s more attempts at “%(lesson)s” and has been told.")
                    % {
                        "name": self.trainee.display_name,
                        "count": form.cleaned_data["count"],
                        "lesson": self.lesson.title,
                    },
                )
                return redirect("courses_quiz_attempts")
        return self.render_to_response(self.get_context_data(form=form), status=400)
