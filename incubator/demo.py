"""Site pages of the demo county: the home page and an about page."""

from django.db import transaction

from wagtail.models import Page, Site

from core.links import site_host_and_port
from incubator.models import ContentPage, HomePage

HOME_BODY = [
    {
        "type": "hero",
        "value": {
            "heading": "把大山里的好产品卖到全国",
            "text": "秭阳县电子商务办公室招募农村电商带头人：免费培训、导师一对一帮扶、开店上线、对接合作社。",
            "image": None,
            "button_text": "查看招募活动",
            "button_link": "/recruit/",
        },
    },
    {
        "type": "figures",
        "value": {
            "heading": "三年目标",
            "figures": [
                {"value": "5000", "label": "孵化网商"},
                {"value": "10亿元", "label": "农产品网络销售额"},
                {"value": "30", "label": "乡镇电商合作社"},
                {"value": "1600+", "label": "脐橙网商"},
            ],
        },
    },
    {
        "type": "section",
        "value": {
            "heading": "怎么参加",
            "body": "<ol><li>报名参加招募活动，填写您的村庄和产品。</li><li>入选后加入培训班，用手机学习课程、完成实操任务。</li><li>导师帮您开店、拍图、定价、发货。</li><li>结业领取证书，开店上报每月销售额。</li></ol>",
        },
    },
]


def _site_address() -> dict:
    # The default site answers at SITE_URL: the same address every absolute link carries.
    hostname, port = site_host_and_port()
    return {"hostname": hostname, "port": port}


def get_or_create_home() -> HomePage:
    home = HomePage.objects.first()
    if home is not None:
        site = Site.objects.filter(is_default_site=True, root_page=home).first()
        if site is not None and (site.hostname, site.port) != tuple(_site_address().values()):
            site.hostname, site.port = _site_address().values()
            site.save(update_fields=["hostname", "port"])
        return home
    root = Page.get_first_root_node()
    with transaction.atomic():
        # Replace Wagtail's placeholder "Welcome" page with ours.
        default = Page.objects.filter(depth=2, slug="home").exclude(content_type__model="homepage").first()
        if default is not None:
            default.slug = "wagtail-default-home"
            default.save(update_fields=["slug"])
        home = HomePage(title="秭阳县电商孵化平台", slug="home", intro="", body=HOME_BODY)
        root.add_child(instance=home)
        home.save_revision().publish()
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={"root_page": home, **_site_address(), "site_name": "秭阳县电商孵化平台"},
        )
        if default is not None:
            default.delete()
    return home


def seed_site() -> HomePage:
    home = get_or_create_home()
    if not ContentPage.objects.child_of(home).filter(slug="about").exists():
        about = ContentPage(
            title="关于孵化计划",
            slug="about",
            intro="秭阳县电子商务孵化计划由县电子商务办公室主办，帮助农民把特色农产品卖到网上。",
            body=[
                {
                    "type": "paragraph",
                    "value": "<p>我们为每位学员配备导师，从开店、拍图、包装、直播到售后，手把手带到开出第一单。</p>",
                },
                {
                    "type": "callout",
                    "value": {"kind": "tip", "text": "<p>学员证书可在本站“证书查验”页面公开核验。</p>"},
                },
            ],
        )
        home.add_child(instance=about)
        about.save_revision().publish()
    return home
