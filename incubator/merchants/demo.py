"""Demo data of the merchants app (seed order 50): graduates with certificates (signed and sealed
by the demo office), shops on several platforms, two years of monthly sales with seasonality,
cooperatives and the county targets. Idempotent: people are found by email, shops by address,
and history is written only once."""

import datetime
import os
import random
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone

from wagtail.images import get_image_model

from core import cache_families, roles
from core.demo import ensure_person
from core.models import ProductCategory, Township, User, Village
from incubator.merchants.services.graduation import issue_certificate, make_certificate_pdf
from incubator.merchants.services.shops import register_shop, set_shop_verified
from incubator.recruitment.models import Cohort, TraineeProfile
from incubator.recruitment.services.trainees import change_stage

from . import periods
from .models import Certificate, CertificateSignature, Cooperative, CountyTargets, SalesReport, Shop

SURNAMES = "郑向覃周谭黄王李陈杜万屈望刘田张胡宋杨彭"
GIVEN = [
    "建华",
    "秀英",
    "国平",
    "春梅",
    "志强",
    "小燕",
    "德胜",
    "桂兰",
    "海军",
    "丽娟",
    "文斌",
    "玉珍",
    "长江",
    "红霞",
    "明亮",
    "三妹",
]
PLATFORMS = ["taobao", "pinduoduo", "douyin", "wechat", "jd", "tmall", "taobao", "douyin"]
SHOP_WORDS = {
    "navel-orange": "脐橙园",
    "bacon": "腊肉坊",
    "honey": "土蜂蜜",
    "tea": "高山茶",
    "yew-crafts": "红豆杉工艺",
    "kiwi": "猕猴桃园",
    "mushroom": "香菇铺",
    "konjac": "魔芋坊",
    "walnut": "核桃铺",
    "chili": "辣椒酱坊",
}
# Month multipliers (January first): navel oranges peak from November to February, bacon at
# the Spring Festival, tea in spring, kiwi in autumn.
SEASONS = {
    "navel-orange": [2.6, 1.8, 0.8, 0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.6, 2.2, 3.0],
    "bacon": [2.8, 1.4, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.5, 0.7, 1.2, 2.5],
    "tea": [0.5, 0.6, 1.5, 2.2, 1.8, 1.0, 0.7, 0.6, 0.6, 0.7, 0.6, 0.8],
    "kiwi": [0.6, 0.4, 0.3, 0.3, 0.3, 0.3, 0.4, 0.8, 1.8, 2.2, 1.5, 0.9],
}
AVERAGE_ORDER = {"navel-orange": 69, "bacon": 128, "honey": 88, "tea": 156, "yew-crafts": 260, "kiwi": 59}
# Where the demo merchants live: two orange villages with many merchants (e-commerce villages
# in the making), the rest spread over the county.
CLUSTERS = ["guizhou-1"] * 11 + ["quyuan-1"] * 10
DEMO_MERCHANTS = 40
DORMANT_EVERY = 6  # every sixth demo merchant has stopped reporting


def _name(index: int) -> str:
    return SURNAMES[index % len(SURNAMES)] + GIVEN[(index * 7) % len(GIVEN)]


def _walk_to(profile, target: str, *, by) -> None:
    """Move a demo profile along the lifecycle to `target`, one allowed step at a time."""
    path = ["applicant", "trainee", "graduate", "merchant", "dormant"]
    while profile.stage != target and path.index(profile.stage) < path.index(target):
        following = path[path.index(profile.stage) + 1]
        profile = change_stage(profile=profile, to=following, by=by, note="演示数据")


def _monthly_history(
    shop: Shop,
    *,
    product: str,
    rng: random.Random,
    last: datetime.date,
    months: int,
    stop_before=None,
    skip=(),
    verifier=None,
    awaiting_last: bool = False,
):
    """Reports for `months` months up to `last`, with the product's season and steady growth,
    verified by `verifier` (the last one left awaiting verification when `awaiting_last`)."""
    base = rng.randint(6000, 22000)
    season = SEASONS.get(product, [1.0] * 12)
    average = AVERAGE_ORDER.get(product, 90)
    reports = []
    now = timezone.now()
    first = periods.add_months(last, -(months - 1))
    for index, month in enumerate(periods.month_range(first, last)):
        if month < periods.month_start(shop.opened_on) or (stop_before and month >= stop_before) or month in skip:
            continue
        growth = 0.7 + 0.6 * index / max(months - 1, 1)
        sales = Decimal(base * season[month.month - 1] * growth * rng.uniform(0.8, 1.2)).quantize(Decimal("0.01"))
        orders = max(int(sales / average), 1)
        waiting = awaiting_last and month == last
        reports.append(
            SalesReport(
                shop=shop,
                month=month,
                orders=orders,
                sales=sales,
                products_sold=SHOP_WORDS.get(product, ""),
                status=SalesReport.Status.PENDING if waiting else SalesReport.Status.VERIFIED,
                verified_at=None if waiting else now,
                verified_by=None if waiting else verifier,
            )
        )
    with cache_families.bulk_write(SalesReport):
        SalesReport.objects.bulk_create(reports, ignore_conflicts=True)


def _shop(*, owner, platform, name, url, opened_on, products, note="", in_directory=True, verified=False, office=None):
    shop = Shop.objects.filter(platform=platform, url=url).first()
    if shop is None:
        shop = register_shop(
            owner=owner,
            platform=platform,
            name=name,
            url=url,
            opened_on=opened_on,
            products=products,
            products_note=note,
            in_directory=in_directory,
        )
        if verified:
            set_shop_verified(shop=shop, by=office)
    return shop


def _certificate(profile, *, by, issued_on):
    existing = Certificate.objects.valid().filter(holder=profile.user).first()
    if existing is None:
        existing = issue_certificate(profile=profile, by=by, today=issued_on)
    if not existing.pdf:
        make_certificate_pdf(certificate_id=existing.pk)
    return existing


# --- Figures a county can sign: every state of a report, and a revoked certificate ------------

REVOKED_DEMO_MERCHANT = 7


def _screenshot() -> ContentFile:
    """A stand-in for a screenshot of the seller back office (a small PNG)."""
    import io

    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 200), (250, 250, 250))
    draw = ImageDraw.Draw(image)
    draw.rectangle((10, 10, 350, 50), fill=(255, 80, 0))
    draw.text((20, 70), "Seller back office: monthly summary", fill=(40, 40, 40))
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    upload = ContentFile(buffer.getvalue(), name="生意参谋-月度汇总.png")
    return upload


def _figures_story(shop: Shop, *, last, office) -> None:
    """The demo merchant's Taobao shop: a flagged month with evidence, waiting for the mentor, and
    a month the office corrected on the merchant's behalf, with the reason."""
    from incubator.merchants.services import sales as sales_services

    corrected = shop.reports.order_by("-month")[2]
    sales_services.office_correct_report(
        report=corrected,
        orders=corrected.orders + 6,
        sales=corrected.sales + Decimal("480.00"),
        products_sold=corrected.products_sold,
        by=office,
        reason="郑国强电话更正：漏报了 6 笔年货礼盒订单（微信截图已存档）",
    )
    sales_services.verify_report(report=corrected, by=office)
    usual = shop.reports.order_by("-month").values_list("sales", flat=True)[:6]
    big = (sorted(usual)[len(usual) // 2] * 8).quantize(Decimal("0.01"))  # a viral month: far above the usual
    report = sales_services.submit_sales_report(
        shop=shop,
        month=last,
        orders=int(big / 60),
        sales=big,
        products_sold="秭阳脐橙 5 公斤礼盒（直播爆单）",
        by=shop.owner,
    )
    sales_services.add_evidence(report=report, files=[_screenshot()], by=shop.owner)


def _order_export_csv(export_format, month) -> ContentFile:
    """The Douyin shop's order export for a month, as the back office writes it (GB18030). It is
    the platform's file the merchant uploads, read not written by the site (no cell has a comma)."""
    columns = export_format.columns
    counted = sorted(export_format.statuses)[0]
    lines = [",".join(["商品名称", columns["order_id"], columns["order_time"], columns["amount"], columns["status"]])]
    for day in range(1, 27):
        for n in range(1 + day % 3):
            order_id = f"69{month:%Y%m}{day:02d}{n:03d}"
            status = "已关闭" if (day + n) % 11 == 0 else counted  # a refunded order now and then
            lines.append(
                f"秭阳脐橙 5 公斤,{order_id},{month:%Y-%m}-{day:02d} {9 + n}:15:00,{59.9 + n * 10:.2f},{status}"
            )
    return ContentFile(("\r\n".join(lines) + "\r\n").encode("gb18030"), name=f"抖店订单导出-{month:%Y%m}.csv")


def _late_and_exported(shop: Shop, *, missed, last) -> None:
    """The demo merchant's Douyin shop: a missed month reported late, and the month just over
    read from the platform's order export."""
    from incubator.merchants.models import OrderExportFormat
    from incubator.merchants.services import sales as sales_services
    from incubator.merchants.services.order_exports import import_order_export

    sales_services.submit_sales_report(
        shop=shop, month=missed, orders=41, sales=Decimal("3870.00"), products_sold="现摘脐橙", by=shop.owner
    )
    export_format = OrderExportFormat.objects.filter(platform=shop.platform).first()
    if export_format is not None:
        import_order_export(shop=shop, month=last, upload=_order_export_csv(export_format, last), by=shop.owner)


def _revoked_and_reissued(profile, *, office) -> None:
    """A certificate issued under a misspelt name, revoked with the reason, and the corrected one."""
    from incubator.merchants.services.graduation import reissue_certificate, revoke_certificate

    if Certificate.objects.filter(holder=profile.user, revoked_at__isnull=False).exists():
        return
    wrong = Certificate.objects.valid().filter(holder=profile.user).first()
    if wrong is None:
        return
    revoke_certificate(certificate=wrong, by=office, reason="证书姓名录入有误，已更正后重新发放")
    new = reissue_certificate(certificate=wrong, by=office)
    make_certificate_pdf(certificate_id=new.pk)


def seed_targets() -> CountyTargets:
    targets = CountyTargets.load()
    targets.programme_start = datetime.date(2025, 1, 1)
    targets.merchants_target = 5000
    targets.merchants_deadline = datetime.date(2028, 12, 31)
    targets.sales_target = Decimal("1000000000")
    targets.sales_deadline = datetime.date(2028, 12, 31)
    targets.ecommerce_villages_target = 5
    targets.ecommerce_village_min_merchants = 10
    targets.cooperatives_per_township = 1
    targets.save()
    return targets


DEMO_OFFICE = "秭阳县电子商务办公室"
SEAL_RED = (200, 22, 28, 235)


def _drawn_seal() -> ImageFile:
    """The demo office's seal, drawn here (no file is fetched): a red ring, a star and, when a
    CJK font is installed, the office's name round the top, on a transparent ground."""
    import io
    import math

    from PIL import Image, ImageDraw, ImageFont

    from incubator.merchants.pdf import FONT_CANDIDATES

    size, centre = 600, 300
    seal = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(seal)
    draw.ellipse((14, 14, size - 14, size - 14), outline=SEAL_RED, width=22)
    outer, inner = 92, 36
    star = [
        (
            centre + (outer if i % 2 == 0 else inner) * math.sin(math.pi * i / 5),
            centre - (outer if i % 2 == 0 else inner) * math.cos(math.pi * i / 5),
        )
        for i in range(10)
    ]
    draw.polygon(star, fill=SEAL_RED)
    font_path = next((path for path in FONT_CANDIDATES if os.path.exists(path)), None)
    if font_path:
        font = ImageFont.truetype(font_path, 64)
        characters = DEMO_OFFICE
        spread = 250  # degrees of the ring the name covers, centred on the top
        for index, character in enumerate(characters):
            angle = -spread / 2 + spread * index / (len(characters) - 1)
            glyph = Image.new("RGBA", (80, 80), (0, 0, 0, 0))
            ImageDraw.Draw(glyph).text((40, 40), character, font=font, fill=SEAL_RED, anchor="mm")
            glyph = glyph.rotate(-angle, resample=Image.BICUBIC)
            x = centre + 205 * math.sin(math.radians(angle)) - 40
            y = centre - 205 * math.cos(math.radians(angle)) - 40
            seal.alpha_composite(glyph, (int(x), int(y)))
    buffer = io.BytesIO()
    seal.save(buffer, "PNG")
    return ImageFile(buffer, name="demo-office-seal.png")


def seed_signature() -> CertificateSignature:
    """The office's name, director and seal on the demo's certificates."""
    signature = CertificateSignature.load()
    if signature.seal_id is None:
        seal = get_image_model()(title=f"{DEMO_OFFICE}公章（演示）", file=_drawn_seal())
        seal.save()
        signature.seal = seal
    signature.office_name = DEMO_OFFICE
    signature.signatory_title = "主任"
    signature.signatory_name = "向明远"
    signature.full_clean()
    signature.save()
    return signature


@transaction.atomic
def seed(home) -> None:
    seed_targets()
    seed_signature()
    office = User.objects.get(email="office@demo.local")
    today = periods.today()
    last = periods.add_months(periods.month_start(today), -1)
    products = {p.slug: p for p in ProductCategory.objects.all()}
    villages = {v.code: v for v in Village.objects.select_related("township")}
    village_codes = sorted(villages)
    from incubator.recruitment import demo as recruitment_demo

    spring = Cohort.objects.filter(campaign__slug=recruitment_demo.PAST_SLUG).order_by("starts_on", "pk").first()
    intake = Cohort.objects.filter(
        campaign__slug=recruitment_demo.FIRST_INTAKE_SLUG, name=recruitment_demo.FIRST_INTAKE_COHORT
    ).first()

    # The demo merchant: a graduate of the spring cohort with two shops and two years of sales.
    merchant = User.objects.filter(email="merchant@demo.local").first()
    if merchant is not None:
        profile, _created = TraineeProfile.objects.get_or_create(
            user=merchant, defaults={"cohort": spring, "village": merchant.village or villages["guizhou-1"]}
        )
        if profile.stage in ("applicant", "trainee"):
            _walk_to(profile, "graduate", by=office)
            profile.refresh_from_db()
        _certificate(profile, by=office, issued_on=today - datetime.timedelta(days=400))
        opened = periods.add_months(last, -26)
        main = _shop(
            owner=merchant,
            platform="taobao",
            name="郑国强秭阳脐橙",
            url="https://zhengguoqiang.taobao.com/",
            opened_on=opened,
            products=[products["navel-orange"], products["honey"]],
            note="秭阳脐橙 5 公斤礼盒，农家土蜂蜜",
            verified=True,
            office=office,
        )
        live = _shop(
            owner=merchant,
            platform="douyin",
            name="老郑的橙子园",
            url="https://v.douyin.com/laozheng-oranges/",
            opened_on=periods.add_months(last, -14),
            products=[products["navel-orange"]],
            note="直播带货：现摘脐橙",
        )
        rng = random.Random(2024)
        mentor = User.objects.filter(email="mentor@demo.local").first() or office
        before_last = periods.add_months(last, -1)
        if not main.reports.exists():
            _monthly_history(main, product="navel-orange", rng=rng, last=before_last, months=23, verifier=mentor)
            _figures_story(main, last=last, office=office)
        if not live.reports.exists():
            missed = periods.add_months(last, -3)
            _monthly_history(
                live, product="navel-orange", rng=rng, last=before_last, months=23, skip={missed}, verifier=mentor
            )
            _late_and_exported(live, missed=missed, last=last)

    # Forty more merchants for volume, across townships and products: the programme's first
    # intake, who applied in 2025, were accepted, trained and graduated, and opened shops.
    product_cycle = ["navel-orange", "navel-orange", "bacon", "honey", "tea", "navel-orange", "kiwi", "yew-crafts"]
    people = []
    for number in range(1, DEMO_MERCHANTS + 1):
        email = f"merchant{number:02d}@demo.local"
        code = CLUSTERS[number - 1] if number <= len(CLUSTERS) else village_codes[(number * 7) % len(village_codes)]
        village = villages[code]
        product = (
            "navel-orange" if number <= len(CLUSTERS) and number % 3 else product_cycle[number % len(product_cycle)]
        )
        user = ensure_person(
            email=email, real_name=_name(number), role=roles.TRAINEE, village=village, products=[products[product]]
        )
        application = recruitment_demo.accept(
            intake.campaign,
            user,
            village,
            products=[products[product]],
            poor=number % 4 == 0,
            when=intake.campaign.opens_at + datetime.timedelta(days=number % 30, hours=10),
            office=office,
        )
        profile = TraineeProfile.objects.get(user=user)
        if profile.stage == "applicant":
            profile.cohort, profile.application = intake, application
            profile.save(update_fields=["cohort", "application"])
            _walk_to(profile, "merchant", by=office)
            profile.refresh_from_db()
        _certificate(profile, by=office, issued_on=today - datetime.timedelta(days=300 + number * 3))
        platform = PLATFORMS[number % len(PLATFORMS)]
        shop = _shop(
            owner=user,
            platform=platform,
            name=f"{user.real_name}的{SHOP_WORDS[product]}",
            url=f"https://shop{number:02d}.{platform}.example.cn/",
            opened_on=periods.add_months(last, -(12 + number % 14)),
            products=[products[product]],
            in_directory=number % 5 != 0,
            verified=number % 3 == 0,
            office=office,
        )
        dormant = number % DORMANT_EVERY == 0
        if not shop.reports.exists():
            stop = periods.add_months(last, -4) if dormant else None
            _monthly_history(
                shop,
                product=product,
                rng=random.Random(number),
                last=last,
                months=24,
                stop_before=stop,
                verifier=office,
                awaiting_last=True,  # the month just over waits for verification
            )
        if dormant and profile.stage == "merchant":
            _walk_to(profile, "dormant", by=office)
        people.append((user, village))
        if number == REVOKED_DEMO_MERCHANT:
            _revoked_and_reissued(profile, office=office)

    # E-commerce cooperatives in twelve townships, led by a local merchant where there is one.
    townships = list(Township.objects.order_by("code"))
    for index, township in enumerate(townships[:12]):
        local = [user for user, village in people if village.township_id == township.pk]
        coop, created = Cooperative.objects.get_or_create(
            name=f"秭阳县{township.name}农产品电商专业合作社",
            defaults={
                "township": township,
                "leader": local[0] if local else None,
                "founded_on": datetime.date(2025, 1 + index % 12, 1),
            },
        )
        if created:
            coop.members.set(local)
            coop.products.set([products["navel-orange"], products[product_cycle[index % len(product_cycle)]]])
