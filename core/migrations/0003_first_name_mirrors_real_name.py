from django.db import migrations
from django.db.models import F
from django.db.models.functions import Left


def mirror(apps, schema_editor):
    User = apps.get_model("core", "User")
    User.objects.exclude(real_name="").update(first_name=Left(F("real_name"), 150))


class Migration(migrations.Migration):
    dependencies = [("core", "0002_roles")]

    operations = [migrations.RunPython(mirror, migrations.RunPython.noop)]
