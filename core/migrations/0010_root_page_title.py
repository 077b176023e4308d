"""Wagtail's first migration names the page tree's root "Root", which the office reads in the page
explorer and the choosers ("浏览: Root"): name it in Chinese, the admin's language."""

from django.db import migrations

ROOT_TITLE = "根目录"


def name_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)


def unname_root(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0009_media_permissions_and_review_workflow"),
        ("wagtailcore", "0040_page_draft_title"),
    ]

    operations = [migrations.RunPython(name_root, unname_root)]
