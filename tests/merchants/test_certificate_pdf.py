"""The certificate PDF's layout: Chinese wrapped inside the frame, the office's seal and signatory
(the `CertificateSignature` setting), and issued PDFs kept as they were."""

import datetime
import io

import pytest
from PIL import Image as PillowImage
from PIL import ImageDraw
from pypdf import PdfReader

from django.core.exceptions import ValidationError
from django.core.files.images import ImageFile
from django.core.management import call_command

from wagtail.images import get_image_model

from incubator.merchants import pdf
from incubator.merchants.models import Certificate, CertificateSignature
from incubator.merchants.models.certificates import ERROR_SEAL_FORMAT, ERROR_SIGNATURE_FORMAT
from incubator.merchants.services.graduation import make_certificate_pdf, revoke_certificate
from tests.factories import OfficeFactory, TraineeFactory

pytestmark = pytest.mark.django_db

LONG_COURSE = "秭阳脐橙标准化种植采摘分级包装冷链物流与淘宝拼多多抖音三大平台店铺运营直播带货售后服务全流程实战训练营（2026年春季第一期）"
LONG_NAME = "阿卜杜热合曼·买买提依明" * 4
MM = 72 / 25.4
A4_LANDSCAPE = (297 * MM, 210 * MM)
INNER_BORDER = 15 * MM  # the inner frame drawn on the page


def make_certificate(**overrides) -> Certificate:
    fields = {
        "holder": TraineeFactory(real_name="郑国强"),
        "holder_name": "郑国强",
        "cohort_name": "2025年秋季网商班",
        "course_titles": ["开网店入门", "直播带货"],
        "issued_on": datetime.date(2025, 12, 20),
    }
    fields.update(overrides)
    return Certificate.objects.create(**fields)


def wagtail_image(*, mode="RGBA", kind="PNG", size=(1200, 1200), title="县电商办公章"):
    """A drawn red seal: a ring and a star on a transparent (or white) ground."""
    background = (255, 255, 255, 0) if mode == "RGBA" else (255, 255, 255)
    picture = PillowImage.new(mode, size, background)
    draw = ImageDraw.Draw(picture)
    width, height = size
    draw.ellipse((20, 20, width - 20, height - 20), outline=(200, 20, 20), width=max(8, width // 25))
    draw.regular_polygon((width / 2, height / 2, min(size) / 5), 5, fill=(200, 20, 20))
    buffer = io.BytesIO()
    picture.save(buffer, kind)
    extension = {"PNG": "png", "JPEG": "jpg", "GIF": "gif"}[kind]
    image = get_image_model()(title=title, file=ImageFile(buffer, name=f"seal.{extension}"))
    image.save()
    return image


def sign(**fields) -> CertificateSignature:
    signature = CertificateSignature.load()
    for name, value in fields.items():
        setattr(signature, name, value)
    signature.full_clean()
    signature.save()
    return signature


def page_of(content: bytes):
    return PdfReader(io.BytesIO(content)).pages[0]


def text_runs(content: bytes) -> list[dict]:
    """Every run of text pypdf finds on the page: its text, where it starts and how wide it is
    (measured with the certificate's font at the size it is drawn)."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    font = pdf.certificate_font()
    runs = []

    def visit(text, cm, tm, font_dict, font_size):
        text = text.strip()
        if not text:
            return
        # Text space to page space: the text matrix, then the current transformation matrix.
        x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
        y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
        scale = (tm[0] * cm[0] + tm[1] * cm[2]) or 1
        size = font_size * scale
        runs.append({"text": text, "x": x, "y": y, "width": stringWidth(text, font, size)})

    page_of(content).extract_text(visitor_text=visit)
    return runs


def image_count(content: bytes) -> int:
    return len(page_of(content).images)


def test_a_sixty_character_course_title_wraps_over_lines_inside_the_frame():
    assert len(LONG_COURSE) >= 60
    certificate = make_certificate(course_titles=[LONG_COURSE, "直播带货"], holder_name=LONG_NAME)
    content = pdf.render_certificate(certificate)
    runs = text_runs(content)
    text = "".join(run["text"] for run in runs)
    assert LONG_COURSE in text  # every character, in order, across the lines
    assert LONG_NAME in text
    course_lines = {
        round(run["y"]) for run in runs if run["text"] and run["text"] in "课程：" + LONG_COURSE + "、直播带货"
    }
    assert len(course_lines) >= 2
    name_lines = {round(run["y"]) for run in runs if run["text"] in LONG_NAME}
    assert len(name_lines) >= 2
    width, height = A4_LANDSCAPE
    for run in runs:
        assert run["x"] >= INNER_BORDER, run
        assert run["x"] + run["width"] <= width - INNER_BORDER + 0.5, run
        assert INNER_BORDER <= run["y"] <= height - INNER_BORDER, run


def test_a_line_never_starts_with_a_closing_mark():
    titles = [f"课程{number:02d}网店" for number in range(40)]  # many 、 to break at
    content = pdf.render_certificate(make_certificate(course_titles=titles))
    starts = [run["text"][0] for run in text_runs(content)]
    assert not any(start in "、，。）" for start in starts)


def test_names_are_printed_as_text_never_as_markup():
    certificate = make_certificate(holder_name='<img src="/etc/hostname"/>郑&国强', cohort_name="<b>秋季班</b>")
    content = pdf.render_certificate(certificate)
    text = "".join(run["text"] for run in text_runs(content))
    assert '<img src="/etc/hostname"/>郑&国强' in text
    assert "<b>秋季班</b>" in text
    assert image_count(content) == 1  # the QR code only


def test_without_the_setting_the_pdf_has_a_default_office_and_no_seal():
    content = pdf.render_certificate(make_certificate())
    text = "".join(run["text"] for run in text_runs(content))
    assert "县电子商务办公室" in text
    assert image_count(content) == 1  # the QR code


def test_the_office_s_seal_and_signatory_are_printed():
    sign(office_name="秭阳县电子商务办公室", signatory_title="主任", signatory_name="王建国", seal=wagtail_image())
    content = pdf.render_certificate(make_certificate())
    runs = text_runs(content)
    text = "".join(run["text"] for run in runs)
    assert "秭阳县电子商务办公室" in text
    assert "主任：王建国" in text
    assert image_count(content) == 2  # the QR code and the seal
    office = next(run for run in runs if "秭阳县电子商务办公室" in run["text"])
    signatory = next(run for run in runs if "王建国" in run["text"])
    assert signatory["y"] < office["y"]  # the signatory's line under the office's name
    assert office["x"] > A4_LANDSCAPE[0] / 2  # at the bottom right
    seal = page_of(content).images[-1]
    assert max(seal.image.size) <= 600  # a rendition, not the 1200 px upload


def test_a_handwritten_signature_is_printed_with_the_seal():
    sign(
        signatory_name="王建国",
        seal=wagtail_image(mode="RGB", kind="JPEG"),
        signature=wagtail_image(size=(900, 300), title="签名"),
    )
    content = pdf.render_certificate(make_certificate())
    assert image_count(content) == 3
    drawn = {image.image.size: image.indirect_reference.get_object() for image in page_of(content).images}
    seal, handwriting = drawn[(600, 600)], drawn[(600, 200)]  # renditions of the 1200 and 900 px uploads
    assert "/Mask" in seal  # the JPEG's paper-white is keyed out, so the office's name shows through
    assert "/SMask" in handwriting  # the PNG keeps its own transparency


@pytest.mark.parametrize(
    ("mode", "kind"),
    [("RGB", "PNG"), ("RGB", "GIF")],
    ids=["png without transparency", "gif"],
)
def test_the_seal_must_be_a_transparent_png_or_a_jpeg(mode, kind):
    signature = CertificateSignature.load()
    signature.seal = wagtail_image(mode=mode, kind=kind)
    with pytest.raises(ValidationError) as error:
        signature.full_clean()
    assert error.value.message_dict == {"seal": [str(ERROR_SEAL_FORMAT)]}
    assert str(ERROR_SEAL_FORMAT) == "公章须为透明背景的 PNG 图片，或 JPEG 图片。"


def test_the_signature_must_be_a_png_or_a_jpeg():
    signature = CertificateSignature.load()
    signature.signature = wagtail_image(mode="RGB", kind="GIF")
    with pytest.raises(ValidationError) as error:
        signature.full_clean()
    assert error.value.message_dict == {"signature": [str(ERROR_SIGNATURE_FORMAT)]}


def test_an_issued_pdf_keeps_its_look_when_the_seal_changes_until_the_office_regenerates():
    certificate = make_certificate()
    make_certificate_pdf(certificate_id=certificate.pk)
    revoked = make_certificate(holder=TraineeFactory(), holder_name="覃小燕")
    make_certificate_pdf(certificate_id=revoked.pk)
    revoke_certificate(certificate=revoked, by=OfficeFactory(), reason="重复发放")
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        before = handle.read()
    assert image_count(before) == 1
    sign(office_name="秭阳县电子商务办公室", seal=wagtail_image())

    assert make_certificate_pdf(certificate_id=certificate.pk) is False  # the nightly task leaves it
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        assert handle.read() == before

    out = io.StringIO()
    call_command("regenerate_certificate_pdfs", stdout=out)
    assert out.getvalue().strip() == "1 certificate PDF(s) made again."
    certificate.refresh_from_db()
    with certificate.pdf.open("rb") as handle:
        assert image_count(handle.read()) == 2  # now with the seal
    revoked.refresh_from_db()
    with revoked.pdf.open("rb") as handle:
        assert image_count(handle.read()) == 1  # a revoked certificate is left as it was


def test_the_office_edits_the_setting_in_the_admin(client):
    from django.urls import reverse

    from core import roles

    roles.sync_role_permissions()
    seal = wagtail_image()
    client.force_login(OfficeFactory())
    url = reverse("wagtailsettings:edit", args=["merchants", "certificatesignature", CertificateSignature.load().pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "office_name": "秭阳县电子商务办公室",
            "signatory_title": "主任",
            "signatory_name": "王建国",
            "seal": seal.pk,
            "signature": "",
        },
    )
    assert response.status_code == 302
    signature = CertificateSignature.load()
    assert signature.seal == seal and signature.signatory_name == "王建国"
    assert client.get(url).status_code == 200
    client.force_login(TraineeFactory())
    assert client.get(url).status_code in (302, 403)


def test_the_demo_office_signs_with_a_drawn_seal():
    from incubator.merchants.demo import DEMO_OFFICE, seed_signature

    seed_signature()
    signature = seed_signature()  # twice: still one seal
    assert get_image_model().objects.count() == 1
    assert signature.office_name == DEMO_OFFICE and signature.seal is not None
    content = pdf.render_certificate(make_certificate())
    assert image_count(content) == 2
    assert DEMO_OFFICE in "".join(run["text"] for run in text_runs(content))
