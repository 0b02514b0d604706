from django.db import migrations


def create(apps, schema_editor):
    Company = apps.get_model("org", "Company")
    Warehouse = apps.get_model("org", "Warehouse")
    Company.objects.get_or_create(pk=1, defaults={"name": "StoreLedger"})
    Warehouse.objects.get_or_create(
        code="TRANSIT", defaults={"name": "在途 In transit", "kind": "transit", "allow_negative_stock": False}
    )


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
