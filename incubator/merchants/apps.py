from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MerchantsConfig(AppConfig):
    name = "incubator.merchants"
    label = "merchants"
    verbose_name = _("Merchants")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from incubator.merchants import tallies

        tallies.connect()
