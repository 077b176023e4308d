import logging
import uuid

from celery import current_app

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.http import HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from core import history, notifications
from core.forms import ProfileForm
from core.me import sections_for
from core.middleware import SUPPORTED
from core.models import Notification

logger = logging.getLogger(__name__)


def _check_database():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _check_cache():
    # A value of this request's own: another node's earlier "ok" must not hide a failed write
    # (ResilientRedisCache answers a write as done and a read as a miss while Redis is away).
    token = uuid.uuid4().hex
    cache.set("healthz", token, 10)
    if cache.get("healthz") != token:
        raise RuntimeError("cache did not return the value just stored")


def _check_broker():
    # The app Django started with (incubator/__init__.py), without importing the project package.
    with current_app.connection_for_write() as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def health_checks():
    """Each dependency's check and whether the site needs it to answer at all.

    Only the database is required: while Redis is away the cache answers as empty
    (core.cache.ResilientRedisCache) and tasks are swept up again once the broker is back, so a
    node is degraded, not down; taking every node out of rotation would not bring Redis back.
    """
    checks = {"database": (_check_database, True), "cache": (_check_cache, False)}
    if getattr(settings, "HEALTHZ_CHECK_BROKER", False):
        checks["broker"] = (_check_broker, False)
    return checks


@never_cache
def healthz_live(request):
    """Liveness, for the load balancer: this process answers. Touches no database, cache or broker."""
    return JsonResponse({"status": "ok"})


# The floor of `make bench` (docs/benchmarks.md): the cost of a request through every middleware
# of settings.MIDDLEWARE with no work of its own, against which each page is read. Constant, and
# the same for everyone: it tells nothing and costs less than a 404 (which reads the redirects).
FLOOR_BODY = "ok\n"


@never_cache
def floor(request):
    """A constant answer through the whole middleware stack: no database, no cache, no template.
    Under /healthz, which the public page cache never looks up (core/pagecache.py)."""
    return HttpResponse(FLOOR_BODY, content_type="text/plain; charset=utf-8")


@never_cache
def healthz_ready(request):
    """Readiness: each dependency's state ("ok" or "down"). 503 when a required one (the
    database) is down; "degraded" with 200 when only the cache or the broker is."""
    results, failed, status = {}, [], "ok"
    for name, (check, required) in health_checks().items():
        try:
            check()
        except Exception as exc:
            logger.error("health check %s failed: %s", name, exc)
            results[name] = "down"
            failed.append(name)
            if required:
                status = "fail"
            elif status == "ok":
                status = "degraded"
        else:
            results[name] = "ok"
    return JsonResponse(
        {"status": status, "checks": results, "failed": failed}, status=503 if status == "fail" else 200
    )


@login_required
def me(request):
    recent = Notification.objects.filter(recipient=request.user)[:5]
    return render(request, "core/me.html", {"sections": sections_for(request), "recent_notifications": recent})


@login_required
def notification_list(request):
    qs = Notification.objects.filter(recipient=request.user)
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    return render(request, "core/notification_list.html", {"page_obj": page})


@login_required
@require_POST
def notifications_mark_read(request):
    ids = request.POST.getlist("id")
    changed = notifications.mark_read(user=request.user, notification_ids=[int(i) for i in ids if i.isdigit()] or None)
    if changed:
        messages.success(request, _("Marked as read."))
    return redirect("core:notifications")


@login_required
def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, _("Your profile has been saved."))
        response = redirect("core:profile")
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            request.user.preferred_language,
            max_age=settings.LANGUAGE_COOKIE_AGE,
            samesite="Lax",
        )
        return response
    # The corrections others made (the county office, with their reasons), newest first.
    return render(request, "core/profile.html", {"form": form, "history": history.entries(request.user)})


@csrf_exempt
@require_POST
def set_language(request):
    """The language switcher: remembered in a cookie and, for a signed-in person, in their profile.

    Exempt from CSRF on purpose: a forged switch changes nothing but the language, and keeping
    the token out of the footer lets anonymous pages be cached whole (core.pagecache).
    """
    language = request.POST.get("language")
    next_url = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    response = HttpResponseRedirect(next_url)
    if language in SUPPORTED:
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE, samesite="Lax"
        )
        if request.user.is_authenticated and request.user.preferred_language != language:
            request.user.preferred_language = language
            request.user.save(update_fields=["preferred_language"])
    return response
