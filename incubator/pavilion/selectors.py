"""Reads of the pavilion: its live products (filtered), the featured ones, the shops that sell
a product (only shops in the public directory), and the count against the county's target."""

from django.db.models import Prefetch

from incubator.merchants.selectors.shops import directory_shops
from incubator.pavilion.models import PavilionPhoto, PavilionProductPage


def _photos():
    return Prefetch(
        "photos", queryset=PavilionPhoto.objects.select_related("image").prefetch_related("image__renditions")
    )


def live_products(*, category: str = "", township: str = ""):
    """Live, public product pages, filtered by category slug and township code, their category,
    townships and photos (with renditions) fetched in a fixed number of queries."""
    pages = (
        PavilionProductPage.objects.live()
        .public()
        .select_related("category")
        .prefetch_related("origin_townships", _photos())
        .order_by("category__sort_order", "title", "pk")
    )
    if category:
        pages = pages.filter(category__slug=category)
    if township:
        pages = pages.filter(origin_townships__code=township).distinct()
    return pages


def featured_products(*, limit: int = 4):
    return live_products().filter(featured=True)[:limit]


def product_shops(*, page: PavilionProductPage, limit: int = 12):
    """The shops in the public directory that sell the product's category."""
    return directory_shops(product=page.category.slug)[:limit]


def product_count() -> int:
    return PavilionProductPage.objects.live().count()
