from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecruitmentConfig(AppConfig):
    name = "incubator.recruitment"
    label = "recruitment"
    verbose_name = _("Recruitment")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from core import choices

        from .models import Cohort, RecruitmentCampaignPage

        # The office's filters list campaigns and cohorts from the cache (core.choices).
        choices.track(Cohort, RecruitmentCampaignPage)
