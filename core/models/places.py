from django.db import models
from django.utils.translation import gettext_lazy as _

from .bilingual import BilingualNameMixin


class Township(BilingualNameMixin):
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("township")
        verbose_name_plural = _("townships")


class Village(BilingualNameMixin):
    township = models.ForeignKey(
        Township, on_delete=models.PROTECT, related_name="villages", verbose_name=_("township")
    )
    code = models.SlugField(_("code"), max_length=40, unique=True)

    class Meta:
        ordering = ["township__code", "code"]
        verbose_name = _("village")
        verbose_name_plural = _("villages")
        constraints = [models.UniqueConstraint(fields=["township", "name"], name="village_name_unique_in_township")]

    @property
    def full_name(self) -> str:
        return f"{self.township.display_name} · {self.display_name}"


class ProductCategory(BilingualNameMixin):
    """A kind of farm product or craft the county sells (navel orange, bacon, honey...)."""

    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("product category")
        verbose_name_plural = _("product categories")
