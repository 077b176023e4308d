"""Drop the anonymous page cache whenever something shown on public pages changes."""

from django.db.models.signals import post_delete, post_save

from wagtail.signals import page_published, page_unpublished, post_page_move

from core.pagecache import invalidate_public_pages


def connect() -> None:
    from wagtail.models import Page

    from incubator.merchants.models import Certificate, Cooperative, Shop
    from incubator.recruitment.models import Application

    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(invalidate_public_pages, dispatch_uid=f"pagecache-{id(signal)}")
    post_delete.connect(invalidate_public_pages, sender=Page, dispatch_uid="pagecache-page-delete")
    # Certificates (verification pages), shops (the directory), cooperatives (home figures) and
    # applications (places remaining on a campaign page).
    for model in (Certificate, Shop, Cooperative, Application):
        post_save.connect(invalidate_public_pages, sender=model, dispatch_uid=f"pagecache-save-{model.__name__}")
        post_delete.connect(invalidate_public_pages, sender=model, dispatch_uid=f"pagecache-delete-{model.__name__}")
