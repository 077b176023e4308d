"""The doors: one way in through allauth, two-factor for the office, the browser's security policies.

- Wagtail's own login forms (`/admin/login/`, the private pages' `/_util/login/`) are never
  reached: their addresses send the person to allauth's login, so that allauth's rate limits,
  phone verification and second factor hold on every door (incubator/urls.py wires these).
- A page protected by a shared password (a Wagtail view restriction) is guessed at most
  `page_password` times (ACCOUNT_RATE_LIMITS) per visitor.
- Office staff and superusers without a second factor are sent to set one up before any admin
  page answers, when STAFF_MFA_REQUIRED is on.
- Content-Security-Policy: enforced outside the admin, report-only on it; Permissions-Policy on
  every response; violation reports logged.
"""

import json
import logging

from allauth.core import ratelimit
from csp.middleware import CSPMiddleware

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.http import HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from wagtail import views as wagtail_views
from wagtail.documents.views import serve as wagtail_document_views

from core import person, roles

logger = logging.getLogger("incubator.security")

MFA_REQUIRED = _(
    "Office staff must use a second factor. Set up an authenticator app or a security key, then open the admin again."
)
PAGE_PASSWORD_LIMITED = _("Too many wrong passwords for this page. Please wait a minute and try again.")
CSP_REPORT_MAX_BYTES = 16 * 1024


def login_through_allauth(request, *args, **kwargs):
    """Wagtail's login addresses: a redirect to allauth's login, keeping where the person was going.

    A POST (a script posting a password to the old form) is redirected too and never checked.
    """
    return redirect_to_login(request.GET.get("next") or reverse("wagtailadmin_home"), reverse("account_login"))


def _limit_shared_password(view, kind: str):
    """Wagtail's form for a page or a collection of documents behind a shared password, with
    allauth's `page_password` rate limit in front (per visitor and per restriction)."""

    def limited(request, *args, **kwargs):
        if request.method == "POST":
            key = f"{kind}:{next(iter(kwargs.values()), '')}"
            if not ratelimit.consume(request, action="page_password", key=key):
                return HttpResponse(PAGE_PASSWORD_LIMITED, status=429, content_type="text/plain; charset=utf-8")
        return view(request, *args, **kwargs)

    limited.__name__ = limited.__qualname__ = f"authenticate_with_{kind}_password"
    limited.__module__ = __name__
    return limited


authenticate_with_page_password = _limit_shared_password(wagtail_views.authenticate_with_password, "page")
authenticate_with_document_password = _limit_shared_password(
    wagtail_document_views.authenticate_with_password, "document"
)


def has_second_factor(user) -> bool:
    # Asked by the middleware and by the admin home's panel: read once per request, with the
    # person's roles (core/person.py).
    return person.fact(user, person.SECOND_FACTOR)


def needs_second_factor(user) -> bool:
    """True for everyone who works in the admin (office staff, superusers, course editors) without
    a second factor while STAFF_MFA_REQUIRED is on: an editor's password publishes lessons too."""
    if not settings.STAFF_MFA_REQUIRED or not user.is_authenticated:
        return False
    if not (roles.is_office(user) or roles.has_role(user, roles.COURSE_EDITOR)):
        return False
    return not has_second_factor(user)


class StaffMFARequiredMiddleware:
    """No admin page answers an office member without a second factor: they are sent to set one up."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        path = request.path_info
        if (
            path.startswith(settings.CSP_ADMIN_PREFIXES)
            and path != reverse("wagtailadmin_logout")
            and needs_second_factor(request.user)
        ):
            messages.warning(request, MFA_REQUIRED)
            return redirect("mfa_index")
        return self.get_response(request)


class SecurityHeadersMiddleware(CSPMiddleware):
    """django-csp with the enforced policy outside the admin and the report-only one on it."""

    def process_response(self, request, response):
        if not request.path_info.startswith(settings.CSP_ADMIN_PREFIXES):
            response._csp_exempt_ro = True
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return super().process_response(request, response)


@csrf_exempt  # browsers send reports without a token; nothing is changed but the log
@require_POST
def csp_report(request):
    """Browsers' Content-Security-Policy violation reports, written to the log (bounded in size and rate)."""
    if not ratelimit.consume(request, action="csp_report"):
        return HttpResponse(status=429)
    body = request.body[:CSP_REPORT_MAX_BYTES]
    try:
        report = json.loads(body.decode("utf-8")).get("csp-report", {})
    except (ValueError, AttributeError):
        return HttpResponse(status=400)
    logger.warning(
        "CSP violation: %s blocked %s on %s",
        str(report.get("violated-directive", ""))[:100],
        str(report.get("blocked-uri", ""))[:200],
        str(report.get("document-uri", ""))[:200],
    )
    return HttpResponse(status=204)
