"""Certificates: the PDF (Chinese text, QR code), public verification, revocation, downloads."""

import datetime
import io

import pytest
from pypdf import PdfReader

from django.core.exceptions import ValidationError
from django.urls import reverse

from incubator.merchants import pdf
from incubator.merchants.models import Certificate
from incubator.merchants.services.graduation import make_certificate_pdf, revoke_certificate
from tests.factories import OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def certificate():
    holder = TraineeFactory(real_name="郑国强")
    return Certificate.objects.create(
        holder=holder,
        holder_name="郑国强",
        cohort_name="2025年秋季网商班",
        course_titles=["开网店入门", "直播带货"],
        issued_on=datetime.date(2025, 12, 20),
    )


def pdf_text(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_pdf_carries_the_chinese_name_cohort_courses_and_code(certificate):
    content = pdf.render_certificate(certificate)
    text = pdf_text(content)
    assert "结业证书" in text
    assert "郑国强" in text
    assert "2025年秋季网商班" in text
    assert "直播带货" in text
    assert certificate.code in text
    assert f"/certificates/{certificate.code}/" in text


def test_the_pdf_embeds_its_cjk_font(certificate):
    reader = PdfReader(io.BytesIO(pdf.render_certificate(certificate)))
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font).get("/FontDescriptor")
            if descriptor is not None:
                descriptor = descriptor.get_object()
                fonts.append(any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")))
    if pdf.certificate_font() == pdf.CID_FALLBACK:
        pytest.skip("no CJK TrueType font installed on this machine (apt-get install fonts-wqy-microhei)")
    assert fonts and all(fonts)


def test_the_task_stores_the_pdf_once(certificate):
    from incubator.merchants.tasks import generate_certificate_pdf

    assert generate_certificate_pdf.apply(args=[certificate.pk]).get() is True
    certificate.refresh_from_db()
    name = certificate.pdf.name
    assert name.startswith("certificates/")
    assert generate_certificate_pdf.apply(args=[certificate.pk]).get() is False  # idempotent
    certificate.refresh_from_db()
    assert certificate.pdf.name == name
    with certificate.pdf.open("rb") as handle:
        assert "郑国强" in pdf_text(handle.read())


def test_codes_are_long_unguessable_and_unique():
    from incubator.merchants.models.certificates import CODE_ALPHABET, new_certificate_code

    codes = {new_certificate_code() for _ in range(2000)}
    assert len(codes) == 2000
    assert all(len(code) == 14 and set(code) <= set(CODE_ALPHABET) for code in codes)


def test_the_public_page_verifies_a_valid_certificate(client, certificate):
    response = client.get(reverse("merchants:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    assert "这张证书真实有效。" in response.text
    assert "郑国强" in response.text and "2025年秋季网商班" in response.text and "2025-12-20" in response.text


def test_the_public_page_shows_a_revoked_certificate_with_its_reason(client, certificate):
    revoke_certificate(certificate=certificate, by=OfficeFactory(), reason="培训记录造假")
    response = client.get(reverse("merchants:certificate_verify", args=[certificate.code]))
    assert response.status_code == 200
    assert "这张证书已被撤销。" in response.text
    assert "培训记录造假" in response.text
    assert "真实有效" not in response.text


def test_an_unknown_code_is_a_plain_not_found(client, certificate):
    response = client.get(reverse("merchants:certificate_verify", args=["ABCDEFGHJKMNPQ"]))
    assert response.status_code == 404
    assert "没有这个编号的证书。请核对编号后再试。" in response.text
    assert "郑国强" not in response.text


def test_the_lookup_form_goes_to_the_verification_page(client, certificate):
    response = client.get(reverse("merchants:certificate_lookup"), {"code": f" {certificate.code.lower()} "})
    assert response.status_code == 302
    assert response["Location"] == reverse("merchants:certificate_verify", args=[certificate.code])


def test_revoking_needs_a_reason_and_happens_once(certificate):
    office = OfficeFactory()
    with pytest.raises(ValidationError) as error:
        revoke_certificate(certificate=certificate, by=office, reason="  ")
    assert error.value.message_dict == {"reason": ["请填写撤销证书的原因。"]}
    revoke_certificate(certificate=certificate, by=office, reason="重复发放")
    with pytest.raises(ValidationError) as error:
        revoke_certificate(certificate=certificate, by=office, reason="再次撤销")
    assert error.value.messages == ["这张证书已经撤销了。"]


def test_the_office_revokes_in_the_admin(client, certificate):
    client.force_login(OfficeFactory())
    url = reverse("merchants_admin:certificate_revoke", args=[certificate.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    response = client.post(url, {"reason": "信息有误"})
    assert response.status_code == 302
    certificate.refresh_from_db()
    assert certificate.revoked_reason == "信息有误" and certificate.is_revoked


def test_only_the_holder_and_the_office_download_the_pdf(client, certificate):
    make_certificate_pdf(certificate_id=certificate.pk)
    url = reverse("merchants:certificate_pdf", args=[certificate.code])
    client.force_login(TraineeFactory())
    assert client.get(url).status_code == 404
    client.force_login(certificate.holder)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    client.force_login(OfficeFactory())
    assert client.get(url).status_code == 200


def test_a_revoked_certificate_s_pdf_is_no_longer_served(client, certificate):
    make_certificate_pdf(certificate_id=certificate.pk)
    revoke_certificate(certificate=certificate, by=OfficeFactory(), reason="姓名有误")
    url = reverse("merchants:certificate_pdf", args=[certificate.code])
    for person in (certificate.holder, OfficeFactory()):
        client.force_login(person)
        response = client.get(url)
        assert response.status_code == 410
        assert response["Content-Type"].startswith("text/html")
        assert "姓名有误" in response.text  # the page says revoked, with the reason


def test_re_issuing_after_a_correction_makes_a_new_certificate(client):
    from incubator.merchants.services.graduation import reissue_certificate

    from .factories import make_cohort, make_profile

    cohort = make_cohort()
    profile = make_profile(cohort=cohort, stage="graduate", user=TraineeFactory(real_name="郑国墙"))
    old = Certificate.objects.create(
        holder=profile.user,
        cohort=cohort,
        holder_name="郑国墙",
        cohort_name=cohort.name,
        issued_on=datetime.date(2025, 12, 20),
    )
    office = OfficeFactory()
    with pytest.raises(ValidationError):
        reissue_certificate(certificate=old, by=office)  # still valid: revoke it first
    profile.user.real_name = "郑国强"
    profile.user.save()
    revoke_certificate(certificate=old, by=office, reason="姓名写错")
    client.force_login(office)
    response = client.post(reverse("merchants_admin:certificate_reissue", args=[old.pk]))
    assert response.status_code == 302
    new = Certificate.objects.valid().get(holder=profile.user)
    assert new.pk != old.pk and new.code != old.code
    assert new.holder_name == "郑国强" and new.cohort == cohort
    old.refresh_from_db()
    assert old.is_revoked
    with pytest.raises(ValidationError):
        reissue_certificate(certificate=old, by=office)  # a valid one exists now


def test_a_re_issue_leaves_the_old_code_revoked_and_serves_the_new_pdf(client, django_capture_on_commit_callbacks):
    """The whole correction, as the holder and the public see it: the old code's PDF refused and its
    page saying revoked; the new certificate made from the corrected name, its PDF served."""
    from core.models import Notification
    from incubator.merchants.services.graduation import reissue_certificate

    from .factories import make_cohort, make_profile

    cohort = make_cohort(name="2025年秋季网商班")
    profile = make_profile(cohort=cohort, stage="merchant", user=TraineeFactory(real_name="郑国墙"))
    old = Certificate.objects.create(
        holder=profile.user,
        cohort=cohort,
        holder_name="郑国墙",
        cohort_name=cohort.name,
        issued_on=datetime.date(2025, 12, 20),
    )
    make_certificate_pdf(certificate_id=old.pk)
    office = OfficeFactory()
    profile.user.real_name = "郑国强"
    profile.user.save()
    revoke_certificate(certificate=old, by=office, reason="姓名写错")
    with django_capture_on_commit_callbacks(execute=True):
        new = reissue_certificate(certificate=old, by=office)
    new.refresh_from_db()
    assert new.pdf and new.holder_name == "郑国强" and new.code != old.code
    assert Notification.objects.filter(recipient=profile.user, kind="certificate-reissued").count() == 1

    client.force_login(profile.user)
    refused = client.get(reverse("merchants:certificate_pdf", args=[old.code]))
    assert refused.status_code == 410
    assert "这张证书已被撤销。" in refused.text and "姓名写错" in refused.text
    served = client.get(reverse("merchants:certificate_pdf", args=[new.code]))
    assert served.status_code == 200
    text = pdf_text(b"".join(served.streaming_content))
    assert "郑国强" in text and "郑国墙" not in text
    # The holder's list: the new one to download, the old one marked revoked and not offered.
    page = client.get(reverse("merchants:my_certificates")).text
    assert reverse("merchants:certificate_pdf", args=[new.code]) in page
    assert reverse("merchants:certificate_pdf", args=[old.code]) not in page
    assert '<span class="status status-err">已撤销</span>' in page
    # The public pages: the old code says revoked, the new one valid.
    client.logout()
    assert "这张证书已被撤销。" in client.get(reverse("merchants:certificate_verify", args=[old.code])).text
    assert "这张证书真实有效。" in client.get(reverse("merchants:certificate_verify", args=[new.code])).text
