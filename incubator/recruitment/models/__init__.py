from .applications import APPLICATION_TRANSITIONS, RUBRIC, RUBRIC_MAX, Application, ApplicationEvent, ApplicationNote
from .cohorts import STAGE_TRANSITIONS, Cohort, StageChange, TraineeProfile
from .pages import CampaignQuestion, RecruitmentCampaignPage, RecruitmentIndexPage
from .review import ApplicationDraft, InformationRequest, ReviewerAssignment, ReviewScore

__all__ = [
    "APPLICATION_TRANSITIONS",
    "STAGE_TRANSITIONS",
    "RUBRIC",
    "RUBRIC_MAX",
    "Application",
    "ApplicationDraft",
    "ApplicationEvent",
    "ApplicationNote",
    "CampaignQuestion",
    "Cohort",
    "InformationRequest",
    "RecruitmentCampaignPage",
    "RecruitmentIndexPage",
    "ReviewScore",
    "ReviewerAssignment",
    "StageChange",
    "TraineeProfile",
]
