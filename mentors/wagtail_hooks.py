"""Wagtail registration of the mentors app: admin views, hooks for courses and /me/, role permissions."""

from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.views import generic
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.admin.viewsets.model import ModelViewSet

from core import roles
from core.admin_tables import yes_no
from core.export_jobs import TableExportMixin
from core.me import MeSection
from core.office import OfficeMenuItem
from mentors.selectors.mentor_area import review_queue
from mentors.selectors.relations import is_mentor_of

from . import admin_views, exports
from .admin_forms import MentorCreateForm, MentorProfileForm
from .models import CheckIn, MentorAssignment, MentorProfile, Skill


class MentorIndexView(TableExportMixin, generic.IndexView):
    export_table = exports.MENTORS
    queryset = MentorProfile.objects.select_related("user")  # each row names its mentor


class MentorProfileViewSet(ModelViewSet):
    model = MentorProfile
    name = "mentor_profiles"
    url_prefix = "mentors/profiles"
    icon = "user"
    menu_label = gettext_lazy("Mentors")
    add_view_class = admin_views.MentorCreateView
    list_display = ["user", "capacity", yes_no(MentorProfile, "is_active")]
    list_filter = ["is_active", "townships", "expertise"]
    search_fields = ["user__real_name", "user__email", "user__phone", "bio"]
    ordering = ["-is_active", "user__real_name"]
    index_view_class = MentorIndexView
    list_export = exports.MENTORS.names
    export_headings = exports.MENTORS.headings
    export_filename = "mentors"

    def get_form_class(self, for_update=False):
        return MentorProfileForm if for_update else MentorCreateForm


class SkillViewSet(ModelViewSet):
    model = Skill
    name = "mentor_skills"
    url_prefix = "mentors/skills"
    icon = "pick"
    menu_label = gettext_lazy("Skills")
    form_fields = ["name", "name_en", "slug", "sort_order"]
    list_display = ["name", "name_en", "slug", "sort_order"]


class CheckInIndexView(TableExportMixin, generic.IndexView):
    export_table = exports.CHECKINS
    queryset = CheckIn.objects.select_related("mentor", "trainee")
    # A listing to read and export: check-ins are logged by mentors (mentors.services.checkins).
    add_url_name = edit_url_name = delete_url_name = None

    def user_has_permission(self, permission):
        return permission == "view" and super().user_has_permission(permission)


class CheckInViewSet(ModelViewSet):
    model = CheckIn
    name = "mentor_checkins"
    url_prefix = "mentors/check-ins"
    icon = "comment"
    menu_label = gettext_lazy("Check-ins")
    index_view_class = CheckInIndexView
    list_display = ["date", "mentor", "trainee", "channel"]
    list_filter = ["channel", "date"]
    search_fields = ["mentor__real_name", "trainee__real_name", "notes"]
    ordering = ["-date", "-pk"]
    list_export = exports.CHECKINS.names
    export_headings = exports.CHECKINS.headings
    export_filename = "check-ins"
    form_fields = ["notes"]  # no form is served; Wagtail's viewset wants the fields named

    def get_index_view_kwargs(self, **kwargs):
        return {
            **super().get_index_view_kwargs(**kwargs),
            "add_url_name": None,
            "edit_url_name": None,
            "delete_url_name": None,
        }

    def register_admin_url_finder(self):
        pass  # no edit page to link a check-in to (the users' usage page would look for one)

    def get_urlpatterns(self):
        return [
            path("", self.index_view, name="index"),
            path("results/", self.index_results_view, name="index_results"),
        ]


class AssignmentViewSet(ViewSet):
    name = "mentor_assignment"
    url_prefix = "mentors/assign"
    icon = "group"
    menu_label = gettext_lazy("Assign mentors")

    @property
    def menu_item_class(self):
        return OfficeMenuItem

    def get_urlpatterns(self):
        return [
            path("", admin_views.GroupIndexView.as_view(), name="index"),
            path("groups/<str:key>/", admin_views.GroupDetailView.as_view(), name="group"),
            path("groups/<str:key>/propose/", admin_views.ProposeView.as_view(), name="propose"),
            path("trainees/<int:trainee_id>/", admin_views.AssignView.as_view(), name="assign"),
        ]


class RecommendationViewSet(ViewSet):
    name = "mentor_recommendations"
    url_prefix = "mentors/recommendations"
    icon = "success"
    menu_label = gettext_lazy("Graduation recommendations")

    @property
    def menu_item_class(self):
        return OfficeMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.RecommendationIndexView.as_view(), name="index")]


class InvitationViewSet(ViewSet):
    name = "mentor_invitations"
    url_prefix = "mentors/invitations"
    icon = "mail"
    menu_label = gettext_lazy("Mentor invitations")

    @property
    def menu_item_class(self):
        return OfficeMenuItem

    def get_urlpatterns(self):
        return [path("", admin_views.InvitationIndexView.as_view(), name="index")]


# The instances the group registers: the exports read their listings again in a task.
mentor_profiles = MentorProfileViewSet()
checkins = CheckInViewSet()


class MentoringGroup(ViewSetGroup):
    menu_label = gettext_lazy("Mentoring")
    menu_icon = "group"
    menu_order = 250
    items = (mentor_profiles, InvitationViewSet, AssignmentViewSet, RecommendationViewSet, checkins, SkillViewSet)


@hooks.register("register_admin_viewset")
def register_mentoring():
    return MentoringGroup()


@hooks.register("register_role_permissions")
def mentor_permissions():
    return {
        roles.OFFICE: [
            f"mentors.{action}_{model}"
            for model in ("mentorprofile", "skill", "mentorassignment", "checkin", "graduationrecommendation")
            for action in ("add", "change", "view")
        ]
        + ["mentors.delete_skill", "mentors.view_mentorinvitation"],
    }


@hooks.register("courses_can_view_submission")
def mentor_can_view_submission(user, submission) -> bool:
    """The submitter's current mentor may see the submission and its files; a former one no longer."""
    return roles.is_mentor(user) and is_mentor_of(mentor=user, trainee=submission.user_id, current_only=True)


@hooks.register("register_me_section")
def mentor_area_section(request):
    if not roles.is_mentor(request.user):
        return None
    pending = review_queue(mentor=request.user).count()
    return MeSection(
        title=_("Mentor area"),
        url=reverse("mentors:dashboard"),
        description=_("Your trainees, their progress and the tasks awaiting your review."),
        badge=str(pending) if pending else "",
        order=20,
    )


@hooks.register("register_me_section")
def my_mentor_section(request):
    assignment = MentorAssignment.objects.active().filter(trainee=request.user).select_related("mentor").first()
    if assignment is None:
        return None
    return MeSection(
        title=_("My mentor"),
        url=reverse("mentors:my_mentor"),
        description=_("%(name)s: how to reach them and your next steps.") % {"name": assignment.mentor.display_name},
        order=40,
    )


@hooks.register("register_demo_seed")
def mentors_demo_seed():
    from .demo import seed

    return (40, seed)


@hooks.register("register_export_tables")
def mentors_export_tables():
    return exports.EXPORT_TABLES
