"""Pavilion pages for tests: the index under the home page and product pages with a photo."""

import io

from django.core.files.images import ImageFile

from wagtail.images import get_image_model

from incubator.pavilion.models import PavilionIndexPage, PavilionPhoto, PavilionProductPage
from tests.factories import ProductCategoryFactory
from tests.pages_factories import home_page


def pavilion() -> PavilionIndexPage:
    index = PavilionIndexPage.objects.first()
    if index is None:
        index = PavilionIndexPage(title="特色馆", slug="pavilion", intro="全县特色产品")
        home_page().add_child(instance=index)
        index.save_revision().publish()
    return index


def photo(name="photo"):
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (238, 140, 32)).save(buffer, "JPEG")
    image = get_image_model()(title=name, file=ImageFile(buffer, name=f"{name}.jpg"))
    image.save()
    return image


def product(
    *, title="秭阳脐橙", slug=None, category=None, townships=(), villages=(), featured=False, live=True, image=None
):
    page = PavilionProductPage(
        title=title,
        slug=slug or f"p-{PavilionProductPage.objects.count() + 1}",
        category=category or ProductCategoryFactory(),
        season="11月至次年2月",
        story="长江峡谷的脐橙。",
        featured=featured,
    )
    page.photos = [PavilionPhoto(image=image or photo(page.slug), caption=title)]
    page.origin_townships = list(townships)
    page.origin_villages = list(villages)
    pavilion().add_child(instance=page)
    revision = page.save_revision()
    if live:
        revision.publish()
    else:
        page.unpublish()
    return page
