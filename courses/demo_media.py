"""Media of the demo lessons, made at seed time: pictures drawn with Pillow, a checklist PDF
written with reportlab, and a short video encoded by ffmpeg from Pillow frames (left out, with a
warning, where ffmpeg is not installed). Each is found by its title, so seeding twice adds
nothing; a lesson gets its media blocks once."""

import io
import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile

from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtailmedia.models import get_media_model

logger = logging.getLogger(__name__)

ORANGE, LEAF, BOX, PAPER, INK = (236, 140, 32), (76, 140, 60), (196, 150, 98), (255, 253, 249), (60, 50, 40)


def _png(draw_fn, size=(960, 540)) -> bytes:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", size, PAPER)
    draw_fn(ImageDraw.Draw(image), size)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", optimize=True)
    return buffer.getvalue()


def _orange(draw, x, y, r):
    draw.ellipse((x - r, y - r, x + r, y + r), fill=ORANGE, outline=(190, 100, 20), width=3)
    draw.ellipse((x - 6, y - r - 10, x + 14, y - r + 4), fill=LEAF)


def draw_packed_box(draw, size):
    """A box seen from above: oranges in nets, one per cell of a cardboard divider."""
    width, height = size
    left, top, right, bottom = 180, 60, width - 180, height - 60
    draw.rectangle((left, top, right, bottom), fill=BOX, outline=INK, width=6)
    cols, rows = 4, 3
    cell_w, cell_h = (right - left) / cols, (bottom - top) / rows
    for col in range(1, cols):
        x = left + col * cell_w
        draw.line((x, top, x, bottom), fill=INK, width=4)
    for row in range(1, rows):
        y = top + row * cell_h
        draw.line((left, y, right, y), fill=INK, width=4)
    for col in range(cols):
        for row in range(rows):
            x, y = left + (col + 0.5) * cell_w, top + (row + 0.5) * cell_h
            _orange(draw, x, y, min(cell_w, cell_h) * 0.36)
            draw.arc((x - 50, y - 50, x + 50, y + 50), 0, 360, fill=(240, 240, 240), width=2)


def draw_thirds(draw, size):
    """The rule of thirds on a phone's screen: the orange on a crossing of the grid lines."""
    width, height = size
    draw.rounded_rectangle((140, 20, width - 140, height - 20), radius=36, fill=(245, 240, 230), outline=INK, width=6)
    inner_w, inner_h = width - 280, height - 40
    for step in (1, 2):
        x = 140 + step * inner_w / 3
        y = 20 + step * inner_h / 3
        draw.line((x, 20, x, height - 20), fill=(150, 150, 150), width=3)
        draw.line((140, y, width - 140, y), fill=(150, 150, 150), width=3)
    _orange(draw, 140 + 2 * inner_w / 3, 20 + inner_h / 3, 70)


def draw_light(draw, size):
    """Window light from the side and a white card reflecting it onto the fruit."""
    width, height = size
    draw.rectangle((20, 40, 200, height - 40), fill=(210, 230, 250), outline=INK, width=5)
    for y in range(80, height - 60, 60):
        draw.line((200, y, width / 2 - 60, height / 2), fill=(250, 220, 120), width=4)
    _orange(draw, width / 2, height / 2, 90)
    draw.rectangle((width - 220, 120, width - 180, height - 120), fill=(255, 255, 255), outline=INK, width=4)


IMAGES = {
    "demo-packed-box": ("装箱示意：网套加隔板，一格一个果", draw_packed_box),
    "demo-rule-of-thirds": ("三分法构图：果子放在网格交点上", draw_thirds),
    "demo-window-light": ("窗边侧光加白卡补光", draw_light),
}


def ensure_image(key: str):
    Image = get_image_model()
    title, draw_fn = IMAGES[key]
    found = Image.objects.filter(title=title).first()
    if found is None:
        found = Image(title=title, description=title)
        found.file = ImageFile(ContentFile(_png(draw_fn), name=f"{key}.png"), name=f"{key}.png")
        found.save()
    return found


CHECKLIST_TITLE = "脐橙发货检查清单"
CHECKLIST = [
    "果子逐个检查：没有磕碰、没有软烂、大小一致。",
    "每个果子套好网套，箱内放隔板，一格一个。",
    "箱子四角塞满填充物，摇一摇听不到晃动。",
    "封箱用“工”字形封法，贴好易碎和向上标识。",
    "面单写清收件人电话，拍一张装箱照片留底。",
    "发货后当天在店铺后台填写快递单号。",
]


def checklist_pdf() -> bytes:
    from reportlab.lib.pagesizes import A4
    from reportlab.lib.units import mm
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas as pdf_canvas

    font = "STSong-Light"  # reportlab's built-in Chinese font: nothing to install
    pdfmetrics.registerFont(UnicodeCIDFont(font))
    buffer = io.BytesIO()
    canvas = pdf_canvas.Canvas(buffer, pagesize=A4)
    canvas.setTitle(CHECKLIST_TITLE)
    width, height = A4
    canvas.setFont(font, 22)
    canvas.drawString(20 * mm, height - 30 * mm, CHECKLIST_TITLE)
    canvas.setFont(font, 13)
    y = height - 48 * mm
    for item in CHECKLIST:
        canvas.rect(20 * mm, y - 1 * mm, 5 * mm, 5 * mm)
        canvas.drawString(29 * mm, y, item)
        y -= 12 * mm
    canvas.setFont(font, 10)
    canvas.drawString(20 * mm, 20 * mm, "秭阳县电商孵化平台 · 包装与冷链发货课程")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def ensure_checklist():
    Document = get_document_model()
    found = Document.objects.filter(title=CHECKLIST_TITLE).first()
    if found is None:
        found = Document(title=CHECKLIST_TITLE)
        found.file.save("shipping-checklist.pdf", ContentFile(checklist_pdf()), save=False)
        found.save()
    return found


VIDEO_TITLE = "装箱演示：一格一个果"
VIDEO_SIZE, VIDEO_FPS, VIDEO_FRAMES = (480, 270), 10, 40


def _frame(count: int) -> bytes:
    """The box of draw_packed_box with the first `count` cells filled."""
    from PIL import Image, ImageDraw

    width, height = VIDEO_SIZE
    image = Image.new("RGB", VIDEO_SIZE, PAPER)
    draw = ImageDraw.Draw(image)
    left, top, right, bottom = 90, 30, width - 90, height - 30
    draw.rectangle((left, top, right, bottom), fill=BOX, outline=INK, width=4)
    cols, rows = 4, 3
    cell_w, cell_h = (right - left) / cols, (bottom - top) / rows
    for col in range(1, cols):
        draw.line((left + col * cell_w, top, left + col * cell_w, bottom), fill=INK, width=3)
    for row in range(1, rows):
        draw.line((left, top + row * cell_h, right, top + row * cell_h), fill=INK, width=3)
    for n in range(count):
        col, row = n % cols, n // cols
        _orange(draw, left + (col + 0.5) * cell_w, top + (row + 0.5) * cell_h, min(cell_w, cell_h) * 0.34)
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def packing_video() -> tuple[bytes, bytes] | None:
    """(mp4, poster jpeg) of the box filling up, or None without ffmpeg."""
    ffmpeg = shutil.which("ffmpeg")
    if ffmpeg is None:
        logger.warning("ffmpeg is not installed: the demo lessons have no video (apt-get install ffmpeg)")
        return None
    frames = b"".join(_frame(min(12, n // 3)) for n in range(VIDEO_FRAMES))
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "packing.mp4"
        command = [ffmpeg, "-loglevel", "error", "-y", "-f", "image2pipe", "-framerate", str(VIDEO_FPS)]
        command += ["-i", "-", "-c:v", "libx264", "-pix_fmt", "yuv420p", "-movflags", "+faststart", str(out)]
        try:
            subprocess.run(command, input=frames, check=True, timeout=120)  # noqa: S603 (a fixed command)
        except (subprocess.SubprocessError, OSError) as error:
            logger.warning("ffmpeg could not make the demo video: %s", error)
            return None
        video = out.read_bytes()
    from PIL import Image

    poster = io.BytesIO()
    Image.open(io.BytesIO(_frame(12))).convert("RGB").save(poster, "JPEG", quality=80)
    return video, poster.getvalue()


def ensure_video():
    Media = get_media_model()
    found = Media.objects.filter(title=VIDEO_TITLE).first()
    if found is None:
        made = packing_video()
        if made is None:
            return None
        video, poster = made
        width, height = VIDEO_SIZE
        found = Media(title=VIDEO_TITLE, type="video", width=width, height=height, duration=VIDEO_FRAMES / VIDEO_FPS)
        found.file.save("packing.mp4", ContentFile(video), save=False)
        found.thumbnail.save("packing.jpg", ContentFile(poster), save=False)
        found.save()
    return found


def lesson_media() -> dict[str, list[tuple[str, dict]]]:
    """The media blocks each demo lesson gets, by lesson slug."""
    blocks = {
        "packing-oranges": [
            ("image", {"image": ensure_image("demo-packed-box"), "caption": IMAGES["demo-packed-box"][0]}),
            ("document", {"document": ensure_checklist(), "label": "下载发货检查清单（PDF）"}),
        ],
        "composition-with-a-phone": [
            ("image", {"image": ensure_image("demo-rule-of-thirds"), "caption": IMAGES["demo-rule-of-thirds"][0]}),
        ],
        "light-and-background": [
            ("image", {"image": ensure_image("demo-window-light"), "caption": IMAGES["demo-window-light"][0]}),
        ],
    }
    video = ensure_video()
    if video is not None:
        blocks["packing-oranges"].insert(1, ("video", {"video": video, "caption": VIDEO_TITLE}))
    return blocks


def add_media_to_lessons(lessons) -> None:
    """Put each lesson's media blocks after its first block, once (a new published revision)."""
    wanted = lesson_media()
    for lesson in lessons:
        blocks = wanted.get(lesson.slug)
        if not blocks or any(block.block_type in {"image", "video", "document"} for block in lesson.body):
            continue
        body = [(block.block_type, block.value) for block in lesson.body]
        lesson.body = body[:1] + blocks + body[1:]
        lesson.save_revision().publish()
