"""The monthly sales reports added up as they are written (incubator/merchants/tallies.py keeps
them; nothing else writes them).

The county dashboard and the villages' figures read these sums instead of the reports: a few
hundred rows whatever the number of shops, where the reports of one month are 5,000 rows at
county scale and 50,000 at province scale. Counts and sums only, and the ids of the shops that
sold (to count a village's selling shops over several months); no one's own figures.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class VillageMonthSales(models.Model):
    """One village's reports of one month: a report counts in the village of its shop owner's
    trainee profile, else of the owner's own village (`village` is empty when the owner has
    neither). Reports sent back for a fix count in neither sum."""

    village = models.ForeignKey(
        "core.Village", on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("village")
    )
    month = models.DateField(_("month"))
    verified_sales = models.DecimalField(_("verified sales (yuan)"), max_digits=18, decimal_places=2)
    verified_orders = models.BigIntegerField(_("verified orders"))
    awaiting_sales = models.DecimalField(_("sales awaiting verification (yuan)"), max_digits=18, decimal_places=2)
    awaiting_orders = models.BigIntegerField(_("orders awaiting verification"))
    # The shops whose verified report of the month sold something: their ids in ascending order,
    # packed as unsigned 32-bit little-endian integers (merchants.tallies.pack_ids, .unpack_ids).
    # Bytes, not a JSON list: at province scale a month's rows hold 50,000 ids, and a JSON list
    # costs PostgreSQL, the driver and Python ten times as long to hand over as these bytes.
    sellers = models.BinaryField(_("shops with verified sales"), default=bytes)

    class Meta:
        verbose_name = _("village's monthly sales")
        verbose_name_plural = _("villages' monthly sales")
        indexes = [models.Index(fields=["month", "village"], name="village_month_sales")]

    def __str__(self):
        return f"{self.village_id or '-'} {self.month:%Y-%m}"


class CategoryMonthSales(models.Model):
    """One product category's verified sales of one month: a report's sales shared evenly among
    its shop's categories (`category` is empty for the shops that name none), and the merchants
    whose shops of the category sold something."""

    category = models.ForeignKey(
        "core.ProductCategory", on_delete=models.CASCADE, null=True, related_name="+", verbose_name=_("category")
    )
    month = models.DateField(_("month"))
    sales = models.DecimalField(_("sales (yuan)"), max_digits=30, decimal_places=12)
    merchants = models.PositiveIntegerField(_("merchants with sales"))

    class Meta:
        verbose_name = _("product category's monthly sales")
        verbose_name_plural = _("product categories' monthly sales")
        indexes = [models.Index(fields=["month", "category"], name="category_month_sales")]

    def __str__(self):
        return f"{self.category_id or '-'} {self.month:%Y-%m}"
