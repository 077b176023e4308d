"""Wagtail registration of the outreach app: its admin screens and menu, the /me/ section of a
trainee's classes, the missed-classes risk for the mentors app, role permissions and the demo."""

from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from wagtail import hooks
from wagtail.admin.menu import Menu, SubmenuMenuItem

from core import roles
from core.me import MeSection
from core.office import OfficeMenuItem
from incubator.outreach import admin_urls
from incubator.outreach.selectors.classes import attendance_of, missed_classes_rule


@hooks.register("register_admin_urls")
def outreach_admin_urls():
    return [path("outreach/", include((admin_urls.urlpatterns, "outreach_admin"), namespace="outreach_admin"))]


@hooks.register("register_admin_menu_item")
def outreach_menu():
    items = [
        OfficeMenuItem(
            gettext_lazy("Trainees at risk"),
            reverse("outreach_admin:at_risk"),
            icon_name="warning",
            order=100,
            permission="recruitment.view_traineeprofile",
        ),
        OfficeMenuItem(
            gettext_lazy("Mentors' check-ins"),
            reverse("outreach_admin:contacts"),
            icon_name="time",
            order=200,
            permission="recruitment.view_traineeprofile",
        ),
        OfficeMenuItem(
            gettext_lazy("Group messages"),
            reverse("outreach_admin:message_index"),
            icon_name="mail",
            order=300,
            permission="outreach.view_groupmessage",
        ),
        OfficeMenuItem(
            gettext_lazy("Offline classes"),
            reverse("outreach_admin:class_index"),
            icon_name="date",
            order=400,
            permission="outreach.view_classsession",
        ),
    ]
    return SubmenuMenuItem(gettext_lazy("Supervision"), Menu(items=items), icon_name="view", order=260)


@hooks.register("mentors_risk_rules")
def missed_classes():
    return missed_classes_rule()


# The latest classes on the mentor's page of a trainee: the missed-classes risk, with its detail.
TRAINEE_PANEL_CLASSES = 10


@hooks.register("mentors_trainee_panels")
def trainee_attendance_panel(request, trainee):
    """The trainee's attendance at their cohort's latest classes, on their mentor's page of them."""
    attendance = attendance_of(user=trainee)[:TRAINEE_PANEL_CLASSES]
    if not attendance:
        return None
    missed = sum(1 for _session, status, _label in attendance if status == "absent")
    return "outreach/includes/trainee_attendance_panel.html", {"attendance": attendance, "missed": missed}


@hooks.register("register_me_section")
def my_classes_section(request):
    from incubator.outreach.models import ClassSession

    if not ClassSession.objects.filter(cohort__trainees__user=request.user).exists():
        return None
    return MeSection(
        title=_("My classes"),
        url=reverse("outreach:my_classes"),
        description=_("Offline classes of your cohort and whether you attended."),
        order=35,
    )


@hooks.register("register_role_permissions")
def outreach_permissions():
    return {
        roles.OFFICE: [
            "outreach.view_classsession",
            "outreach.add_classsession",
            "outreach.change_classsession",
            "outreach.view_attendance",
            "outreach.change_attendance",
            "outreach.view_groupmessage",
            "outreach.add_groupmessage",
        ],
    }


@hooks.register("register_demo_seed")
def outreach_demo_seed():
    from incubator.outreach.demo import seed

    return (45, seed)


@hooks.register("mentors_area_tabs")
def mentor_classes_tab():
    return ("classes", gettext_lazy("My classes"), reverse("outreach:mentor_classes"))


@hooks.register("mentors_area_tabs")
def mentor_messages_tab():
    return ("messages", gettext_lazy("Group messages"), reverse("outreach:mentor_messages"))
