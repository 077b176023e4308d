from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "core"
    verbose_name = _("People and places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import choices, pages, roles
        from .models import ProductCategory, Township, Village

        pages.connect()
        choices.connect()
        choices.track(Township, Village, ProductCategory)
        roles.connect()

        # Role permissions are synced after every migrate, so permissions of models added by
        # later apps reach the groups without a data migration in each app.
        post_migrate.connect(roles.sync_role_permissions_handler)
