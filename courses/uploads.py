"""Checks of uploaded task files: by content, not by name, and within a size limit."""

import filetype

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

DEFAULT_MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_FILES_PER_SUBMISSION = 20

# Detected MIME type -> (stored extension, extensions a file of that type may be named with).
ALLOWED_TYPES = {
    "image/jpeg": ("jpg", {"jpg", "jpeg", "jfif"}),
    "image/png": ("png", {"png"}),
    "image/webp": ("webp", {"webp"}),
    "application/pdf": ("pdf", {"pdf"}),
    "video/mp4": ("mp4", {"mp4", "m4v"}),
}

EMPTY_FILE = _("“%(name)s” is empty. Please choose the file again.")
TOO_LARGE = _("“%(name)s” is %(size)s; files may be at most %(limit)s.")
WRONG_TYPE = _("“%(name)s” is not a photo (JPEG, PNG, WebP), a PDF or an MP4 video.")
NAME_MISMATCH = _("The content of “%(name)s” does not match its name: it is not a real .%(ext)s file.")


def max_upload_bytes() -> int:
    return int(getattr(settings, "COURSES_MAX_UPLOAD_BYTES", DEFAULT_MAX_UPLOAD_BYTES))


def check_upload(upload) -> tuple[str, str]:
    """Validate one uploaded file; return (content type, stored extension) or raise ValidationError."""
    name = upload.name or ""
    limit = max_upload_bytes()
    if not upload.size:
        raise ValidationError(EMPTY_FILE, code="empty", params={"name": name})
    if upload.size > limit:
        raise ValidationError(
            TOO_LARGE,
            code="too_large",
            params={"name": name, "size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
        )
    upload.seek(0)
    head = upload.read(8192)
    upload.seek(0)
    kind = filetype.guess(head)
    if kind is None or kind.mime not in ALLOWED_TYPES:
        raise ValidationError(WRONG_TYPE, code="wrong_type", params={"name": name})
    stored_ext, accepted = ALLOWED_TYPES[kind.mime]
    named_ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if named_ext and named_ext not in accepted:
        raise ValidationError(NAME_MISMATCH, code="name_mismatch", params={"name": name, "ext": named_ext})
    return kind.mime, stored_ext
