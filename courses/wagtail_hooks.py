"""Courses in the admin and on the shared pages (/me/, the home page), and their demo seed."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from core import roles
from core.home import HomeSection
from core.me import MeSection
from core.office import OfficeMenuItem
from courses import admin_views, selectors
from courses.models import CourseCategory, CourseIndexPage, CoursePage, TaskSubmission
from courses.page_serving import cover_prefetch


class CourseCategoryViewSet(SnippetViewSet):
    model = CourseCategory
    icon = "folder-open-inverse"
    menu_label = gettext_lazy("Course categories")
    menu_order = 310
    add_to_admin_menu = False
    list_display = ["name", "name_en", "slug", "sort_order"]
    search_fields = ["name", "name_en"]


register_snippet(CourseCategoryViewSet)


@hooks.register("register_admin_urls")
def course_report_urls():
    return [
        path("courses/figures/", admin_views.CourseReportView.as_view(), name="courses_report"),
        path("courses/figures/<int:pk>/", admin_views.CourseDetailReportView.as_view(), name="courses_report_detail"),
        path("courses/quiz-attempts/", admin_views.QuizAttemptsView.as_view(), name="courses_quiz_attempts"),
        path(
            "courses/quiz-attempts/<int:user_id>/<int:lesson_id>/",
            admin_views.GrantAttemptsView.as_view(),
            name="courses_grant_attempts",
        ),
    ]


@hooks.register("register_reports_menu_item")
def course_report_menu_item():
    return OfficeMenuItem(
        _("Course figures"),
        reverse("courses_report"),
        icon_name="list-ol",
        order=300,
        permission=admin_views.FIGURES_PERMISSION,
    )


@hooks.register("register_reports_menu_item")
def quiz_attempts_menu_item():
    return OfficeMenuItem(
        _("Quizzes out of attempts"),
        reverse("courses_quiz_attempts"),
        icon_name="help",
        order=310,
        permission=admin_views.GRANT_PERMISSION,
    )


@hooks.register("register_role_permissions")
def course_permissions():
    return {
        roles.OFFICE: [
            "courses.add_coursecategory",
            "courses.change_coursecategory",
            "courses.view_coursecategory",
            "courses.view_enrollment",
            "courses.view_tasksubmission",
            "courses.change_lessonprogress",
        ]
    }


# Course editors write lessons in the catalogue and submit them to the county office's review
# (core migration 0006); without publish_page they cannot publish.
COURSE_EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "view_revisions"]


@hooks.register("register_role_page_permissions")
def course_editor_page_permissions():
    return [(roles.COURSE_EDITOR, CourseIndexPage.objects.all(), COURSE_EDITOR_PAGE_PERMISSIONS)]


@hooks.register("register_me_section")
def my_learning_section(request):
    if not request.user.is_authenticated:
        return None
    waiting = TaskSubmission.objects.filter(user=request.user, status=TaskSubmission.Status.CHANGES_REQUESTED).count()
    return MeSection(
        title=_("My learning"),
        url=reverse("courses:my_learning"),
        description=_("Your courses and progress, the next lesson, tasks to redo and quiz results."),
        badge=str(waiting) if waiting else "",
        order=10,
    )


HOME_COURSE_COUNT = 4


@hooks.register("register_home_section")
def home_courses_section(request):
    catalogue = CourseIndexPage.objects.live().first()
    courses = list(
        CoursePage.objects.live()
        .public()
        .select_related("category")
        .prefetch_related(cover_prefetch())
        .order_by("-first_published_at")[:HOME_COURSE_COUNT]
    )
    continue_row = None
    progress = {}
    if request.user.is_authenticated:
        rows = selectors.learning_rows(user=request.user)
        continue_row = next((row for row in rows if row["next_lesson"] and not row["completion"].is_complete), None)
        progress = {row["course"].pk: row["completion"] for row in rows}
    if not courses and continue_row is None:
        return None
    return HomeSection(
        template="courses/home_section.html",
        context={
            "continue": continue_row,
            "rows": [{"course": course, "progress": progress.get(course.pk)} for course in courses],
            "catalogue_url": catalogue.get_url(request) if catalogue else "",
        },
        order=20,
    )


@hooks.register("register_demo_seed")
def courses_demo_seed():
    from courses.demo import seed

    return (20, seed)
