"""Who may use the county office's admin pages: one rule, one guard for views, one menu item.

The rule: a person holding the Office role (or a superuser) and, where a page names one, the
Django permission it needs (the Office role is granted those through `register_role_permissions`).
Every admin view of ours is guarded by `office_required` or `OfficeRequiredMixin`, and every admin
menu item of ours is an `OfficeMenuItem`, so a menu shows exactly the pages a person may open.
"""

from functools import wraps

from django.core.exceptions import PermissionDenied

from wagtail.admin.menu import MenuItem

from core import roles


def is_office_staff(user, permission: str | None = None) -> bool:
    """True for the county office (Office role or superuser) holding `permission`, when one is named."""
    if not roles.is_office(user):
        return False
    return permission is None or user.has_perm(permission)


def office_required(view=None, *, permission: str | None = None):
    """Guard a function view: anyone but office staff (with `permission`) gets 403.

    Use bare (`@office_required`) or with a permission (`@office_required(permission="app.view_x")`).
    """

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not is_office_staff(request.user, permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator(view) if view is not None else decorator


class OfficeRequiredMixin:
    """Guard a class-based view like `office_required`; set `office_permission` to require one."""

    office_permission: str | None = None

    def dispatch(self, request, *args, **kwargs):
        if not is_office_staff(request.user, self.office_permission):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeMenuItem(MenuItem):
    """An admin menu item shown to office staff only (holding `permission`, when one is named)."""

    def __init__(self, *args, permission: str | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request):
        return is_office_staff(request.user, self.permission)
