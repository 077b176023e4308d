"""Settings shared by every environment. Every secret and host comes from the environment."""

import os
from email.utils import getaddresses
from pathlib import Path

import dj_database_url
from celery.schedules import crontab

from django.core.exceptions import ImproperlyConfigured
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", False)
SECRET_KEY = env("SECRET_KEY")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# Apps: ours first (core <- courses <- mentors <- incubator.*), so our templates win.
INSTALLED_APPS = [
    "core",
    "courses",
    "mentors",
    "incubator.recruitment",
    "incubator.outreach",
    "incubator.merchants",
    "incubator.villages",
    "incubator.pavilion",
    "incubator.cooperatives",
    "incubator",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.settings",
    "wagtail.embeds",
    "wagtail.sites",
    "core.apps.UsersConfig",  # wagtail.users, without generated usernames on show
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "wagtailmedia",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.weixin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "csp",
]

MIDDLEWARE = [
    # Compress HTML on the wire; CSRF tokens are masked per request, so BREACH does not apply.
    "django.middleware.gzip.GZipMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' public pages are served whole from the cache (see core/pagecache.py).
    "core.pagecache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    # On admin pages, the person and what Wagtail asks of them in one query (core/person.py).
    "core.person.AdminPersonMiddleware",
    "core.middleware.PreferredLanguageMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    # Shared phones: no-store on private pages, the person marker, Clear-Site-Data on sign-out,
    # and the office idle sign-out (see "Shared phones" below).
    "core.middleware.PrivatePagesMiddleware",
    "core.middleware.OfficeIdleTimeoutMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # Content-Security-Policy (enforced on the site, report-only on the admin) and Permissions-Policy.
    "core.security.SecurityHeadersMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # Office staff without a second factor are sent to set one up (STAFF_MFA_REQUIRED).
    "core.security.StaffMFARequiredMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "incubator.urls"
WSGI_APPLICATION = "incubator.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "core.context_processors.site_nav",
            ],
        },
    },
]

# Database: PostgreSQL from DATABASE_URL; an SQLite file in the project folder when unset.
DATABASES = {
    "default": dj_database_url.parse(
        env("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=int(env("CONN_MAX_AGE", "60")),
        # A PostgreSQL restart must not need an app restart.
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # No just-in-time compilation: PostgreSQL compiles a query whose *estimated* cost passes
    # jit_above_cost, and the county dashboard's grouped queries pass it while running in tens of
    # milliseconds. Compiling cost more than running them: 50 ms at county scale, 0.9 s at
    # province scale (docs/benchmarks.md, "Province scale").
    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c jit=off"
    # Prepared statements: psycopg binds the parameters on the server and, after five runs of a
    # query on a connection (persistent: CONN_MAX_AGE), sends it prepared, so PostgreSQL stops
    # planning a page's queries anew on every request (0.2-1.2 ms each; the signed-in person's row
    # 1.06 -> 0.26 ms; docs/benchmarks.md). Turn it off behind a pooler in transaction mode that
    # cannot keep them (PgBouncer before 1.21, or without max_prepared_statements): docs/deploy.md.
    if env_bool("DATABASE_PREPARED_STATEMENTS", True):
        DATABASES["default"]["OPTIONS"] |= {"server_side_binding": True, "prepare_threshold": 5}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Cache: Redis in production (allauth's rate limits need a cache shared by every process).
CACHE_URL = env("CACHE_URL")
if CACHE_URL:
    CACHES = {
        "default": {
            # Answers as an empty cache while Redis is away (core/cache.py): pages keep working.
            "BACKEND": "core.cache.ResilientRedisCache",
            "LOCATION": CACHE_URL,
            "KEY_PREFIX": "incubator",
            "TIMEOUT": 300,
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1},
        }
    }
else:  # the embedded default only: production refuses to start without CACHE_URL
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# Sessions are written through to the database and read from the cache: a signed-in page view
# skips the session query, and a cache flush or a Redis outage only costs a database read.
SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

AUTH_USER_MODEL = "core.User"
AUTHENTICATION_BACKENDS = [
    "core.backends.PermissionsOnlyModelBackend",  # Django's permissions; signs nobody in (allauth does)
    # allauth's, reading the signed-in person in one query (core/backends.py); then allauth's own,
    # for sessions signed in before (it is never asked to check a password).
    "core.backends.AuthenticationBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "/me/"

# Languages: Chinese first, English second.
LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LANGUAGE_COOKIE_NAME = "incubator_language"
LANGUAGE_COOKIE_AGE = 60 * 60 * 24 * 365
# Second: Chinese for strings Wagtail's own zh_Hans catalogues lack (kept by hand; makemessages writes only to the first).
# Ours first, then the strings Wagtail (and wagtailmedia, allauth) ship without Chinese, then our
# corrections of allauth's poor ones ("Email地址"): tests/test_wagtail_translations.py.
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "vendor_locale" / "wagtail" / "locale",
    BASE_DIR / "vendor_locale" / "allauth" / "locale",
]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True

# Static files through WhiteNoise; media in folders, or in S3-compatible object storage (below).
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(BASE_DIR / "media")))
# Private uploads (task submissions, certificates drafts) live outside MEDIA_ROOT and are only
# served through views that check the person.
PRIVATE_MEDIA_ROOT = Path(env("PRIVATE_MEDIA_ROOT", str(BASE_DIR / "private")))
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": str(PRIVATE_MEDIA_ROOT), "base_url": None},
    },
    "staticfiles": {"BACKEND": "core.storage.StaticFilesStorage"},
}
# MEDIA_STORAGE=s3: public media and private files in S3-compatible buckets (Aliyun OSS, Tencent
# COS, ...), private files handed out as links that expire (incubator/settings/object_storage.py).
MEDIA_STORAGE = env("MEDIA_STORAGE", "filesystem")
if MEDIA_STORAGE == "s3":
    from .object_storage import s3_storages

    STORAGES.update(s3_storages(os.environ))
elif MEDIA_STORAGE != "filesystem":
    raise ImproperlyConfigured(f"MEDIA_STORAGE must be filesystem or s3, not {MEDIA_STORAGE!r}.")
SERVE_MEDIA = env_bool("SERVE_MEDIA", False)
WHITENOISE_MAX_AGE = 60 * 60 * 24 * 365
FILE_UPLOAD_PERMISSIONS = 0o640
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024

# Email: console in development; SMTP from the environment in production.
EMAIL_BACKEND = env("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env("EMAIL_HOST", "localhost")
EMAIL_PORT = int(env("EMAIL_PORT", "25"))
EMAIL_HOST_USER = env("EMAIL_HOST_USER")
EMAIL_HOST_PASSWORD = env("EMAIL_HOST_PASSWORD")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "县电商孵化平台 <noreply@incubator.local>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# A hung mail server must not hold a worker: SMTP gives up after this many seconds.
EMAIL_TIMEOUT = int(env("EMAIL_TIMEOUT", "10"))
# Who gets the error mail, "Name <address>, Name <address>" (production settings send it).
ADMINS = [(name or address, address) for name, address in getaddresses([env("ADMINS")]) if address]

# SMS: the default backend writes messages (and verification codes) to the log.
SMS_BACKEND = env("SMS_BACKEND", "core.sms.LogSMSBackend")
SMS_SIGNATURE = env("SMS_SIGNATURE", "【县电商办】")
# The signature's name as registered with the providers (the text between 【】).
SMS_SIGN_NAME = env("SMS_SIGN_NAME", SMS_SIGNATURE.strip("【】"))
# No number gets more than these, whatever asks (codes, notifications, group messages).
SMS_LIMIT_PER_NUMBER_PER_HOUR = int(env("SMS_LIMIT_PER_NUMBER_PER_HOUR", "5"))
SMS_LIMIT_PER_NUMBER_PER_DAY = int(env("SMS_LIMIT_PER_NUMBER_PER_DAY", "10"))
# Providers (core/sms/tencent.py, core/sms/aliyun.py), chosen by SMS_BACKEND.
SMS_PROVIDER_PROTOCOL = env("SMS_PROVIDER_PROTOCOL", "https")
SMS_PROVIDER_TIMEOUT = int(env("SMS_PROVIDER_TIMEOUT", "10"))
SMS_TENCENT_SECRET_ID = env("SMS_TENCENT_SECRET_ID")
SMS_TENCENT_SECRET_KEY = env("SMS_TENCENT_SECRET_KEY")
SMS_TENCENT_SDK_APP_ID = env("SMS_TENCENT_SDK_APP_ID")
SMS_TENCENT_REGION = env("SMS_TENCENT_REGION", "ap-guangzhou")
SMS_TENCENT_ENDPOINT = env("SMS_TENCENT_ENDPOINT", "sms.tencentcloudapi.com")
SMS_ALIYUN_ACCESS_KEY_ID = env("SMS_ALIYUN_ACCESS_KEY_ID")
SMS_ALIYUN_ACCESS_KEY_SECRET = env("SMS_ALIYUN_ACCESS_KEY_SECRET")
SMS_ALIYUN_ENDPOINT = env("SMS_ALIYUN_ENDPOINT", "dysmsapi.aliyuncs.com")
# The secret part of the delivery-receipt URLs given to the providers (empty: receipts refused).
SMS_RECEIPT_TOKEN = env("SMS_RECEIPT_TOKEN")

# Celery: a Redis broker from the environment; without one, tasks run eagerly in-process.
CELERY_BROKER_URL = env("CELERY_BROKER_URL")
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_EAGER_PROPAGATES = False
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_DEFAULT_QUEUE = env("CELERY_TASK_DEFAULT_QUEUE", "incubator")
# No task may hold a worker for ever (a hung provider, a stuck query): the soft limit raises
# SoftTimeLimitExceeded inside the task (which retries or records the failure), the hard limit
# kills the child process. Heavy jobs (exports) set their own, longer limits.
CELERY_TASK_SOFT_TIME_LIMIT = int(env("CELERY_TASK_SOFT_TIME_LIMIT", "60"))
CELERY_TASK_TIME_LIMIT = int(env("CELERY_TASK_TIME_LIMIT", "90"))
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing must fail fast when Redis is down: the stored row and the sweep cover the gap.
# A task whose worker died is redelivered once this many seconds pass without its ack.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "max_retries": 1,
    "interval_start": 0,
    "interval_step": 0.2,
    "visibility_timeout": int(env("CELERY_VISIBILITY_TIMEOUT", "3600")),
}
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULE = {
    "sweep-notifications": {
        "task": "core.tasks.sweep_undelivered_notifications",
        "schedule": 300.0,
    },
    "mentor-daily-digest": {
        "task": "mentors.tasks.send_daily_digests",
        "schedule": crontab(hour=7, minute=30),
    },
    "merchant-activity-nightly": {
        "task": "merchants.tasks.refresh_merchant_activity",
        "schedule": crontab(hour=2, minute=15),
    },
    "sales-report-reminders": {
        "task": "merchants.tasks.send_sales_reminders",
        "schedule": crontab(day_of_month="1,5,10", hour=9, minute=0),
    },
    "certificate-pdfs-catch-up": {
        "task": "merchants.tasks.make_missing_certificate_pdfs",
        "schedule": 900.0,
    },
    "group-messages-catch-up": {
        "task": "outreach.tasks.finish_group_messages",
        "schedule": 300.0,
    },
    "old-exports-nightly": {
        "task": "core.tasks.delete_old_exports",
        "schedule": crontab(hour=3, minute=40),
    },
}
# The office's exports (tables of people) are deleted this many days after they were asked for.
EXPORT_KEEP_DAYS = int(env("EXPORT_KEEP_DAYS", "7"))

# allauth: sign up and log in with a mobile phone or an email address, both verified by code.
ACCOUNT_ADAPTER = "core.adapters.AccountAdapter"
ACCOUNT_SIGNUP_FORM_CLASS = "core.forms.SignupExtraForm"
ACCOUNT_FORMS = {
    "reset_password": "core.account_forms.ResetPasswordForm",
    "request_login_code": "core.account_forms.RequestLoginCodeForm",
    "login": "core.account_forms.LoginForm",
    "signup": "core.account_forms.SignupForm",
    "verify_phone": "core.account_forms.VerifyPhoneForm",
    "confirm_login_code": "core.account_forms.ConfirmLoginCodeForm",
    "confirm_email_verification_code": "core.account_forms.ConfirmEmailVerificationCodeForm",
}
# Success messages ("Successfully signed in as ...") name the person, never the generated username.
ACCOUNT_USER_DISPLAY = "core.adapters.user_display"
# Villagers need a plain "this phone is already registered"; rate limits bound enumeration.
ACCOUNT_LOGIN_METHODS = {"phone", "email"}
ACCOUNT_SIGNUP_FIELDS = ["phone", "email", "password1*", "password2*"]
# Neither phone nor email is required on its own; core.forms.SignupExtraForm requires one of the
# two, which allauth's cross-check (account.W001) cannot see.
SILENCED_SYSTEM_CHECKS = ["account.W001"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = "username"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_PREVENT_ENUMERATION = False
# Email is optional at sign-up (many villagers have only a phone), so its verification is
# "optional": a code is sent and the address is marked verified once entered.
ACCOUNT_EMAIL_VERIFICATION = "optional"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
# Six digits: easy to type from an SMS on a cheap phone.
ACCOUNT_PHONE_VERIFICATION_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_PASSWORD_RESET_BY_CODE_ENABLED = False
# A person with only a phone signs in with a 6-digit SMS code when the password is forgotten,
# then sets a new one under "Profile and account".
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 10 * 60
ACCOUNT_LOGIN_BY_CODE_FORMAT = {"numeric": True, "length": 6, "dashed": False}
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
# None: the login form offers "keep me signed in", unticked (see "Shared phones" below).
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    "reset_password": "20/m/ip,5/m/key",
    "confirm_email": "1/3m/key",
    # "Is there an account with this email / phone?" answered by the reset and login-code forms.
    "account_lookup": "20/m/ip,5/m/key",
    # A page behind a shared password (Wagtail view restriction), per visitor and per page.
    "page_password": "10/m/ip,20/h/key",
    "csp_report": "60/m/ip",
    # The mentor invitation link, which sets a new mentor's first password (mentors.views.invitation).
    "mentor_invitation": "10/m/ip",
}
SOCIALACCOUNT_PROVIDERS = {}
if env("WEIXIN_APP_ID") and env("WEIXIN_APP_SECRET"):
    # The WeChat provider is offered only when the county office has configured its keys.
    SOCIALACCOUNT_PROVIDERS["weixin"] = {
        "APPS": [{"client_id": env("WEIXIN_APP_ID"), "secret": env("WEIXIN_APP_SECRET")}],
        "SCOPE": ["snsapi_login"],
    }

# Two-factor authentication (allauth.mfa): an authenticator app (TOTP) with recovery codes, and
# security keys or the phone's fingerprint (WebAuthn) where the browser has it. Office staff and
# superusers (and course editors) must have one before any admin page answers when STAFF_MFA_REQUIRED is on (it is
# under production settings; the demo leaves it off and says so on the admin home).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_FORMS = {
    "authenticate": "core.account_forms.AuthenticateForm",
    "reauthenticate": "core.account_forms.ReauthenticateForm",
    "activate_totp": "core.account_forms.ActivateTOTPForm",
}
MFA_TOTP_ISSUER = "县电商孵化平台"
MFA_PASSKEY_LOGIN_ENABLED = False
# WebAuthn needs HTTPS; the embedded default and the tests run on http://127.0.0.1.
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = env_bool("MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN", False)
STAFF_MFA_REQUIRED = env_bool("STAFF_MFA_REQUIRED", False)

# Content-Security-Policy (django-csp): no inline script anywhere on the public site and the
# signed-in area. Wagtail's admin ships inline code, so it gets the same policy report-only
# (core.security.SecurityHeadersMiddleware chooses per path); violations are logged by /csp-report/.
_CSP_SELF = "'self'"
_MEDIA_ORIGIN = ["" if MEDIA_URL.startswith("/") else MEDIA_URL]
CSP_DIRECTIVES = {
    "default-src": [_CSP_SELF],
    "script-src": [_CSP_SELF],
    "style-src": [_CSP_SELF],
    "img-src": [_CSP_SELF, "data:", "blob:", *filter(None, _MEDIA_ORIGIN)],
    "media-src": [_CSP_SELF, "blob:", *filter(None, _MEDIA_ORIGIN)],
    "font-src": [_CSP_SELF],
    "connect-src": [_CSP_SELF],
    "worker-src": [_CSP_SELF],
    "manifest-src": [_CSP_SELF],
    "frame-src": ["'none'"],
    "object-src": ["'none'"],
    "base-uri": [_CSP_SELF],
    # WeChat sign-in posts to allauth, which redirects to WeChat's authorisation page.
    "form-action": [_CSP_SELF, *(["https://open.weixin.qq.com"] if env("WEIXIN_APP_ID") else [])],
    "frame-ancestors": ["'none'"],
    "report-uri": ["/csp-report/"],
}
CSP_ADMIN_PREFIXES = ("/admin/",)
CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": list(CSP_ADMIN_PREFIXES), "DIRECTIVES": CSP_DIRECTIVES}
# The admin's report-only policy lets Wagtail's inline styles and scripts show up in the log.
CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {**CSP_DIRECTIVES, "frame-ancestors": [_CSP_SELF]}}
# Features no page of ours uses are switched off for every page (and anything it embeds).
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), microphone=(), "
    "payment=(), usb=(), publickey-credentials-get=(self), publickey-credentials-create=(self)"
)

# Wagtail.
WAGTAIL_SITE_NAME = "县域电商孵化平台"
# The site's public address: every absolute link in emails, SMS, PDFs and QR codes starts with it
# (core.links.absolute_url), and so do Wagtail's own notification emails. Required in production.
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000").rstrip("/")
WAGTAILADMIN_BASE_URL = SITE_URL
# One way in: the admin's and the private pages' logins are allauth's (rate limits, phone
# verification, two-factor); Wagtail's own login and password reset forms are never reached
# (incubator/urls.py sends their addresses to allauth's).
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
# Wagtail's database search with Chinese cut into pairs of characters (docs/search.md).
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "core.search.backends"}}
WAGTAILADMIN_PERMITTED_LANGUAGES = LANGUAGES
WAGTAIL_CONTENT_LANGUAGES = [("zh-hans", "简体中文")]
# No requests leave the machine: no Gravatar avatars in the admin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILDOCS_EXTENSIONS = ["pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "txt", "csv", "zip"]
WAGTAILEMBEDS_FINDERS = []
WAGTAILMEDIA = {
    "MEDIA_MODEL": "wagtailmedia.Media",
    "AUDIO_EXTENSIONS": ["mp3", "m4a", "ogg"],
    "VIDEO_EXTENSIONS": ["mp4", "webm"],
}
WAGTAILIMAGES_FORMAT_CONVERSIONS = {"bmp": "jpeg", "webp": "webp"}
WAGTAIL_ENABLE_UPDATE_CHECK = False
WAGTAIL_ENABLE_WHATS_NEW_BANNER = False

SITE_NAME = _("County E-commerce Incubator")

# Whole-page cache of public pages for anonymous visitors; 0 turns it off.
PUBLIC_PAGE_CACHE_SECONDS = int(env("PUBLIC_PAGE_CACHE_SECONDS", "60"))

# How long a mentor invitation link works (mentors.invitations).
MENTOR_INVITATION_DAYS = int(env("MENTOR_INVITATION_DAYS", "7"))

# Shared phones (issue 12): many villagers use one phone, which keeps nothing of the previous
# person. Pages under these prefixes answer `Cache-Control: private, no-store`, for everyone,
# and the service worker never stores them (core.middleware.PrivatePagesMiddleware; the worker's
# list comes from here through incubator/pwa.py). Other pages for a signed-in person are
# `private`, and the worker's copies are tagged with the person and dropped when it changes.
# Sessions end when the browser closes unless "keep me signed in" is ticked
# (ACCOUNT_SESSION_REMEMBER = None above).
PRIVATE_PATH_PREFIXES = ("/me/", "/mentor/", "/accounts/", "/admin/", "/learning/files/")
# Office staff and superusers are signed out after this many minutes without a request.
STAFF_SESSION_IDLE_MINUTES = int(env("STAFF_SESSION_IDLE_MINUTES", "30"))

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "celery": {"level": "INFO"},
        "django_tasks": {"level": "WARNING"},
    },
}

# Outreach (incubator/outreach): how many group messages one sender may send a day, how many
# notifications the fan-out creates per transaction, and the office's "not contacted" default.
OUTREACH_GROUP_MESSAGES_PER_DAY = int(env("OUTREACH_GROUP_MESSAGES_PER_DAY", "5"))
OUTREACH_FANOUT_CHUNK = int(env("OUTREACH_FANOUT_CHUNK", "200"))
OUTREACH_NOT_CONTACTED_DAYS = int(env("OUTREACH_NOT_CONTACTED_DAYS", "14"))
