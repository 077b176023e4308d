from django.db import migrations

# The skills the county's training covers; the office may add more in the admin.
SKILLS = [
    ("shop-setup", "开店与装修", "Shop setup", 10),
    ("photography", "产品摄影", "Product photography", 20),
    ("live-streaming", "直播带货", "Live streaming", 30),
    ("copywriting", "文案与短视频", "Copywriting and short video", 40),
    ("packaging", "包装与品控", "Packaging and quality", 50),
    ("logistics", "物流与仓储", "Logistics", 60),
    ("customer-service", "客服与售后", "Customer service", 70),
    ("marketing", "营销推广", "Marketing", 80),
]


def add_skills(apps, schema_editor):
    Skill = apps.get_model("mentors", "Skill")
    for slug, name, name_en, order in SKILLS:
        Skill.objects.get_or_create(slug=slug, defaults={"name": name, "name_en": name_en, "sort_order": order})


class Migration(migrations.Migration):
    dependencies = [("mentors", "0001_initial")]

    operations = [migrations.RunPython(add_skills, migrations.RunPython.noop)]
