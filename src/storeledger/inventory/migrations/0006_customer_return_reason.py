from django.db import migrations


def create(apps, schema_editor):
    ReasonCode = apps.get_model("inventory", "ReasonCode")
    # "RETURN" is lent goods coming back; a customer's return is a reason of its own.
    ReasonCode.objects.get_or_create(
        kind="stock_in", code="CUSTOMER_RETURN", defaults={"name": "顾客退货"}
    )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0005_transfer_line_locations")]
    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
