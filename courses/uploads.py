"""Private uploads: checks by content, not by name, within a size limit, and the one way such a
file is served (after the caller has checked the person). Task files use it, and so do the
higher apps' private uploads (a sales report's evidence)."""

import mimetypes

import filetype

from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from core import storage

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


# Photos and PDFs only (a screenshot or a statement, never a video).
DOCUMENT_TYPES = {mime: ALLOWED_TYPES[mime] for mime in ("image/jpeg", "image/png", "image/webp", "application/pdf")}
WRONG_DOCUMENT_TYPE = _("“%(name)s” is not a photo (JPEG, PNG, WebP) or a PDF.")
INLINE_TYPES = set(ALLOWED_TYPES)


def check_upload(upload, *, allowed=None, wrong_type=WRONG_TYPE) -> tuple[str, str]:
    """Validate one uploaded file; return (content type, stored extension) or raise ValidationError.

    `allowed` narrows the types (a subset of ALLOWED_TYPES), `wrong_type` is then its message."""
    allowed = ALLOWED_TYPES if allowed is None else allowed
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
    if kind is None or kind.mime not in allowed:
        raise ValidationError(wrong_type, code="wrong_type", params={"name": name})
    stored_ext, accepted = allowed[kind.mime]
    named_ext = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if named_ext and named_ext not in accepted:
        raise ValidationError(NAME_MISMATCH, code="name_mismatch", params={"name": name, "ext": named_ext})
    return kind.mime, stored_ext


def private_file_response(*, field_file, content_type: str, filename: str):
    """Serve a private upload once the caller has checked who may see it: photos, PDFs and videos
    inline in a sandbox, nothing sniffed, nothing kept by a browser or a proxy (a shared phone).
    From object storage, a redirect to a link that expires (core.storage)."""
    content_type = content_type or mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = storage.private_file_response(
        field_file=field_file,
        content_type=content_type,
        filename=filename,
        as_attachment=content_type not in INLINE_TYPES,
    )
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; media-src 'self'; sandbox"
    return response
