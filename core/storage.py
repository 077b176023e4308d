"""Where uploads are kept, and the one way a private upload is handed out.

Two storages (settings.STORAGES): "default" holds public media (Wagtail images and their
renditions, documents, wagtailmedia videos), "private" what only some people may see (task
files, sales evidence, order exports, certificate PDFs, the office's exports). Both are folders
by default and S3-compatible buckets with MEDIA_STORAGE=s3 (incubator/settings/object_storage.py).
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

from django.core.files.storage import storages
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.utils.functional import LazyObject, empty
from django.utils.http import content_disposition_header

try:
    from storages.backends.s3 import S3Storage
except ImportError:  # the embedded default (folders) needs neither django-storages nor boto3
    S3Storage = None

NO_STORE = "private, no-store"


class PrivateStorage(LazyObject):
    """storages["private"], looked up on first use, like Django's default_storage: a FileField
    calls its storage callable once, at import, so the field must hold this proxy for a change
    of STORAGES (a test's) to reach it."""

    def _setup(self):
        self._wrapped = storages["private"]


private = PrivateStorage()


def private_storage():
    """The storage of every private FileField (migrations name this callable)."""
    return private


@receiver(setting_changed)
def _forget_the_private_storage(*, setting, **kwargs):
    if setting == "STORAGES":
        private._wrapped = empty


def is_object_storage(storage) -> bool:
    return S3Storage is not None and isinstance(storage, S3Storage)


def private_file_response(*, field_file, content_type: str, filename: str, as_attachment: bool):
    """Hand out a private file. The CALLER has already checked that this person may see it.

    From a folder the file is streamed by this process. From a bucket the answer is a redirect to
    a link signed for the storage's `querystring_expire` seconds (PRIVATE_MEDIA_URL_EXPIRY), which
    tells the bucket to answer with the same type, filename and no-store; the redirect itself is
    never cached either, so every visit comes back here and is checked again."""
    storage = field_file.storage
    if is_object_storage(storage):
        url = storage.url(
            field_file.name,
            parameters={
                "ResponseContentType": content_type,
                "ResponseContentDisposition": content_disposition_header(as_attachment, filename),
                "ResponseCacheControl": NO_STORE,
            },
        )
        response = HttpResponseRedirect(url)
    else:
        try:
            handle = field_file.open("rb")
        except FileNotFoundError as error:
            raise Http404 from error
        response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["Cache-Control"] = NO_STORE
    response["X-Content-Type-Options"] = "nosniff"
    return response


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's storage of the static files (hashed names, compressed copies), each file's
    URL looked up once per process. The manifest is fixed while a process runs (collectstatic
    runs before the workers start), and Wagtail's admin asks for the URLs of about ninety scripts,
    styles and icons on every page: 16 µs each through the manifest, so 1.5 ms a page."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._urls: dict[str, str] = {}

    def url(self, name, force=False):
        if force:
            return super().url(name, force=True)
        try:
            return self._urls[name]
        except KeyError:
            # A name missing from the manifest raises here, every time: only found URLs are kept.
            url = self._urls[name] = super().url(name)
            return url
