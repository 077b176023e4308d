"""Uploads in S3-compatible object storage (MEDIA_STORAGE=s3).

moto's S3 server on loopback (the session fixture `s3_server`) stands in for the bucket service
(Aliyun OSS, Tencent COS); the storages are built by the settings' own declaration
(incubator/settings/object_storage.py) from an environment pointing at it. Files go up and come
down over HTTP, the site's views are the real ones, and nothing of ours is patched.

moto checks neither a link's signature nor its expiry, so the expiry is checked the way S3, OSS
and COS check it: `accepts` below verifies the SigV4 query signature with the secret key and
refuses the link once X-Amz-Date + X-Amz-Expires has passed.
"""

import datetime
import hashlib
import hmac
import json
import urllib.request
import uuid
from types import SimpleNamespace
from urllib.parse import parse_qsl, quote, urlsplit

import boto3
import pytest

from django.urls import reverse
from django.utils import timezone

from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from core import export_jobs
from courses import services as courses_services
from courses.models import SubmissionFile
from incubator.merchants.models import Certificate, SalesEvidence
from incubator.merchants.services.graduation import make_certificate_pdf
from incubator.settings.object_storage import s3_storages
from tests.courses.factories import jpeg, pdf
from tests.factories import OfficeFactory, TraineeFactory
from tests.mentors.factories import assign, make_mentor
from tests.merchants.factories import SalesReportFactory, ShopFactory
from tests.pages_factories import CoursePageFactory, LessonPageFactory, course_catalogue, home_page

pytestmark = [pytest.mark.django_db, pytest.mark.object_storage]

ACCESS_KEY = "AKIDINCUBATORTEST"
SECRET_KEY = "incubator-test-secret-key"  # noqa: S105
REGION = "us-east-1"
ALL_USERS = "http://acs.amazonaws.com/groups/global/AllUsers"


@pytest.fixture
def buckets(s3_server, settings):
    """A public and a private bucket of this test's own, and STORAGES built for them."""
    suffix = uuid.uuid4().hex[:12]
    environ = {
        "AWS_S3_ENDPOINT_URL": s3_server,
        "AWS_S3_REGION_NAME": REGION,
        "AWS_S3_ADDRESSING_STYLE": "path",  # a loopback server has no per-bucket host names
        "AWS_ACCESS_KEY_ID": ACCESS_KEY,
        "AWS_SECRET_ACCESS_KEY": SECRET_KEY,
        "AWS_STORAGE_BUCKET_NAME": f"media-{suffix}",
        "AWS_PRIVATE_BUCKET_NAME": f"private-{suffix}",
    }
    client = boto3.client(
        "s3",
        endpoint_url=s3_server,
        region_name=REGION,
        aws_access_key_id=ACCESS_KEY,
        aws_secret_access_key=SECRET_KEY,
    )
    for name in (environ["AWS_STORAGE_BUCKET_NAME"], environ["AWS_PRIVATE_BUCKET_NAME"]):
        client.create_bucket(Bucket=name)

    def configure(**overrides):
        settings.STORAGES = {**settings.STORAGES, **s3_storages({**environ, **overrides})}

    configure()
    return SimpleNamespace(
        client=client,
        public=environ["AWS_STORAGE_BUCKET_NAME"],
        private=environ["AWS_PRIVATE_BUCKET_NAME"],
        configure=configure,
    )


def keys(client, bucket) -> list[str]:
    return sorted(item["Key"] for item in client.list_objects_v2(Bucket=bucket).get("Contents", []))


def readable_by_anyone(client, bucket, key) -> bool:
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    return any(g["Grantee"].get("URI") == ALL_USERS and g["Permission"] in {"READ", "FULL_CONTROL"} for g in grants)


def fetch(url):
    """GET from the bucket service as a browser following the redirect would: (body, headers)."""
    with urllib.request.urlopen(url, timeout=10) as answer:  # noqa: S310 (the loopback server)
        return answer.read(), answer.headers


def content(upload) -> bytes:
    upload.seek(0)
    data = upload.read()
    upload.seek(0)
    return data


def _hmac(key: bytes, text: str) -> bytes:
    return hmac.new(key, text.encode(), hashlib.sha256).digest()


def accepts(url: str, *, secret: str, now: datetime.datetime) -> bool:
    """Would S3 (or OSS, COS) accept this presigned GET at `now`? SigV4 query authentication:
    the signature must match, and X-Amz-Date + X-Amz-Expires must not have passed."""
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    params = dict(query)
    signed_at = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    if now > signed_at + datetime.timedelta(seconds=int(params["X-Amz-Expires"])):
        return False
    canonical_query = "&".join(
        f"{quote(k, safe='-_.~')}={quote(v, safe='-_.~')}" for k, v in sorted(query) if k != "X-Amz-Signature"
    )
    headers = params["X-Amz-SignedHeaders"].split(";")
    assert headers == ["host"]
    canonical = "\n".join(["GET", parts.path, canonical_query, f"host:{parts.netloc}\n", "host", "UNSIGNED-PAYLOAD"])
    _, scope = params["X-Amz-Credential"].split("/", 1)
    day, region, service, _ = scope.split("/")
    to_sign = "\n".join(
        ["AWS4-HMAC-SHA256", params["X-Amz-Date"], scope, hashlib.sha256(canonical.encode()).hexdigest()]
    )
    key = _hmac(_hmac(_hmac(_hmac(f"AWS4{secret}".encode(), day), region), service), "aws4_request")
    return hmac.compare_digest(hmac.new(key, to_sign.encode(), hashlib.sha256).hexdigest(), params["X-Amz-Signature"])


def assert_signed_redirect(response, *, bucket, key, s3_server):
    """A 302 to a link on the bucket service that expires, and no copy kept of the redirect."""
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith(f"{s3_server}/{bucket}/{key}?")
    params = dict(parse_qsl(urlsplit(location).query))
    assert params["X-Amz-Expires"] == "60"
    assert params["X-Amz-Credential"].startswith(f"{ACCESS_KEY}/")
    assert accepts(location, secret=SECRET_KEY, now=datetime.datetime.now(datetime.UTC))
    assert response["Cache-Control"] == "private, no-store"
    return location


def assert_refused_without_a_link(response, bucket):
    assert response.status_code == 404
    assert not response.has_header("Location")
    assert bucket not in response.content.decode()


# --- private files -----------------------------------------------------------------------------


@pytest.fixture
def task_lesson(db):
    home_page()
    course = CoursePageFactory(parent=course_catalogue())
    lesson = LessonPageFactory(parent=course, task="<p>拍一张白底脐橙照片</p>", task_min_files=1)
    trainee = TraineeFactory()
    courses_services.enroll(user=trainee, course=course)
    return trainee, lesson


def test_a_task_file_goes_to_the_private_bucket_and_only_its_owner_gets_a_link(client, buckets, task_lesson, s3_server):
    trainee, lesson = task_lesson
    client.force_login(trainee)
    upload = jpeg("orange.jpg")
    response = client.post(lesson.url, {"action": "task", "text": "一张照片", "files": [upload]})
    assert response.status_code == 302
    stored = SubmissionFile.objects.get(submission__user=trainee)
    assert keys(buckets.client, buckets.private) == [stored.file.name]
    assert stored.file.name.startswith(f"submissions/{trainee.pk}/")
    assert keys(buckets.client, buckets.public) == []
    assert not readable_by_anyone(buckets.client, buckets.private, stored.file.name)

    url = reverse("courses:submission_file", args=[stored.pk])
    location = assert_signed_redirect(
        client.get(url), bucket=buckets.private, key=stored.file.name, s3_server=s3_server
    )
    body, headers = fetch(location)
    assert body == content(upload)
    assert headers["Content-Type"] == "image/jpeg"
    assert headers["Cache-Control"] == "private, no-store"
    assert headers["Content-Disposition"].startswith("inline")

    client.force_login(TraineeFactory())
    assert_refused_without_a_link(client.get(url), buckets.private)
    client.logout()
    assert client.get(url)["Location"].startswith("/accounts/login/")


def test_sales_evidence_goes_to_the_private_bucket_for_the_owner_and_the_mentor_only(client, buckets, s3_server):
    shop = ShopFactory()
    mentor = make_mentor()
    assign(mentor, shop.owner)
    report = SalesReportFactory(shop=shop, month=datetime.date(2026, 10, 1), status="pending", verified_at=None)
    client.force_login(shop.owner)
    upload = pdf("statement.pdf")
    response = client.post(reverse("merchants:report_evidence", args=[shop.pk, report.pk]), {"files": [upload]})
    assert response.status_code == 302
    evidence = SalesEvidence.objects.get(report=report)
    assert keys(buckets.client, buckets.private) == [evidence.file.name]
    assert not readable_by_anyone(buckets.client, buckets.private, evidence.file.name)

    url = reverse("merchants:evidence_file", args=[evidence.pk])
    for person in (shop.owner, mentor):
        client.force_login(person)
        location = assert_signed_redirect(
            client.get(url), bucket=buckets.private, key=evidence.file.name, s3_server=s3_server
        )
        body, headers = fetch(location)
        assert body == content(upload) and headers["Content-Type"] == "application/pdf"
    for stranger in (TraineeFactory(), make_mentor()):
        client.force_login(stranger)
        assert_refused_without_a_link(client.get(url), buckets.private)


def test_an_order_export_goes_to_the_private_bucket_and_comes_back_through_the_writer(client, buckets):
    """The merchant's order export is kept in the private bucket; the owner and their mentor get
    its rows read back from there (through the one spreadsheet writer, so no public link is
    ever made); anyone else gets a 404."""
    import csv
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile

    from incubator.merchants.models import OrderExportUpload

    shop = ShopFactory(platform="taobao")
    mentor = make_mentor()
    assign(mentor, shop.owner)
    client.force_login(shop.owner)
    month = (timezone.localdate().replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    text = f"订单编号,订单创建时间,买家实际支付金额,订单状态\n9001,{month:%Y-%m}-02 10:00:00,88.00,交易成功\n"
    upload = SimpleUploadedFile("orders.csv", text.encode("gb18030"), content_type="text/csv")
    response = client.post(
        reverse("merchants:order_file_upload", args=[shop.pk]),
        {"export-month": f"{month:%Y-%m}", "export-file": upload},
    )
    assert response.status_code == 302
    stored = OrderExportUpload.objects.get(shop=shop)
    assert keys(buckets.client, buckets.private) == [stored.file.name]
    assert keys(buckets.client, buckets.public) == []
    assert not readable_by_anyone(buckets.client, buckets.private, stored.file.name)

    url = reverse("merchants:order_export_file", args=[stored.pk])
    for person in (shop.owner, mentor):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 200 and not response.has_header("Location")
        assert buckets.private not in response.content.decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))
        assert rows[1] == ["9001", f"{month:%Y-%m}-02 10:00:00", "88.00", "交易成功"]
    for stranger in (TraineeFactory(), make_mentor()):
        client.force_login(stranger)
        assert_refused_without_a_link(client.get(url), buckets.private)


def test_a_certificate_pdf_is_stored_privately_and_handed_to_its_holder(client, buckets, s3_server):
    holder = TraineeFactory(real_name="郑国强")
    certificate = Certificate.objects.create(
        holder=holder, holder_name="郑国强", cohort_name="2025年秋季网商班", issued_on=datetime.date(2025, 12, 20)
    )
    make_certificate_pdf(certificate_id=certificate.pk)
    certificate.refresh_from_db()
    assert keys(buckets.client, buckets.private) == [certificate.pdf.name]
    assert certificate.pdf.name.startswith("certificates/")

    url = reverse("merchants:certificate_pdf", args=[certificate.code])
    client.force_login(holder)
    response = client.get(url)
    location = assert_signed_redirect(response, bucket=buckets.private, key=certificate.pdf.name, s3_server=s3_server)
    assert "no-store" in response["Cache-Control"]
    body, headers = fetch(location)
    assert body.startswith(b"%PDF")
    assert headers["Content-Disposition"] == f'attachment; filename="certificate-{certificate.code}.pdf"'
    client.force_login(TraineeFactory())
    assert_refused_without_a_link(client.get(url), buckets.private)


def test_an_office_export_is_stored_privately_and_downloaded_by_whoever_asked(
    client, buckets, s3_server, django_capture_on_commit_callbacks
):
    SalesReportFactory(month=datetime.date(2026, 10, 1))
    office = OfficeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        export = export_jobs.request_export(table="sales_reports", by=office, format="csv")
    export.refresh_from_db()
    assert export.status == "ready"
    assert keys(buckets.client, buckets.private) == [export.file.name]

    url = reverse("exports:download", args=[export.pk])
    client.force_login(office)
    location = assert_signed_redirect(
        client.get(url), bucket=buckets.private, key=export.file.name, s3_server=s3_server
    )
    body, headers = fetch(location)
    assert headers["Content-Type"].startswith("text/csv")
    assert len(body.decode("utf-8-sig").splitlines()) == 2  # the header and the one report
    client.force_login(OfficeFactory())
    assert_refused_without_a_link(client.get(url), buckets.private)


def test_the_link_expires_as_configured_and_its_expiry_is_signed(client, buckets, task_lesson, s3_server):
    buckets.configure(PRIVATE_MEDIA_URL_EXPIRY="1")
    trainee, lesson = task_lesson
    submission = courses_services.submit_task(user=trainee, lesson=lesson, files=[jpeg()])
    stored = submission.files.get()
    client.force_login(trainee)
    location = client.get(reverse("courses:submission_file", args=[stored.pk]))["Location"]
    params = dict(parse_qsl(urlsplit(location).query))
    assert params["X-Amz-Expires"] == "1"
    signed_at = datetime.datetime.strptime(params["X-Amz-Date"], "%Y%m%dT%H%M%SZ").replace(tzinfo=datetime.UTC)
    now = datetime.datetime.now(datetime.UTC)
    assert abs((now - signed_at).total_seconds()) < 5  # signed at the request, not kept from earlier
    assert accepts(location, secret=SECRET_KEY, now=signed_at)
    assert not accepts(location, secret=SECRET_KEY, now=signed_at + datetime.timedelta(seconds=2))
    # The expiry is part of what is signed: a link stretched by hand no longer verifies.
    stretched = location.replace("X-Amz-Expires=1&", "X-Amz-Expires=3600&")
    assert stretched != location
    assert not accepts(stretched, secret=SECRET_KEY, now=signed_at + datetime.timedelta(seconds=2))
    # A second visit is checked and signed again: nothing hands out the old link.
    assert client.get(reverse("courses:submission_file", args=[stored.pk]))["Cache-Control"] == "private, no-store"


# --- public media --------------------------------------------------------------------------------


def test_a_wagtail_image_and_its_rendition_live_in_the_public_bucket(client, buckets, s3_server):
    client.force_login(OfficeFactory())
    response = client.post(
        "/admin/images/multiple/add/",
        {"files[]": jpeg("field.jpg", size=(64, 48))},
        HTTP_X_REQUESTED_WITH="XMLHttpRequest",
    )
    assert json.loads(response.content)["success"] is True
    image = get_image_model().objects.get(title="field.jpg")
    assert (image.width, image.height) == (64, 48)
    rendition = image.get_rendition("fill-32x32|format-webp")
    stored = keys(buckets.client, buckets.public)
    assert image.file.name in stored and rendition.file.name in stored
    assert image.file.name.startswith("original_images/") and rendition.file.name.startswith("images/")
    assert keys(buckets.client, buckets.private) == []
    # Public media: a plain, unsigned address that cached pages can keep showing.
    assert rendition.url == f"{s3_server}/{buckets.public}/{rendition.file.name}"
    assert readable_by_anyone(buckets.client, buckets.public, rendition.file.name)
    body, headers = fetch(rendition.url)
    assert body[:4] == b"RIFF" and body[8:12] == b"WEBP"
    assert headers["Content-Type"] == "image/webp"


def test_a_wagtail_document_lives_in_the_public_bucket(client, buckets, s3_server):
    client.force_login(OfficeFactory())
    upload = pdf("plan.pdf")
    response = client.post(
        reverse("wagtaildocs:add_multiple"), {"files[]": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
    )
    assert json.loads(response.content)["success"] is True
    document = get_document_model().objects.get(title="plan.pdf")
    assert keys(buckets.client, buckets.public) == [document.file.name]
    response = client.get(document.url)  # Wagtail's serve view sends the reader to the bucket
    assert response.status_code == 302
    assert fetch(response["Location"])[0] == content(upload)


def test_the_declaration_keeps_private_files_private():
    base = {"AWS_STORAGE_BUCKET_NAME": "media", "AWS_S3_CUSTOM_DOMAIN": "media.example.gov.cn"}
    declared = s3_storages(base)
    private = declared["private"]["OPTIONS"]
    assert (private["querystring_auth"], private["querystring_expire"], private["default_acl"]) == (True, 60, "private")
    assert private["custom_domain"] is None  # a custom domain would hand out unsigned links
    assert (private["bucket_name"], private["location"]) == ("media", "private")  # shared bucket: own prefix
    assert declared["default"]["OPTIONS"]["querystring_auth"] is False
    assert declared["default"]["OPTIONS"]["custom_domain"] == "media.example.gov.cn"
    from django.core.exceptions import ImproperlyConfigured

    with pytest.raises(ImproperlyConfigured):
        s3_storages({**base, "AWS_PRIVATE_LOCATION": ""})
    with pytest.raises(ImproperlyConfigured):
        s3_storages({})
