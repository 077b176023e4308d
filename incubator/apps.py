from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IncubatorConfig(AppConfig):
    """The site itself: home and content pages, the demo county, and the project wiring."""

    name = "incubator"
    label = "incubator"
    verbose_name = _("Site")
    default_auto_field = "django.db.models.BigAutoField"
