"""Roles are Django groups. Their permissions are declared here and by higher apps via a hook.

The groups themselves are created by a data migration (core 0002); the permissions are synced
after every migrate, so that each app's models reach the county office without an extra
migration per app. Higher apps add theirs with the `register_role_permissions` Wagtail hook,
returning {role: ["app_label.codename", ...]}.
"""

from django.contrib.auth.models import Group, Permission

from wagtail import hooks

OFFICE = "County office"
MENTOR = "Mentor"
TRAINEE = "Trainee"
ALL_ROLES = (OFFICE, MENTOR, TRAINEE)

BASE_PERMISSIONS = {
    OFFICE: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
        "wagtailmedia.change_media",
        "core.add_township",
        "core.change_township",
        "core.view_township",
        "core.add_village",
        "core.change_village",
        "core.view_village",
        "core.add_productcategory",
        "core.change_productcategory",
        "core.view_productcategory",
        "core.view_user",
    ],
    MENTOR: [],
    TRAINEE: [],
}
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "view_revisions"]


def role_names(user) -> frozenset:
    """The person's roles, read from the database once per request (kept on the user object).

    Never cached between requests: a role taken away must be refused on the very next request,
    on every process, Redis or no Redis (docs/benchmarks.md, "Cache families": one query).
    """
    if not user.is_authenticated:
        return frozenset()
    names = getattr(user, "_role_names", None)
    if names is None:
        names = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = names
    return names


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_office(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, OFFICE))


def is_mentor(user) -> bool:
    return has_role(user, MENTOR)


def add_role(user, role: str) -> None:
    user.groups.add(Group.objects.get(name=role))
    if hasattr(user, "_role_names"):
        del user._role_names


def declared_permissions() -> dict[str, set[str]]:
    wanted = {role: set(perms) for role, perms in BASE_PERMISSIONS.items()}
    for fn in hooks.get_hooks("register_role_permissions"):
        for role, perms in fn().items():
            wanted.setdefault(role, set()).update(perms)
    return wanted


def sync_role_permissions() -> None:
    """Give each role group the permissions declared for it (adds only; never removes by hand-made grants)."""
    from wagtail.models import GroupPagePermission, Page

    for role, perms in declared_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:
                wanted.append(perm)
        group.permissions.add(*wanted)
    root = Page.get_first_root_node()
    if root is not None:
        office = Group.objects.get(name=OFFICE)
        for codename in PAGE_PERMISSIONS:
            perm = Permission.objects.filter(content_type__app_label="wagtailcore", codename=codename).first()
            if perm is not None:
                GroupPagePermission.objects.get_or_create(group=office, page=root, permission=perm)


def sync_role_permissions_handler(sender, **kwargs):
    # post_migrate is sent once per app with models; act once, after the last, when every
    # app's permissions exist.
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.label == with_models[-1].label:
        sync_role_permissions()
