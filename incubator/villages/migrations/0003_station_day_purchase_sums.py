# Each station day keeps the sums of its purchase lines (StationDay.tally_purchases), so the
# stations' records and figures read the days alone; this fills them for the days logged so far.

from django.db import migrations, models


def sum_the_lines(apps, schema_editor):
    from incubator.villages.models.stations import sum_the_lines

    sum_the_lines(apps.get_model("villages", "StationDay").objects.all(), apps.get_model("villages", "StationPurchase"))


class Migration(migrations.Migration):
    dependencies = [
        ("villages", "0002_campaign_figures_flagged_like_reports"),
    ]

    operations = [
        migrations.AddField(
            model_name="stationday",
            name="buy_orders",
            field=models.PositiveIntegerField(default=0, editable=False, verbose_name="orders bought in"),
        ),
        migrations.AddField(
            model_name="stationday",
            name="buy_value",
            field=models.DecimalField(
                decimal_places=2, default=0, editable=False, max_digits=14, verbose_name="value bought in (yuan)"
            ),
        ),
        migrations.RunPython(sum_the_lines, migrations.RunPython.noop),
    ]
