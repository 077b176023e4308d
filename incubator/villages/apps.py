from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VillagesConfig(AppConfig):
    name = "incubator.villages"
    label = "villages"
    verbose_name = _("Villages")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incubator.villages import signals

        signals.connect()
