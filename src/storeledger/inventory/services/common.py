"""What inventory's document services (stock documents, transfers, stock counts) share beyond
the kernel: numbering a document posted in its creating transaction, the back-dating
permission, batch checks and posting a reversal through the ledger. The generic life cycle is
core.lifecycle; lines in any unit are catalog.units; warehouses and bins are org.selectors."""

from __future__ import annotations

from collections.abc import Sequence

from django.utils.translation import gettext as _

from storeledger.catalog.models import Sku, Tracking
from storeledger.core.errors import PermissionDenied, ValidationFailed
from storeledger.core.lifecycle import line_error, new_number
from storeledger.inventory.models import Batch, Posting


def number_last(document, *, kind: str, document_type: str, **fields) -> None:
    """Number a document as the last step of the transaction that created and posted it: the
    number series row of its prefix, store and day is then locked only from here to the
    commit (not from the creation through the posting, which made every document of one kind
    in one store and day wait for the one before). Its postings take the number too;
    `fields` are written with the number (e.g. `posted_at`: the posting's time)."""
    number = new_number(kind, document.store.code, document.document_date)
    type(document)._default_manager.filter(pk=document.pk).update(number=number, **fields)
    for field, value in fields.items():
        setattr(document, field, value)
    Posting.objects.filter(document_type=document_type, document_id=document.pk).update(
        document_number=number
    )
    document.number = number


BACKDATING_PERM = "inventory.post_backdated"


def check_backdating(user, *, post: bool) -> None:
    """Posting at a past time is for migrating history: a permission granted on purpose (no
    role has it), and only together with posting."""
    if not user.has_perm(BACKDATING_PERM):
        raise PermissionDenied(
            _("You may not post at a past time; that is for migrating history."),
            code="backdating_not_allowed",
        )
    if not post:
        raise ValidationFailed(
            _("A posting time is given only when the document is posted (post=true)."),
            code="posted_at_without_post",
            fields={"posted_at": [_("Give post=true, or leave the time out.")]},
        )


def load_batches(lines: Sequence) -> dict[int, Batch]:
    return Batch.objects.in_bulk({ln.batch_id for ln in lines if ln.batch_id})


def check_batch(index: int, sku: Sku, batch: Batch | None, batch_id: int | None) -> None:
    if batch_id is None:
        return
    if batch is None:
        raise line_error(
            index, "batch", _("Batch #%(id)s does not exist.") % {"id": batch_id}, "unknown_batch"
        )
    if batch.sku_id != sku.id:
        raise line_error(
            index,
            "batch",
            _("Batch %(batch)s is not a batch of SKU %(sku)s.")
            % {"batch": batch.batch_no, "sku": sku.code},
            "unknown_batch",
        )
    if sku.product.tracking != Tracking.BATCH:
        raise line_error(
            index,
            "batch",
            _("SKU %(sku)s is not batch-tracked: remove the batch.") % {"sku": sku.code},
            "batch_not_allowed",
        )
