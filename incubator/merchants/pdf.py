"""The certificate as a PDF (reportlab): Chinese text in an embedded CJK font, wrapped by
reportlab's CJK rules; the office's name, signatory and seal (the `CertificateSignature`
setting); and a QR code that opens the public verification page.

A PDF is made once, when the certificate is issued, and kept: a seal uploaded later does not
change certificates already handed out unless the office asks for it
(`manage.py regenerate_certificate_pdfs`)."""

import io
import logging
import os
from functools import lru_cache

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from core.links import absolute_url

logger = logging.getLogger(__name__)

# TrueType/OpenType CJK fonts looked for in this order (Debian: fonts-wqy-microhei,
# fonts-wqy-zenhei, fonts-noto-cjk). MERCHANTS_CERTIFICATE_FONT names another file.
FONT_CANDIDATES = [
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
    "/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc",
    "/usr/share/fonts/truetype/arphic/uming.ttc",
]
CID_FALLBACK = "STSong-Light"


@lru_cache(maxsize=1)
def certificate_font() -> str:
    """Register and return the name of the font for Chinese text. An embedded TrueType font when
    one is installed; otherwise reportlab's built-in CID font (renders, but is not embedded)."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfbase.ttfonts import TTFont

    configured = getattr(settings, "MERCHANTS_CERTIFICATE_FONT", "") or os.environ.get("MERCHANTS_CERTIFICATE_FONT", "")
    for path in [configured, *FONT_CANDIDATES]:
        if path and os.path.exists(path):
            try:
                pdfmetrics.registerFont(TTFont("CertificateCJK", path, subfontIndex=0))
            except Exception:  # a damaged or unsupported file: try the next one
                logger.warning("Could not load the font %s for certificates", path)
                continue
            return "CertificateCJK"
    logger.warning("No CJK TrueType font installed: certificates use %s, which is not embedded", CID_FALLBACK)
    pdfmetrics.registerFont(UnicodeCIDFont(CID_FALLBACK))
    return CID_FALLBACK


def verification_url(code: str) -> str:
    return absolute_url(reverse("merchants:certificate_verify", args=[code]))


def qr_image(data: str):
    import qrcode
    from reportlab.lib.utils import ImageReader

    image = qrcode.make(data, border=1, box_size=8)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    buffer.seek(0)
    return ImageReader(buffer)


# Where the certificate's parts go (landscape A4, 297 x 210 mm), in millimetres.
BODY_LEFT, BODY_RIGHT, BODY_BOTTOM, BODY_TOP = 40, 257, 72, 192
FOOT_LEFT, FOOT_WIDTH = 24, 106  # code, verification address, date
SIGN_LEFT, SIGN_RIGHT = 134, 233  # office name and signatory, right-aligned, left of the QR code
SEAL_SIZE = 38
SIGNATURE_HEIGHT = 13
# Renditions: a phone photo of a seal can be 4000 px across; the PDF needs no more than this.
SEAL_RENDITION = "max-600x600|format-png"
SIGNATURE_RENDITION = "max-600x200|format-png"
# A JPEG has no transparency: its paper-white is masked out, so the office's name shows through.
PAPER_WHITE = [230, 255, 230, 255, 230, 255]


def _style(name: str, *, font: str, size: float, alignment=None, color=None, leading: float | None = None):
    """A paragraph style that wraps Chinese by reportlab's CJK rules (a line may break between any
    two characters, but never before a closing mark such as ，。、）)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_CENTER
    from reportlab.lib.styles import ParagraphStyle

    return ParagraphStyle(
        name,
        fontName=font,
        fontSize=size,
        leading=leading or size * 1.45,
        alignment=TA_CENTER if alignment is None else alignment,
        textColor=color or colors.black,
        wordWrap="CJK",
    )


def _paragraph(text: str, style):
    from xml.sax.saxutils import escape

    from reportlab.platypus import Paragraph

    # Paragraph text is reportlab's markup: a name is text, never tags (<img src=...> reads files).
    return Paragraph(escape(str(text)), style)


def _signature_image(image, spec: str):
    """(ImageReader, mask) for a Wagtail image, through a downscaled PNG rendition; None without one."""
    from PIL import Image as PillowImage
    from reportlab.lib.utils import ImageReader

    if image is None:
        return None
    rendition = image.get_rendition(spec)
    with rendition.open_file() as handle, PillowImage.open(handle) as picture:
        picture.load()
        if picture.mode in ("RGBA", "LA", "PA") or "transparency" in picture.info:
            return ImageReader(picture.convert("RGBA")), "auto"
        return ImageReader(picture.convert("RGB")), PAPER_WHITE


def _draw_paragraph(canvas, paragraph, *, left: float, width: float, bottom: float) -> tuple[float, float]:
    """Draw a paragraph in a box `width` wide whose bottom is at `bottom`; returns (its height,
    the width of its longest line)."""
    _w, height = paragraph.wrap(width, 1000)
    paragraph.drawOn(canvas, left, bottom)
    widths = paragraph.getActualLineWidths0() or [0]
    return height, max(widths)


def _draw_signature(canvas, *, signature, font: str) -> None:
    """The office's name with its seal over it, and the signatory line below (bottom right)."""
    from reportlab.lib.enums import TA_RIGHT
    from reportlab.lib.units import mm

    left, width = SIGN_LEFT * mm, (SIGN_RIGHT - SIGN_LEFT) * mm
    office_name = (signature.office_name if signature else "") or _("County E-commerce Office")
    signatory = ""
    if signature and signature.signatory_name:
        signatory = _("%(title)s: %(name)s") % {
            "title": signature.signatory_title or _("Signatory"),
            "name": signature.signatory_name,
        }
    signatory_bottom = 30 * mm
    signatory_height = signatory_width = 0
    if signatory:
        paragraph = _paragraph(signatory, _style("signatory", font=font, size=12, alignment=TA_RIGHT))
        signatory_height, signatory_width = _draw_paragraph(
            canvas, paragraph, left=left, width=width, bottom=signatory_bottom
        )
    office_bottom = signatory_bottom + max(signatory_height, 5 * mm) + 3 * mm
    office = _paragraph(office_name, _style("office", font=font, size=15, alignment=TA_RIGHT))
    office_height, office_width = _draw_paragraph(canvas, office, left=left, width=width, bottom=office_bottom)

    right = left + width
    # Drawn after the text, so that the seal lies over the office's name as a stamp does.
    seal = _signature_image(signature.seal if signature else None, SEAL_RENDITION)
    if seal is not None:
        reader, mask = seal
        size = SEAL_SIZE * mm
        centre_x = right - office_width / 2
        centre_y = office_bottom + office_height / 2
        canvas.drawImage(
            reader, centre_x - size / 2, centre_y - size / 2, size, size, mask=mask, preserveAspectRatio=True
        )
    handwriting = _signature_image(signature.signature if signature else None, SIGNATURE_RENDITION)
    if handwriting is not None:
        reader, mask = handwriting
        height = SIGNATURE_HEIGHT * mm
        box = 45 * mm
        canvas.drawImage(
            reader,
            right - box,
            signatory_bottom + signatory_height / 2 - height / 2,
            box,
            height,
            mask=mask,
            preserveAspectRatio=True,
            anchor="e",
        )


def certificate_signature():
    from incubator.merchants.models import CertificateSignature

    return CertificateSignature.load()


def render_certificate(certificate) -> bytes:
    """The certificate's PDF bytes, in the site's default language (Chinese), signed with the
    office's current `CertificateSignature` (its seal, when one is uploaded)."""
    from reportlab.lib import colors
    from reportlab.lib.enums import TA_LEFT
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as pdf_canvas
    from reportlab.platypus import Frame, KeepInFrame, Spacer

    font = certificate_font()
    signature = certificate_signature()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    brand = colors.HexColor("#8a2f14")
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Certificate of Graduation")
        canvas = pdf_canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
        canvas.setTitle(f"{title} · {certificate.holder_name}")
        canvas.setAuthor(str(settings.SITE_NAME))
        canvas.setSubject(certificate.code)

        canvas.setStrokeColor(brand)
        canvas.setLineWidth(3)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

        statement = _(
            "has completed the training of %(cohort)s, passed the required practical tasks with "
            "their mentor, and graduated on %(date)s."
        ) % {
            "cohort": certificate.cohort_name or _("the incubation programme"),
            "date": certificate.issued_on.isoformat(),
        }
        body = [
            _paragraph(title, _style("title", font=font, size=30, color=brand)),
            _paragraph(settings.SITE_NAME, _style("site", font=font, size=13)),
            Spacer(1, 14 * mm),
            _paragraph(certificate.holder_name, _style("holder", font=font, size=28)),
            Spacer(1, 5 * mm),
            _paragraph(statement, _style("statement", font=font, size=14)),
        ]
        if certificate.course_titles:
            courses = _("Courses: %(courses)s") % {"courses": "、".join(certificate.course_titles)}
            body += [Spacer(1, 3 * mm), _paragraph(courses, _style("courses", font=font, size=11))]
        frame_width, frame_height = (BODY_RIGHT - BODY_LEFT) * mm, (BODY_TOP - BODY_BOTTOM) * mm
        frame = Frame(BODY_LEFT * mm, BODY_BOTTOM * mm, frame_width, frame_height, showBoundary=0)
        # A very long list of courses shrinks the text to fit: a certificate is one page.
        frame.addFromList([KeepInFrame(frame_width, frame_height, body, mode="shrink", vAlign="TOP")], canvas)

        url = verification_url(certificate.code)
        qr_size = 34 * mm
        canvas.drawImage(qr_image(url), width - 22 * mm - qr_size, 22 * mm, qr_size, qr_size)
        foot = _style("foot", font=font, size=10, alignment=TA_LEFT, leading=14)
        lines = [
            _("Certificate code: %(code)s") % {"code": certificate.code},
            _("Verify at: %(url)s") % {"url": url},
            _("Issued on %(date)s") % {"date": certificate.issued_on.isoformat()},
        ]
        bottom = 20 * mm
        for line in reversed(lines):
            line_height, _line_width = _draw_paragraph(
                canvas, _paragraph(line, foot), left=FOOT_LEFT * mm, width=FOOT_WIDTH * mm, bottom=bottom
            )
            bottom += line_height
        _draw_signature(canvas, signature=signature, font=font)
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
