"""What the pavilion's pages show: the index with its filters, and a product with its shops."""

from django import forms
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


def index_context(*, page, request) -> dict:
    form = PavilionFilterForm(request.GET or None)
    category = township = ""
    if form.is_bound and form.is_valid():
        category, township = form.cleaned_data["category"], form.cleaned_data["township"]
    return {
        "form": form,
        "products": list(selectors.live_products(category=category, township=township)),
        "filtered": bool(category or township),
    }


def product_context(*, page) -> dict:
    return {
        "category": page.category,
        "townships": list(page.origin_townships.all()),
        "villages": list(page.origin_villages.select_related("township")),
        "photos": list(page.photos.select_related("image").prefetch_related("image__renditions")),
        "shops": list(selectors.product_shops(page=page)),
    }
