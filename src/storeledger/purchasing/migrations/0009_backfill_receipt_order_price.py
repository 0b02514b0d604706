"""Fills `PurchaseReceiptLine.order_price` (0008) for the lines written before it: the order
line's price in force when the receipt was created — the `previous` revision kept by the first
revision made after that moment, else the line as it stands."""

from decimal import Decimal

from django.db import migrations

HUNDRED = Decimal(100)


def _unit_price(price, order_factor, discount, factor) -> Decimal:
    # purchasing.services.receipts.order_unit_price, frozen here as migrations must be
    return (price * factor / order_factor * (HUNDRED - discount) / HUNDRED).quantize(
        Decimal("0.0001")
    )


def _price_then(line, revisions) -> tuple[Decimal, Decimal, Decimal]:
    order_line = line.order_line
    for revision in revisions.get(order_line.order_id, ()):
        if revision.created_at <= line.receipt.created_at:
            continue
        for kept in revision.previous.get("lines", ()):
            if kept.get("id") == order_line.id:
                return Decimal(kept["price"]), Decimal(kept["factor"]), Decimal(kept["discount"])
        break  # the line was added by that revision: it stands as it was written
    return order_line.price, order_line.factor, order_line.discount


def backfill(apps, schema_editor):
    Line = apps.get_model("purchasing", "PurchaseReceiptLine")
    Revision = apps.get_model("purchasing", "PurchaseOrderRevision")
    lines = Line.objects.filter(order_price__isnull=True, order_line__isnull=False)
    revisions: dict[int, list] = {}
    for revision in Revision.objects.order_by("order_id", "number"):
        revisions.setdefault(revision.order_id, []).append(revision)
    changed = []
    for line in lines.select_related("order_line", "receipt").iterator(chunk_size=2000):
        price, order_factor, discount = _price_then(line, revisions)
        line.order_price = _unit_price(price, order_factor, discount, line.factor)
        changed.append(line)
        if len(changed) >= 2000:
            Line.objects.bulk_update(changed, ["order_price"])
            changed = []
    Line.objects.bulk_update(changed, ["order_price"])


class Migration(migrations.Migration):
    dependencies = [("purchasing", "0008_receipt_order_price")]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
