"""The certificate as a PDF (reportlab): Chinese text in an embedded CJK font, and a QR code
that opens the public verification page."""

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


def _centred_lines(canvas, text: str, *, font: str, size: float, y: float, width: float, max_width: float) -> float:
    """Draw `text` centred, wrapped by characters (Chinese has no spaces). Returns the next y."""
    from reportlab.pdfbase.pdfmetrics import stringWidth

    line, lines = "", []
    for char in text:
        if stringWidth(line + char, font, size) > max_width and line:
            lines.append(line)
            line = ""
        line += char
    if line:
        lines.append(line)
    for line in lines:
        canvas.setFont(font, size)
        canvas.drawCentredString(width / 2, y, line)
        y -= size * 1.5
    return y


def render_certificate(certificate) -> bytes:
    """The certificate's PDF bytes, in the site's default language (Chinese)."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen import canvas as pdf_canvas

    font = certificate_font()
    buffer = io.BytesIO()
    width, height = landscape(A4)
    with translation.override(settings.LANGUAGE_CODE):
        title = _("Certificate of Graduation")
        canvas = pdf_canvas.Canvas(buffer, pagesize=(width, height), pageCompression=1)
        canvas.setTitle(f"{title} · {certificate.holder_name}")
        canvas.setAuthor(str(settings.SITE_NAME))
        canvas.setSubject(certificate.code)

        brand = colors.HexColor("#8a2f14")
        canvas.setStrokeColor(brand)
        canvas.setLineWidth(3)
        canvas.rect(12 * mm, 12 * mm, width - 24 * mm, height - 24 * mm)
        canvas.setLineWidth(0.8)
        canvas.rect(15 * mm, 15 * mm, width - 30 * mm, height - 30 * mm)

        canvas.setFillColor(brand)
        y = height - 40 * mm
        canvas.setFont(font, 30)
        canvas.drawCentredString(width / 2, y, title)
        canvas.setFillColor(colors.black)
        y -= 12 * mm
        canvas.setFont(font, 13)
        canvas.drawCentredString(width / 2, y, str(settings.SITE_NAME))
        y -= 22 * mm
        canvas.setFont(font, 28)
        canvas.drawCentredString(width / 2, y, certificate.holder_name)
        y -= 14 * mm
        statement = _(
            "has completed the training of %(cohort)s, passed the required practical tasks with "
            "their mentor, and graduated on %(date)s."
        ) % {
            "cohort": certificate.cohort_name or _("the incubation programme"),
            "date": certificate.issued_on.isoformat(),
        }
        y = _centred_lines(canvas, statement, font=font, size=14, y=y, width=width, max_width=width - 90 * mm)
        if certificate.course_titles:
            y -= 4 * mm
            courses = _("Courses: %(courses)s") % {"courses": "、".join(certificate.course_titles)}
            y = _centred_lines(canvas, courses, font=font, size=11, y=y, width=width, max_width=width - 90 * mm)

        url = verification_url(certificate.code)
        size = 34 * mm
        canvas.drawImage(qr_image(url), width - 22 * mm - size, 22 * mm, size, size)
        canvas.setFont(font, 10)
        canvas.drawString(24 * mm, 34 * mm, _("Certificate code: %(code)s") % {"code": certificate.code})
        canvas.drawString(24 * mm, 28 * mm, _("Verify at: %(url)s") % {"url": url})
        canvas.drawString(24 * mm, 22 * mm, _("Issued on %(date)s") % {"date": certificate.issued_on.isoformat()})
        canvas.showPage()
        canvas.save()
    return buffer.getvalue()
