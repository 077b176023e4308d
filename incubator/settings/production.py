"""Production: PostgreSQL, Redis cache and broker, SMTP, HTTPS. Everything from the environment."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import env, env_bool

DEBUG = False
if not SECRET_KEY:  # noqa: F405
    raise ImproperlyConfigured("SECRET_KEY must be set in the environment for production.")
# A per-process memory cache would give each worker its own rate-limit counters and sessions:
# every process and machine must share one cache.
if not CACHE_URL:  # noqa: F405
    raise ImproperlyConfigured("CACHE_URL must name the shared Redis cache in production.")
# Links in emails, SMS, certificates and QR codes leave the site: they must carry its public
# address, never the development default (http://127.0.0.1:8000).
if not env("SITE_URL").startswith(("https://", "http://")):
    raise ImproperlyConfigured("SITE_URL must be the site's public address (https://...) in production.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# gunicorn sits behind one proxy: allauth's per-address rate limits must count the visitor's
# address (X-Forwarded-For), not the proxy's, or one attacker would lock out the whole county.
ALLAUTH_TRUSTED_PROXY_COUNT = int(env("ALLAUTH_TRUSTED_PROXY_COUNT", "1"))
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = int(env("SECURE_HSTS_SECONDS", str(60 * 60 * 24 * 365)))
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", True)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", True)
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"  # Wagtail marks its own preview views SAMEORIGIN

# Office staff and superusers use a second factor (core/security.py); only an explicit "off" lifts it.
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", True)

# The health check also probes the broker in production.
HEALTHZ_CHECK_BROKER = bool(CELERY_BROKER_URL)  # noqa: F405

# Logs: one JSON object per line on stdout (journald or the container collects them), with
# phone numbers, emails and ID-card numbers masked; errors also mailed to ADMINS, scrubbed.
LOGGING["formatters"]["json"] = {"()": "core.error_reports.JsonFormatter"}  # noqa: F405
LOGGING["handlers"]["console"]["formatter"] = "json"  # noqa: F405
LOGGING["handlers"]["mail_admins"] = {  # noqa: F405
    "level": "ERROR",
    "class": "core.error_reports.ScrubbingAdminEmailHandler",
    "filters": ["require_debug_false"],
}
LOGGING["filters"] = {"require_debug_false": {"()": "django.utils.log.RequireDebugFalse"}}  # noqa: F405
LOGGING["loggers"]["django.request"] = {"handlers": ["mail_admins"], "level": "ERROR"}  # noqa: F405
LOGGING["loggers"]["celery.app.trace"] = {"handlers": ["mail_admins"], "level": "ERROR"}  # noqa: F405

# Sentry, only when a DSN is set; personal data scrubbed before an event leaves (core/error_reports.py).
SENTRY_DSN = env("SENTRY_DSN")
if SENTRY_DSN:
    from core.error_reports import init_sentry

    init_sentry(SENTRY_DSN, environment=env("SENTRY_ENVIRONMENT", "production"), release=env("SENTRY_RELEASE") or None)
