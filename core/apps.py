from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

from wagtail.users.apps import WagtailUsersAppConfig


class CoreConfig(AppConfig):
    default = True  # core.apps also holds UsersConfig (Wagtail's user admin), named in INSTALLED_APPS
    name = "core"
    verbose_name = _("People and places")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from . import admin_tables, cache_families, exports, roles, users_admin

        exports.route_wagtail_exports()
        # Wagtail's admin in words people read: yes/no, and people by name (core/admin_tables.py, users_admin.py).
        admin_tables.inspect_booleans_in_words()
        users_admin.name_people_in_reports()
        # Chinese in the search index cut into pairs of characters (core/search, docs/search.md).
        from .search.fields import segment_indexed_models

        segment_indexed_models()
        # The one place cache invalidation is wired: every family declared in cache_families.
        cache_families.connect()
        # Wagtail's site for a request, with its query built once per process (core/sites.py).
        from .sites import answer_wagtails_site_lookups

        answer_wagtails_site_lookups()
        # The admin's sidebar packed without the media it throws away (core/sidebar.py).
        from .sidebar import pack_sidebars_without_media

        pack_sidebars_without_media()

        from django.contrib.auth.signals import user_logged_in

        from .middleware import note_office_sign_in

        user_logged_in.connect(note_office_sign_in, dispatch_uid="core-office-idle-clock")

        # Role permissions are synced after every migrate, so permissions of models added by
        # later apps reach the groups without a data migration in each app.
        post_migrate.connect(roles.sync_role_permissions_handler)


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with people named by real name, phone and email (core/users_admin.py)."""

    user_viewset = "core.users_admin.UserViewSet"
