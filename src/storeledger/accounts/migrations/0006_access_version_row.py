"""The one access version row (accounts.access), so kept permissions and scopes are used from
the first request (a missing row only means nothing is kept until the first access change)."""

from django.db import migrations


def create_row(apps, schema_editor):
    AccessVersion = apps.get_model("accounts", "AccessVersion")
    AccessVersion.objects.get_or_create(pk=1, defaults={"version": 0})


class Migration(migrations.Migration):
    dependencies = [("accounts", "0005_access_version")]

    operations = [migrations.RunPython(create_row, migrations.RunPython.noop)]
