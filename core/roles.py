"""Roles are Django groups. Their permissions are declared here and by higher apps via a hook.

The groups themselves are created by a data migration (core 0002); the permissions are synced
after every migrate, so that each app's models reach the county office without an extra
migration per app. Higher apps add theirs with the `register_role_permissions` Wagtail hook,
returning {role: ["app_label.codename", ...]}.
"""

from django.contrib.auth.models import Group, Permission

from wagtail import hooks

from core import person

OFFICE = "County office"
MENTOR = "Mentor"
TRAINEE = "Trainee"
# Mentors who write lessons: they add and edit course and lesson pages and submit them to the
# county office's review (the workflow "县电商办审核", core migration 0006); they cannot publish.
COURSE_EDITOR = "Course editor"
ALL_ROLES = (OFFICE, MENTOR, TRAINEE, COURSE_EDITOR)

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
    COURSE_EDITOR: [
        "wagtailadmin.access_admin",
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
    ],
}
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "view_revisions"]
# Images, documents and media are checked per collection by Wagtail: these are granted on the
# root collection (core migration 0006 too), so the office's choosers offer an upload.
COLLECTION_PERMISSIONS = {
    OFFICE: [
        "wagtailimages.add_image",
        "wagtailimages.change_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.change_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
        "wagtailmedia.change_media",
    ],
    COURSE_EDITOR: [
        "wagtailimages.add_image",
        "wagtailimages.choose_image",
        "wagtaildocs.add_document",
        "wagtaildocs.choose_document",
        "wagtailmedia.add_media",
    ],
}


def role_names(user) -> frozenset:
    """The person's roles, read from the database once per request (core/person.py, in the one
    query of what a request asks about the person).

    Never cached between requests: a role taken away must be refused on the very next request,
    on every process, Redis or no Redis (docs/benchmarks.md, "Cache families").
    """
    if not user.is_authenticated:
        return frozenset()
    return person.fact(user, person.ROLE_NAMES)


def has_role(user, role: str) -> bool:
    return role in role_names(user)


def is_office(user) -> bool:
    return user.is_authenticated and (user.is_superuser or has_role(user, OFFICE))


def is_mentor(user) -> bool:
    return has_role(user, MENTOR)


def add_role(user, role: str) -> None:
    user.groups.add(Group.objects.get(name=role))
    person.forget(user, person.ROLE_NAMES, person.GROUP_PERMISSIONS)


def declared_permissions() -> dict[str, set[str]]:
    wanted = {role: set(perms) for role, perms in BASE_PERMISSIONS.items()}
    for fn in hooks.get_hooks("register_role_permissions"):
        for role, perms in fn().items():
            wanted.setdefault(role, set()).update(perms)
    return wanted


def _permission(dotted: str) -> Permission | None:
    app_label, codename = dotted.split(".", 1)
    return Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()


def declared_page_permissions() -> list[tuple[str, object, list[str]]]:
    """(role, pages, codenames) from the `register_role_page_permissions` hook: rights on parts of
    the page tree that exist only once the office has made them (the course catalogue)."""
    found = [(OFFICE, None, PAGE_PERMISSIONS)]  # None: the root of the tree
    for fn in hooks.get_hooks("register_role_page_permissions"):
        found.extend(fn())
    return found


def sync_page_permissions() -> None:
    """Grant the declared page permissions (adds only)."""
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for role, pages, codenames in declared_page_permissions():
        group, _ = Group.objects.get_or_create(name=role)
        for page in [root] if pages is None else list(pages):
            for codename in codenames:
                perm = _permission(f"wagtailcore.{codename}")
                if perm is not None:
                    GroupPagePermission.objects.get_or_create(group=group, page=page, permission=perm)


def sync_role_permissions() -> None:
    """Give each role group the permissions declared for it (adds only; never removes by hand-made grants)."""
    from wagtail.models import Collection, GroupCollectionPermission

    for role, perms in declared_permissions().items():
        group, _ = Group.objects.get_or_create(name=role)
        group.permissions.add(*[perm for perm in map(_permission, perms) if perm is not None])
    collection = Collection.get_first_root_node()
    if collection is not None:
        for role, perms in COLLECTION_PERMISSIONS.items():
            group, _ = Group.objects.get_or_create(name=role)
            for perm in map(_permission, perms):
                if perm is not None:
                    GroupCollectionPermission.objects.get_or_create(group=group, collection=collection, permission=perm)
    sync_page_permissions()


def sync_role_permissions_handler(sender, **kwargs):
    # post_migrate is sent once per app with models; act once, after the last, when every
    # app's permissions exist.
    from django.apps import apps

    with_models = [config for config in apps.get_app_configs() if config.models_module is not None]
    if with_models and sender.label == with_models[-1].label:
        sync_role_permissions()
