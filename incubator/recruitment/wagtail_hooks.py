import django_filters

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.menu import Menu, SubmenuMenuItem
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView as SnippetIndexView
from wagtail.snippets.views.snippets import SnippetViewSet

from core import roles
from core.admin_tables import yes_no
from core.choices import township_choices
from core.export_jobs import TableExportMixin
from core.home import HomeSection
from core.me import MeSection
from core.office import OfficeMenuItem
from core.search.records import RecordSearchMixin
from incubator.recruitment import admin_urls, exports, page_serving, selectors
from incubator.recruitment.models import Application, ApplicationDraft, Cohort, TraineeProfile
from incubator.recruitment.services.trainees import enroll_cohort_in_new_courses


class CohortViewSet(SnippetViewSet):
    model = Cohort
    icon = "group"
    menu_label = gettext_lazy("Cohorts")
    add_to_admin_menu = False
    list_display = ["name", "campaign", "starts_on", "ends_on", yes_no(Cohort, "requires_shop")]
    list_filter = ["campaign", "requires_shop"]
    search_fields = ["name"]
    panels = [
        FieldPanel("campaign"),
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")]),
        FieldPanel("required_courses", widget=forms.CheckboxSelectMultiple),
        FieldPanel("requires_shop"),
    ]


class TraineeFilterSet(WagtailFilterSet):
    # The person's township (their profile's village, else their account's) and cohort year:
    # what the dashboard's funnel counts by, so an export of a funnel's figure has its people.
    township = django_filters.ChoiceFilter(
        label=gettext_lazy("Township"), choices=township_choices, method="in_township"
    )
    year = django_filters.NumberFilter(label=gettext_lazy("Cohort year"), field_name="cohort__starts_on__year")

    class Meta:
        model = TraineeProfile
        fields = ["stage", "cohort", "poor_household"]

    def in_township(self, queryset, name, value):
        return queryset.filter(selectors.person_township_q(value, user_path="user")) if value else queryset


class TraineeIndexView(RecordSearchMixin, TableExportMixin, SnippetIndexView):
    export_table = exports.TRAINEES
    phone_search_fields = ["user__phone"]


class TraineeProfileViewSet(SnippetViewSet):
    model = TraineeProfile
    icon = "user"
    menu_label = gettext_lazy("Trainees")
    add_to_admin_menu = False
    inspect_view_enabled = True
    list_display = ["user", "cohort", "stage", "village", "stage_changed_at"]
    filterset_class = TraineeFilterSet
    search_fields = ["user__real_name"]  # and the phone's digits (TraineeIndexView)
    index_view_class = TraineeIndexView
    list_export = exports.TRAINEES.names
    export_headings = exports.TRAINEES.headings
    export_filename = "trainees"
    # The stage and cohort change only through services (change_stage, add_to_cohort).
    panels = [
        FieldPanel("village"),
        FieldPanel("products", widget=forms.CheckboxSelectMultiple),
        FieldPanel("poor_household"),
    ]

    def get_queryset(self, request):
        return TraineeProfile.objects.select_related("user", "cohort", "village__township")


register_snippet(CohortViewSet)
register_snippet(TraineeProfileViewSet)


@hooks.register("before_create_snippet")
def trainee_profiles_come_from_cohorts(request, model):
    if model is TraineeProfile:
        messages.warning(request, _("Trainees are created by adding accepted applicants to a cohort."))
        return redirect("recruitment_admin:application_index")
    return None


@hooks.register("after_create_snippet")
@hooks.register("after_edit_snippet")
def enrol_cohort_in_required_courses(request, instance):
    if isinstance(instance, Cohort):
        enroll_cohort_in_new_courses(cohort=instance)


@hooks.register("register_page_listing_more_buttons")
def campaign_page_buttons(page, user, next_url=None):
    from wagtail.admin.widgets import Button

    from incubator.recruitment.models import RecruitmentCampaignPage

    if page.specific_class is not RecruitmentCampaignPage or not user.has_perm("recruitment.view_application"):
        return
    yield Button(
        _("Applications"),
        reverse("recruitment_admin:application_index") + f"?campaign={page.pk}",
        icon_name="form",
        priority=90,
    )
    yield Button(
        _("Campaign figures"),
        reverse("recruitment_admin:campaign_figures", args=[page.pk]),
        icon_name="table",
        priority=91,
    )


@hooks.register("register_admin_urls")
def recruitment_admin_urls():
    return [path("recruitment/", include((admin_urls.urlpatterns, "recruitment_admin"), namespace="recruitment_admin"))]


@hooks.register("register_admin_menu_item")
def recruitment_menu():
    items = [
        OfficeMenuItem(
            gettext_lazy("Applications"),
            reverse("recruitment_admin:application_index"),
            icon_name="form",
            order=100,
            permission="recruitment.view_application",
        ),
        OfficeMenuItem(
            gettext_lazy("Campaign figures"),
            reverse("recruitment_admin:campaign_index"),
            icon_name="table",
            order=200,
            permission="recruitment.view_application",
        ),
        OfficeMenuItem(
            gettext_lazy("Cohorts"),
            reverse("wagtailsnippets_recruitment_cohort:list"),
            icon_name="group",
            order=300,
            permission="recruitment.view_cohort",
        ),
        OfficeMenuItem(
            gettext_lazy("Trainees"),
            reverse("wagtailsnippets_recruitment_traineeprofile:list"),
            icon_name="user",
            order=400,
            permission="recruitment.view_traineeprofile",
        ),
        OfficeMenuItem(
            gettext_lazy("Import from a spreadsheet"),
            reverse("recruitment_admin:import"),
            icon_name="upload",
            order=500,
            permission="recruitment.add_application",
        ),
    ]
    return SubmenuMenuItem(gettext_lazy("Recruitment"), Menu(items=items), icon_name="form", order=250)


@hooks.register("register_role_permissions")
def recruitment_role_permissions():
    return {
        roles.OFFICE: [
            "recruitment.add_application",
            "recruitment.view_application",
            "recruitment.change_application",
            "recruitment.add_cohort",
            "recruitment.change_cohort",
            "recruitment.view_cohort",
            "recruitment.view_traineeprofile",
            "recruitment.change_traineeprofile",
        ]
    }


@hooks.register("register_signup_initial")
def signup_from_application_draft(request):
    return page_serving.draft_person(request)


@hooks.register("register_me_section")
def applications_section(request):
    count = (
        Application.objects.filter(applicant=request.user).count()
        + ApplicationDraft.objects.filter(applicant=request.user).count()
    )
    if not count:
        return None
    return MeSection(
        title=_("My applications"),
        url=reverse("recruitment:my_applications"),
        description=_("The status and history of your applications to recruitment campaigns, and your drafts."),
        badge=str(count),
        order=20,
    )


@hooks.register("register_home_section")
def open_campaigns_section(request):
    from incubator.recruitment.models import RecruitmentIndexPage

    campaigns = selectors.open_campaigns(limit=3)
    if not campaigns:
        return None
    index = RecruitmentIndexPage.objects.live().first()
    return HomeSection(
        template="recruitment/home_open_campaigns.html",
        context={"campaigns": campaigns, "index_url": index.url if index else "/recruit/"},
        order=10,
    )


@hooks.register("mentors_trainee_groups")
def cohort_groups():
    from core.models import User
    from mentors.groups import TraineeGroup

    groups = []
    for cohort in Cohort.objects.select_related("campaign").order_by("-starts_on", "name"):
        users = User.objects.filter(trainee_profile__cohort=cohort, trainee_profile__stage=TraineeProfile.Stage.TRAINEE)
        groups.append(
            TraineeGroup(key=f"cohort-{cohort.pk}", label=f"{cohort.name}（{cohort.campaign.title}）", users=users)
        )
    return groups


@hooks.register("register_demo_seed")
def recruitment_demo_seed():
    from incubator.recruitment.demo import seed

    return (30, seed)


@hooks.register("register_export_tables")
def recruitment_export_tables():
    return [exports.APPLICATIONS, exports.TRAINEES]
