from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperativesConfig(AppConfig):
    name = "incubator.cooperatives"
    label = "cooperatives"
    verbose_name = _("Cooperatives and households")
    default_auto_field = "django.db.models.BigAutoField"
