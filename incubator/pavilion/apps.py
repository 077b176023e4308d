from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PavilionConfig(AppConfig):
    name = "incubator.pavilion"
    label = "pavilion"
    verbose_name = _("Specialty pavilion")
    default_auto_field = "django.db.models.BigAutoField"
