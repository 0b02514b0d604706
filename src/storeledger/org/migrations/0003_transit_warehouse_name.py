from django.conf import settings
from django.db import migrations

OLD_NAME = "在途 In transit"


def rename(apps, schema_editor):
    """The in-transit warehouse is named in the company's language, like any other record."""
    from storeledger.org.models import transit_warehouse_name

    Warehouse = apps.get_model("org", "Warehouse")
    Warehouse.objects.filter(code="TRANSIT", name=OLD_NAME).update(
        name=transit_warehouse_name(settings.LANGUAGE_CODE)
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0002_company_and_transit")]
    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
