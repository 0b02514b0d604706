"""Data: every existing balance takes the time of its latest move as `last_posted_at` (a
posting is then stamped no earlier, and a back-dated one is checked against it)."""

from django.db import migrations
from django.db.models import OuterRef, Subquery


def fill(apps, schema_editor):
    StockBalance = apps.get_model("inventory", "StockBalance")
    StockMove = apps.get_model("inventory", "StockMove")
    latest = StockMove.objects.filter(balance_id=OuterRef("pk")).order_by("-posted_at")
    StockBalance.objects.filter(move_count__gt=0).update(
        last_posted_at=Subquery(latest.values("posted_at")[:1])
    )


class Migration(migrations.Migration):
    dependencies = [("inventory", "0009_ledger_time_and_indexes")]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
