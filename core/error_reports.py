"""Error reports without personal data: JSON log lines and, when SENTRY_DSN is set, Sentry.

Villagers' phone numbers, email addresses and ID-card numbers must not leave the county's
machines in an error report. `scrub()` masks them in any text; `JsonFormatter` writes one JSON
object per log line (production settings) with the message scrubbed; `init_sentry()` starts
the Sentry SDK with `send_default_pii=False` and a `before_send` that scrubs the event (messages,
exception values, frame variables, request data and headers, breadcrumbs) the same way. The
mail to ADMINS (Django's AdminEmailHandler) carries no request details (include_html False) and
a scrubbed subject and body, through `ScrubbingAdminEmailHandler`.
"""

import datetime
import json
import logging
import re

from django.utils.log import AdminEmailHandler

# Mainland mobile numbers, with or without +86 and separators; E.164 in general.
_PHONE = re.compile(r"(?<!\d)(?:\+?86[\s-]?)?1[3-9]\d(?:[\s-]?\d{4}){2}(?!\d)|\+\d{8,15}(?!\d)")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# Resident ID-card numbers: 17 digits and a check digit or X.
_ID_CARD = re.compile(r"(?<!\d)\d{17}[\dXx](?!\d)")
_SECRET_KEYS = re.compile(r"pass|secret|token|key|code|otp|session|csrf|cookie|auth|phone|email|id_card|name", re.I)
MASK = "[filtered]"


def scrub(text):
    """`text` with phone numbers, emails and ID-card numbers masked."""
    if not isinstance(text, str):
        return text
    text = _ID_CARD.sub(MASK, text)
    text = _EMAIL.sub(MASK, text)
    return _PHONE.sub(MASK, text)


def scrub_data(value, key=""):
    """Scrub a nested structure: values under sensitive keys are masked whole, text is scrubbed."""
    if key and _SECRET_KEYS.search(str(key)) and value not in (None, "", [], {}):
        return MASK
    if isinstance(value, dict):
        return {k: scrub_data(v, k) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [scrub_data(item) for item in value]
    return scrub(value)


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (scrubbed), exception (scrubbed)."""

    def format(self, record):
        entry = {
            "time": datetime.datetime.fromtimestamp(record.created, tz=datetime.UTC).isoformat(),
            "level": record.levelname,
            "logger": record.name,
            "message": scrub(record.getMessage()),
        }
        if record.exc_info:
            entry["exception"] = scrub(self.formatException(record.exc_info))
        for attribute in ("status_code", "task_id", "task_name"):
            if hasattr(record, attribute):
                entry[attribute] = getattr(record, attribute)
        return json.dumps(entry, ensure_ascii=False)


class ScrubbingAdminEmailHandler(AdminEmailHandler):
    """Django's error mail to ADMINS, without personal data in the subject or the body."""

    def __init__(self):
        super().__init__(include_html=False)

    def format_subject(self, subject):
        return super().format_subject(scrub(subject))

    def send_mail(self, subject, message, *args, **kwargs):
        super().send_mail(scrub(subject), _scrub_report(message), *args, **kwargs)


def _scrub_report(message):
    # Django's plain-text report lists request headers, GET/POST and cookies as "NAME = value"
    # lines: mask the values of sensitive names, and scrub every line.
    lines = []
    for line in message.splitlines():
        name, sep, value = line.partition(" = ")
        if sep and _SECRET_KEYS.search(name):
            line = f"{name} = {MASK}"
        lines.append(scrub(line))
    return "\n".join(lines)


def _scrub_event(event):
    cleaned = {}
    for key, value in event.items():
        if key == "user":
            cleaned[key] = {"id": value.get("id")} if isinstance(value, dict) and value.get("id") else {}
        elif key == "request" and isinstance(value, dict):
            cleaned[key] = {
                "method": value.get("method"),
                "url": scrub(value.get("url", "").split("?")[0]),
                "headers": scrub_data(
                    {k: v for k, v in (value.get("headers") or {}).items() if k.lower() in _SAFE_HEADERS}
                ),
            }
        elif key in ("exception", "threads"):
            cleaned[key] = _scrub_frames(value)
        elif key in ("event_id", "timestamp", "level", "platform", "release", "environment", "server_name"):
            cleaned[key] = value
        else:
            cleaned[key] = scrub_data(value)
    return cleaned


_SAFE_HEADERS = {"user-agent", "accept-language", "host", "referer", "content-type", "content-length"}


def _scrub_frames(value):
    # Keep the stack (file, function, line) and mask every local variable's text.
    if isinstance(value, dict):
        return {k: (_scrub_vars(v) if k == "vars" else _scrub_frames(v)) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub_frames(item) for item in value]
    return scrub(value)


def _scrub_vars(variables):
    return {name: (MASK if _SECRET_KEYS.search(name) else scrub_data(val)) for name, val in variables.items()}


def sentry_before_send(event, hint):
    """Sentry's hook: the event with personal data removed (the user kept as an id only)."""
    return _scrub_event(event)


def init_sentry(dsn, *, environment="production", release=None, traces_sample_rate=0.0):
    """Start Sentry for Django and Celery; called from production settings only when a DSN is set."""
    import sentry_sdk
    from sentry_sdk.integrations.celery import CeleryIntegration
    from sentry_sdk.integrations.django import DjangoIntegration

    sentry_sdk.init(
        dsn=dsn,
        environment=environment,
        release=release,
        send_default_pii=False,
        include_local_variables=True,
        max_request_body_size="never",
        traces_sample_rate=traces_sample_rate,
        before_send=sentry_before_send,
        before_breadcrumb=lambda crumb, hint: scrub_data(crumb) if crumb.get("category") != "query" else None,
        integrations=[DjangoIntegration(), CeleryIntegration()],
    )
