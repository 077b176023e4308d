from django import template

from incubator.recruitment.models import Application, RecruitmentCampaignPage, TraineeProfile

register = template.Library()

STATE_CLASSES = {
    RecruitmentCampaignPage.State.OPEN: "status-ok",
    RecruitmentCampaignPage.State.NOT_YET_OPEN: "status-warn",
    RecruitmentCampaignPage.State.FULL: "status-err",
    RecruitmentCampaignPage.State.CLOSED: "",
}
STATUS_CLASSES = {
    Application.Status.ACCEPTED: "status-ok",
    Application.Status.SHORTLISTED: "status-warn",
    Application.Status.INFO_REQUESTED: "status-err",
    Application.Status.INTERVIEW: "status-warn",
    Application.Status.WAITLISTED: "status-warn",
    Application.Status.REJECTED: "status-err",
    Application.Status.WITHDRAWN: "",
    Application.Status.SUBMITTED: "",
}


@register.filter
def campaign_state_label(value):
    return RecruitmentCampaignPage.State(value).label if value else ""


@register.filter
def campaign_state_class(value):
    return STATE_CLASSES.get(value, "")


@register.filter
def application_status_label(value):
    return Application.Status(value).label if value else ""


@register.filter
def application_status_class(value):
    return STATUS_CLASSES.get(value, "")


@register.filter
def stage_label(value):
    return TraineeProfile.Stage(value).label if value else ""
