from .applications import APPLICATION_TRANSITIONS, RUBRIC, RUBRIC_MAX, Application, ApplicationEvent, ApplicationNote
from .cohorts import STAGE_TRANSITIONS, Cohort, StageChange, TraineeProfile
from .pages import CampaignQuestion, RecruitmentCampaignPage, RecruitmentIndexPage

__all__ = [
    "APPLICATION_TRANSITIONS",
    "STAGE_TRANSITIONS",
    "RUBRIC",
    "RUBRIC_MAX",
    "Application",
    "ApplicationEvent",
    "ApplicationNote",
    "CampaignQuestion",
    "Cohort",
    "RecruitmentCampaignPage",
    "RecruitmentIndexPage",
    "StageChange",
    "TraineeProfile",
]
