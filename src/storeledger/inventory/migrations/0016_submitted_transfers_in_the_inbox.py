"""Transfers already submitted when transfers joined the approval engine wait in the approvals
inbox too: each gets the pending step by permission that a submission makes now (core.approvals,
`inbox_without_rule`), requested by whoever submitted it. Its amount and quantity are left
empty (the inbox shows them for new submissions); approving or rejecting works as for a new one.
Nothing to undo: going back leaves the steps, which the old code ignores."""

from django.db import migrations
from django.db.models import Max
from django.utils import timezone


def add_steps(apps, schema_editor):
    Transfer = apps.get_model("inventory", "Transfer")
    ApprovalStep = apps.get_model("core", "ApprovalStep")
    open_ids = set(
        ApprovalStep.objects.filter(
            document_type="transfer", status__in=("pending", "waiting")
        ).values_list("document_id", flat=True)
    )
    rounds = dict(
        ApprovalStep.objects.filter(document_type="transfer")
        .values("document_id")
        .annotate(last=Max("round"))
        .values_list("document_id", "last")
    )
    now = timezone.now()
    ApprovalStep.objects.bulk_create(
        [
            ApprovalStep(
                document_type="transfer",
                document_id=transfer.pk,
                document_kind="transfer",
                document_number=transfer.number,
                store_id=transfer.store_id,
                round=rounds.get(transfer.pk, 0) + 1,
                sequence=1,
                role="",
                scope="document_store",
                status="pending",
                requested_by_id=transfer.submitted_by_id,
                requested_at=transfer.submitted_at or now,
            )
            for transfer in Transfer.objects.filter(status="submitted").order_by("pk")
            if transfer.pk not in open_ids
        ]
    )


class Migration(migrations.Migration):
    dependencies = [
        ("inventory", "0015_reservation_shorted"),
        ("core", "0003_approvals"),
    ]

    operations = [migrations.RunPython(add_steps, migrations.RunPython.noop)]
