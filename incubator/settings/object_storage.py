"""The two storages of MEDIA_STORAGE=s3: public media and private files in S3-compatible buckets
(AWS S3, Aliyun OSS, Tencent COS, MinIO). docs/deploy.md, "Object storage", says what to set.

Public media gets plain, unsigned URLs: pages that show images and videos are cached (the page
cache, browsers, a CDN), and a signed link in a cached page would stop working once it expired.
Private files live in their own bucket (or under their own prefix), are written with the private
ACL, and are only handed out as links signed for PRIVATE_MEDIA_URL_EXPIRY seconds, after the view
has checked the person (core/storage.py)."""

from django.core.exceptions import ImproperlyConfigured

S3_BACKEND = "storages.backends.s3.S3Storage"


def s3_storages(environ) -> dict:
    """STORAGES["default"] and STORAGES["private"] from `environ` (os.environ, or a test's dict)."""
    from botocore.config import Config

    public_bucket = environ.get("AWS_STORAGE_BUCKET_NAME", "")
    if not public_bucket:
        raise ImproperlyConfigured("MEDIA_STORAGE=s3 needs AWS_STORAGE_BUCKET_NAME.")
    private_bucket = environ.get("AWS_PRIVATE_BUCKET_NAME") or public_bucket
    # Sharing one bucket, the private files need a prefix of their own.
    private_location = environ.get("AWS_PRIVATE_LOCATION", "private" if private_bucket == public_bucket else "")
    if private_bucket == public_bucket and not private_location.strip("/"):
        raise ImproperlyConfigured("Private files sharing the public bucket need AWS_PRIVATE_LOCATION (a prefix).")

    connection = {
        "endpoint_url": environ.get("AWS_S3_ENDPOINT_URL") or None,
        "region_name": environ.get("AWS_S3_REGION_NAME") or None,
        "access_key": environ.get("AWS_ACCESS_KEY_ID", ""),
        "secret_key": environ.get("AWS_SECRET_ACCESS_KEY", ""),
        "client_config": Config(
            # Aliyun OSS and Tencent COS answer only bucket-in-the-host-name ("virtual") addresses;
            # a local MinIO or test server wants "path".
            s3={"addressing_style": environ.get("AWS_S3_ADDRESSING_STYLE", "virtual")},
            # "s3v4"; Aliyun asks boto3 users for "s3" (V2), as its S3 API refuses V4's chunked uploads.
            signature_version=environ.get("AWS_S3_SIGNATURE_VERSION", "s3v4"),
            # boto3 >= 1.36 adds checksums as chunked trailers by default, which OSS, COS and
            # older S3-compatible servers refuse; send them only where the API requires one.
            request_checksum_calculation="when_required",
            response_checksum_validation="when_required",
            connect_timeout=5,
            read_timeout=30,
            retries={"max_attempts": 3, "mode": "standard"},
        ),
        # Two uploads named "photo.jpg" must never share one object.
        "file_overwrite": False,
    }
    return {
        "default": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **connection,
                "bucket_name": public_bucket,
                "location": environ.get("AWS_LOCATION", ""),
                # Empty: no per-object ACL, the bucket's own (public-read) decides, as AWS buckets
                # with "ACLs disabled" require.
                "default_acl": environ.get("AWS_DEFAULT_ACL", "public-read") or None,
                "querystring_auth": False,
                "custom_domain": environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            },
        },
        "private": {
            "BACKEND": S3_BACKEND,
            "OPTIONS": {
                **connection,
                "bucket_name": private_bucket,
                "location": private_location,
                "default_acl": environ.get("AWS_PRIVATE_DEFAULT_ACL", "private") or None,
                "querystring_auth": True,
                "querystring_expire": int(environ.get("PRIVATE_MEDIA_URL_EXPIRY", "60")),
                # A custom domain would give unsigned links: never for private files.
                "custom_domain": None,
            },
        },
    }
