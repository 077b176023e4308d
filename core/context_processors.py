from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext_lazy as _

from core import notifications, roles
from core.middleware import person_marker


def _nav_items(request):
    user = request.user
    items = [
        {"url": "/", "label": _("Home")},
        {"url": "/courses/", "label": _("Courses")},
        {"url": "/recruit/", "label": _("Recruitment")},
        {"url": "/merchants/", "label": _("Merchants")},
    ]
    if user.is_authenticated:
        items.append({"url": "/me/", "label": _("My area")})
        if roles.is_mentor(user):
            items.append({"url": "/mentor/", "label": _("Mentor area")})
        if roles.is_office(user):
            items.append({"url": "/admin/", "label": _("Office admin")})
    path = request.path
    for item in items:
        item["current"] = path == item["url"] if item["url"] == "/" else path.startswith(item["url"])
    return items


def site_nav(request):
    """Navigation that changes with the person's role; figures evaluated only if a template asks."""
    if not hasattr(request, "user"):
        return {}
    user = request.user
    return {
        "nav_items": SimpleLazyObject(lambda: _nav_items(request)),
        "unread_notifications": SimpleLazyObject(lambda: notifications.unread_count(user)),
        # Read by static/js/app.js (see core.middleware.PrivatePagesMiddleware).
        "person_marker": person_marker(user),
    }
