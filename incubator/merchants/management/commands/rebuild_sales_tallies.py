from django.core.management.base import BaseCommand

from incubator.merchants import tallies
from incubator.merchants.models import CategoryMonthSales, VillageMonthSales


class Command(BaseCommand):
    help = (
        "Add up the monthly sales reports again into the villages' and product categories' monthly "
        "sums that the county dashboard reads. They are kept as reports are written; run this after "
        "loading reports with loaddata or by SQL."
    )

    def handle(self, *args, **options):
        tallies.rebuild()
        self.stdout.write(
            self.style.SUCCESS(
                f"{VillageMonthSales.objects.count()} village-month and "
                f"{CategoryMonthSales.objects.count()} category-month sums."
            )
        )
