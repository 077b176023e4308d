"""Demo data of the ground floor: a fictional county in the Three Gorges area, its products,
and the demo accounts. Idempotent: every row is found by a natural key before it is created."""

from allauth.account.models import EmailAddress

from core import roles
from core.models import ProductCategory, Township, User, Village

DEMO_PASSWORD = "incubator-demo"  # noqa: S105 (demo data only; never in production settings)

# 30 townships of the fictional 秭阳县 (Ziyang county), each with two villages: 60 in all.
TOWNSHIPS = [
    ("guizhou", "归州镇", "Guizhou", ["向家店村", "万古寺村"]),
    ("maoping", "茅坪镇", "Maoping", ["九里村", "陈家冲村"]),
    ("quyuan", "屈原镇", "Quyuan", ["乐平里村", "西陵峡村"]),
    ("shazhenxi", "沙镇溪镇", "Shazhenxi", ["百岁溪村", "白鹤洞村"]),
    ("liangtai", "两河口镇", "Lianghekou", ["郑家岭村", "黄家坪村"]),
    ("guojiaba", "郭家坝镇", "Guojiaba", ["烟灯堡村", "擦鼓村"]),
    ("yangliuqiao", "杨林桥镇", "Yanglinqiao", ["渡口村", "石柱村"]),
    ("shuitianba", "水田坝乡", "Shuitianba", ["王家岭村", "上坝村"]),
    ("xietan", "泄滩乡", "Xietan", ["周坪村", "陈家湾村"]),
    ("meijiahe", "梅家河乡", "Meijiahe", ["龙潭村", "长岭村"]),
    ("moping", "磨坪乡", "Moping", ["新华村", "寨坪村"]),
    ("xiangxi", "香溪镇", "Xiangxi", ["昭君村", "宝坪村"]),
    ("jiuwanxi", "九畹溪镇", "Jiuwanxi", ["周坪村", "仙女村"]),
    ("taohuaping", "桃花坪镇", "Taohuaping", ["桃源村", "杏花村"]),
    ("baishui", "白水乡", "Baishui", ["白水村", "清泉村"]),
    ("lianyu", "莲雨镇", "Lianyu", ["荷塘村", "莲花村"]),
    ("songshuping", "松树坪乡", "Songshuping", ["松林村", "青松村"]),
    ("jinsha", "金沙镇", "Jinsha", ["金滩村", "沙坪村"]),
    ("yunwu", "云雾乡", "Yunwu", ["云岭村", "雾峰村"]),
    ("chaping", "茶坪镇", "Chaping", ["茶园村", "新茶村"]),
    ("fengshan", "凤山乡", "Fengshan", ["凤凰村", "鸣山村"]),
    ("longjing", "龙井镇", "Longjing", ["龙泉村", "井坪村"]),
    ("qingshui", "清水乡", "Qingshui", ["清河村", "水口村"]),
    ("dahe", "大河镇", "Dahe", ["大湾村", "河坝村"]),
    ("shiliu", "石榴乡", "Shiliu", ["榴花村", "石门村"]),
    ("wufeng", "五峰镇", "Wufeng", ["峰顶村", "五里村"]),
    ("hongyan", "红岩乡", "Hongyan", ["红旗村", "岩口村"]),
    ("lushan", "鹿山镇", "Lushan", ["鹿鸣村", "山后村"]),
    ("tianchi", "天池乡", "Tianchi", ["天台村", "池塘村"]),
    ("baima", "白马镇", "Baima", ["马鞍村", "白庙村"]),
]

PRODUCTS = [
    ("navel-orange", "脐橙", "Navel orange"),
    ("bacon", "腊肉", "Smoked bacon"),
    ("honey", "蜂蜜", "Honey"),
    ("tea", "茶叶", "Tea"),
    ("yew-crafts", "红豆杉工艺品", "Yew crafts"),
    ("kiwi", "猕猴桃", "Kiwi fruit"),
    ("mushroom", "香菇", "Shiitake mushroom"),
    ("konjac", "魔芋", "Konjac"),
    ("walnut", "核桃", "Walnut"),
    ("chili", "辣椒酱", "Chili sauce"),
]

DEMO_ACCOUNTS = [
    # email, real name, phone, role, superuser
    ("admin@demo.local", "系统管理员", "+8613900000001", None, True),
    ("office@demo.local", "周文静", "+8613900000002", roles.OFFICE, False),
    ("mentor@demo.local", "覃志刚", "+8613900000003", roles.MENTOR, False),
    ("trainee@demo.local", "向小梅", "+8613900000004", roles.TRAINEE, False),
    ("merchant@demo.local", "郑国强", "+8613900000005", roles.TRAINEE, False),
]


def seed_places():
    for code, name, name_en, villages in TOWNSHIPS:
        township, _ = Township.objects.update_or_create(code=code, defaults={"name": name, "name_en": name_en})
        for number, village_name in enumerate(villages, start=1):
            Village.objects.update_or_create(
                code=f"{code}-{number}",
                defaults={"township": township, "name": village_name, "name_en": f"{name_en} village {number}"},
            )
    for order, (slug, name, name_en) in enumerate(PRODUCTS):
        ProductCategory.objects.update_or_create(
            slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order}
        )


def ensure_person(*, email=None, phone=None, real_name="", role=None, superuser=False, village=None, products=()):
    """Find a demo person by email or phone, or create them with the demo password."""
    user = None
    if email:
        user = User.objects.filter(email=email).first()
    if user is None and phone:
        user = User.objects.filter(phone=phone).first()
    if user is None:
        username = (email or phone).split("@")[0].replace("+", "p")
        user = User(username=username, email=email or "", phone=phone)
        user.set_password(DEMO_PASSWORD)
    user.real_name = real_name
    user.phone_verified = bool(phone)
    user.is_staff = superuser or role == roles.OFFICE
    user.is_superuser = superuser
    if village is not None:
        user.village = village
    user.save()
    if products:
        user.products.set(products)
    if role:
        roles.add_role(user, role)
    if email:
        EmailAddress.objects.update_or_create(user=user, email=email, defaults={"verified": True, "primary": True})
    return user


def seed_accounts():
    village = Village.objects.get(code="guizhou-1")
    oranges = ProductCategory.objects.filter(slug__in=["navel-orange", "honey"])
    people = {}
    for email, name, phone, role, superuser in DEMO_ACCOUNTS:
        people[email] = ensure_person(
            email=email,
            phone=phone,
            real_name=name,
            role=role,
            superuser=superuser,
            village=village if role in (roles.TRAINEE, roles.MENTOR) else None,
            products=oranges if role == roles.TRAINEE else (),
        )
    return people


def seed():
    seed_places()
    return seed_accounts()
