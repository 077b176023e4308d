"""Demo data of the pavilion (seed order 70): the pavilion at /pavilion/ with about thirty of
the county's specialty products, each with a photo drawn here (Pillow, no download), a few
featured on the home page, and merchants' proposals awaiting review. Idempotent: pages by slug."""

import io
import random

from django.core.files.images import ImageFile
from django.db import transaction

from wagtail.images import get_image_model

from core.models import ProductCategory, Township, User, Village
from incubator.pavilion.models import PavilionIndexPage, PavilionPhoto, PavilionProductPage, ProductProposal

# (slug, title, category, season, townships, story)
PRODUCTS = [
    (
        "navel-orange-gift",
        "秭阳脐橙",
        "navel-orange",
        "11月至次年2月",
        ["guizhou", "quyuan"],
        "长江峡谷的阳光和雾气养出皮薄汁多的脐橙，果农现摘现发。",
    ),
    (
        "late-navel-orange",
        "伦晚脐橙",
        "navel-orange",
        "3月至5月",
        ["guizhou", "maoping"],
        "挂树越冬的晚熟脐橙，春天上市，酸甜更浓。",
    ),
    ("blood-orange", "血橙", "navel-orange", "1月至3月", ["shazhenxi"], "果肉红艳，带着莓果香气，是橙园里的稀罕品种。"),
    ("orange-peel-tea", "陈皮橙茶", "navel-orange", "全年", ["quyuan"], "脐橙皮晒干陈放，与本地绿茶同泡。"),
    (
        "smoked-bacon",
        "柴火腊肉",
        "bacon",
        "11月至次年2月",
        ["liangtai", "xietan"],
        "土猪肉用柏树枝和橘皮烟熏四十天，咸香耐嚼。",
    ),
    ("smoked-sausage", "农家香肠", "bacon", "12月至次年2月", ["xietan"], "手工灌制，挂在火塘上慢慢熏干。"),
    ("smoked-tofu", "烟熏豆干", "bacon", "全年", ["meijiahe"], "石磨豆腐压干后烟熏，是腊肉的好搭档。"),
    ("wild-honey", "土蜂蜜", "honey", "9月至11月", ["moping", "yunwu"], "中华蜂在高山百花间采蜜，一年只取一次。"),
    ("acacia-honey", "洋槐蜜", "honey", "5月至6月", ["yunwu"], "槐花盛开时的单花蜜，色浅味清。"),
    ("bee-pollen", "蜂花粉", "honey", "4月至9月", ["moping"], "蜂农每天清晨收集的新鲜花粉。"),
    (
        "alpine-green-tea",
        "高山云雾茶",
        "tea",
        "3月至5月",
        ["chaping", "yunwu"],
        "海拔八百米以上的茶园，明前采摘一芽一叶。",
    ),
    ("black-tea", "峡江红茶", "tea", "全年", ["chaping"], "夏秋茶制成的工夫红茶，汤色红亮。"),
    ("white-tea", "野生白茶", "tea", "4月", ["jiuwanxi"], "山间野生茶树，只萎凋晒干，不炒不揉。"),
    ("yew-bowl", "红豆杉木碗", "yew-crafts", "全年", ["baishui"], "用修剪下来的红豆杉枝干车制，纹理细密。"),
    ("yew-bonsai", "红豆杉盆景", "yew-crafts", "全年", ["baishui", "lianyu"], "苗圃扦插培育的红豆杉小盆景。"),
    ("yew-carving", "红豆杉根雕", "yew-crafts", "全年", ["lianyu"], "老匠人依着树根的形状雕刻。"),
    ("red-kiwi", "红心猕猴桃", "kiwi", "9月至11月", ["songshuping"], "果心一圈玫红，糖度高，软熟后即食。"),
    ("green-kiwi", "翠香猕猴桃", "kiwi", "9月至10月", ["songshuping", "jinsha"], "清香爽口，耐储存。"),
    ("kiwi-jam", "猕猴桃果酱", "kiwi", "全年", ["jinsha"], "熟透的猕猴桃加冰糖慢熬。"),
    ("shiitake", "椴木香菇", "mushroom", "10月至次年4月", ["fengshan", "longjing"], "在青冈木上自然生长，肉厚香浓。"),
    ("wood-ear", "高山木耳", "mushroom", "5月至9月", ["fengshan"], "山间段木上采下晒干，泡发率高。"),
    ("dried-mushroom-mix", "山珍菌菇组合", "mushroom", "全年", ["longjing"], "香菇、木耳、茶树菇的家常组合。"),
    ("konjac-tofu", "魔芋豆腐", "konjac", "全年", ["qingshui"], "高山魔芋磨浆制成，爽滑低脂。"),
    ("konjac-noodles", "魔芋丝", "konjac", "全年", ["qingshui", "dahe"], "代替粉丝下火锅，清爽不腻。"),
    ("walnut", "山核桃", "walnut", "9月至10月", ["shiliu", "wufeng"], "壳薄仁满，火炒后香脆。"),
    ("walnut-oil", "冷榨核桃油", "walnut", "全年", ["wufeng"], "核桃仁低温压榨，适合老人小孩。"),
    ("walnut-cake", "核桃酥", "walnut", "全年", ["shiliu"], "镇上老字号的手工酥饼。"),
    ("chili-sauce", "剁辣椒", "chili", "8月至10月", ["hongyan"], "本地朝天椒加蒜和盐，坛子里发酵。"),
    ("chili-oil", "油泼辣子", "chili", "全年", ["hongyan", "lushan"], "菜籽油泼出的辣子，香而不燥。"),
    ("fermented-bean-chili", "豆豉辣酱", "chili", "全年", ["lushan"], "黄豆豆豉与辣椒同炒，下饭一绝。"),
]
FEATURED = {"navel-orange-gift", "smoked-bacon", "wild-honey", "alpine-green-tea"}
COLOURS = {
    "navel-orange": (238, 140, 32),
    "bacon": (150, 62, 40),
    "honey": (226, 178, 48),
    "tea": (88, 140, 60),
    "yew-crafts": (160, 52, 48),
    "kiwi": (120, 160, 50),
    "mushroom": (132, 96, 70),
    "konjac": (190, 186, 170),
    "walnut": (150, 110, 70),
    "chili": (200, 40, 30),
}


def _drawn_photo(slug: str, colour: tuple[int, int, int], seed: int):
    """A made-up product photo: a soft background and a few fruit-like shapes, as JPEG."""
    from PIL import Image, ImageDraw

    rng = random.Random(seed)
    width, height = 720, 540
    image = Image.new("RGB", (width, height), tuple(min(255, c + 150) for c in colour))
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=tuple(min(255, c + 90) for c in colour))
    for _ in range(rng.randint(3, 6)):
        radius = rng.randint(50, 110)
        x, y = rng.randint(radius, width - radius), rng.randint(height // 3, height - radius // 2)
        shade = tuple(max(0, min(255, c + rng.randint(-30, 30))) for c in colour)
        draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=shade, outline=(60, 40, 20), width=3)
        draw.ellipse(
            (x - radius // 3, y - radius // 2, x, y - radius // 4), fill=tuple(min(255, c + 60) for c in shade)
        )
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=72)
    return ImageFile(buffer, name=f"pavilion-{slug}.jpg")


def _index(home) -> PavilionIndexPage:
    index = PavilionIndexPage.objects.first()
    if index is None:
        index = PavilionIndexPage(
            title="秭阳特色馆",
            slug="pavilion",
            intro="全县的特色农产品和手工艺品：产地、季节、背后的故事，以及在网上卖它们的本地网商。",
        )
        home.add_child(instance=index)
        index.save_revision().publish()
    return index


@transaction.atomic
def seed(home) -> None:
    index = _index(home)
    existing = set(PavilionProductPage.objects.child_of(index).values_list("slug", flat=True))
    categories = {c.slug: c for c in ProductCategory.objects.all()}
    townships = {t.code: t for t in Township.objects.all()}
    villages = {}
    for village in Village.objects.order_by("code"):
        villages.setdefault(village.township_id, village)
    Image = get_image_model()
    for number, (slug, title, category, season, codes, story) in enumerate(PRODUCTS):
        if slug in existing or category not in categories:
            continue
        image = Image(title=title, file=_drawn_photo(slug, COLOURS.get(category, (180, 120, 60)), number))
        image.save()
        page = PavilionProductPage(
            title=title, slug=slug, category=categories[category], season=season, story=story, featured=slug in FEATURED
        )
        page.photos = [PavilionPhoto(image=image, caption=title)]
        places = [townships[c] for c in codes if c in townships]
        page.origin_townships = places
        page.origin_villages = [villages[t.pk] for t in places[:1] if t.pk in villages]
        index.add_child(instance=page)
        page.save_revision().publish()
    merchant = User.objects.filter(email="merchant@demo.local").first()
    if merchant is not None and not ProductProposal.objects.filter(proposer=merchant).exists():
        ProductProposal.objects.create(
            proposer=merchant,
            name="脐橙花蜜",
            category=categories["honey"],
            village=Village.objects.filter(code="guizhou-1").first(),
            season="4月至5月",
            story="橙花开时蜂群在橙园里采的单花蜜，带着橙花香。",
        )
        ProductProposal.objects.create(
            proposer=merchant,
            name="脐橙果干",
            category=categories["navel-orange"],
            story="把卖相不好的脐橙切片烘干，做成零食。",
            status=ProductProposal.Status.REJECTED,
            reason="请先取得食品生产许可，再重新提交。",
        )
