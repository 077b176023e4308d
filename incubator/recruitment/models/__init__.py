from .applications import RUBRIC, RUBRIC_MAX, Application, ApplicationEvent, ApplicationNote
from .cohorts import Cohort, StageChange, TraineeProfile
from .pages import CampaignQuestion, RecruitmentCampaignPage, RecruitmentIndexPage

__all__ = [
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
