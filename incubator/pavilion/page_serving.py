"""What the pavilion's pages show: the index with its filters, and a product with its shops."""

from urllib.parse import urlencode

from django import forms
from django.core.paginator import Paginator
from django.utils.translation import gettext_lazy as _

from core.choices import cached_choices, township_code_choices
from incubator.pavilion import selectors


def category_slug_choices() -> list:
    from core.models import ProductCategory

    return cached_choices(
        "products:slug", lambda: ((p.slug, p) for p in ProductCategory.objects.all()), models=[ProductCategory]
    )


class PavilionFilterForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)
    township = forms.ChoiceField(label=_("Township"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("All categories")), *category_slug_choices()]
        self.fields["township"].choices = [("", _("All townships")), *township_code_choices()]


# Products on one page of the index: the page stays under its 60 KB budget (docs/villages.md)
# at the county's target of 200 products and beyond.
PRODUCTS_PER_PAGE = 24


def index_context(*, page, request) -> dict:
    form = PavilionFilterForm(request.GET or None)
    category = township = ""
    if form.is_bound and form.is_valid():
        category, township = form.cleaned_data["category"], form.cleaned_data["township"]
    products = Paginator(selectors.live_products(category=category, township=township), PRODUCTS_PER_PAGE)
    page_obj = products.get_page(request.GET.get("page"))
    return {
        "form": form,
        "page_obj": page_obj,
        "products": list(page_obj.object_list),
        "filtered": bool(category or township),
        "query_string": urlencode([(k, v) for k, v in (("category", category), ("township", township)) if v]),
    }


def product_context(*, page) -> dict:
    return {
        "category": page.category,
        "townships": list(page.origin_townships.all()),
        "villages": list(page.origin_villages.select_related("township")),
        "photos": list(page.photos.select_related("image").prefetch_related("image__renditions")),
        "shops": list(selectors.product_shops(page=page)),
    }
