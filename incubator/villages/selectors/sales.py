"""The one door through which this app reads the merchants' monthly sales reports."""

from incubator.merchants.models import SalesReport


def counted_reports():
    """The monthly sales reports that count in the Taobao-village and product figures: the
    verified ones only, as on the county dashboard (docs/figures.md)."""
    return SalesReport.objects.filter(status=SalesReport.Status.VERIFIED)
