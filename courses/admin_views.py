"""The office's course figures in the Wagtail admin, with CSV export."""

from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView

from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from core import exports
from core.office import OfficeRequiredMixin
from courses import reports
from courses.models import CoursePage


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
