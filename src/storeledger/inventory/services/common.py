"""Helpers shared by the inventory document services (stock documents, transfers, stock
counts): line resolution, numbering, scope, the draft life cycle and the reversal skeleton."""

from __future__ import annotations

import dataclasses
import datetime
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, SkuUnit, Tracking, Unit
from storeledger.core import doctypes
from storeledger.core.documents import DocumentStatus, ensure_reversible, transition
from storeledger.core.errors import (
    InsufficientStock,
    NotFound,
    PermissionDenied,
    StaleVersion,
    StateConflict,
    ValidationFailed,
)
from storeledger.core.numbering import next_document_number
from storeledger.core.quantities import qty
from storeledger.inventory.ledger import check_posting_time, post_moves, reversal_requests
from storeledger.inventory.models import Batch, Posting
from storeledger.org.models import Location, Store, Warehouse, WarehouseKind


@dataclass(frozen=True)
class ResolvedQuantity:
    unit: Unit
    factor: Decimal
    quantity: Decimal  # in the line's unit
    base_quantity: Decimal  # in the SKU's base unit


def resolve_quantity(
    sku: Sku,
    unit: Unit | None,
    quantity: Decimal,
    *,
    field: str = "quantity",
    units_by_sku: dict[int, dict[int, Decimal]] | None = None,
) -> ResolvedQuantity:
    """Convert a line quantity in any unit of the SKU to base units, checking that the unit
    belongs to the SKU and that the base quantity respects the base unit's precision."""
    base_unit = sku.product.base_unit
    unit = unit or base_unit
    if unit.id == base_unit.id:
        factor = Decimal(1)
    else:
        factors = (
            units_by_sku.get(sku.id, {})
            if units_by_sku is not None
            else dict(SkuUnit.objects.filter(sku=sku).values_list("unit_id", "factor"))
        )
        if unit.id not in factors:
            raise ValidationFailed(
                _("Unit %(unit)s is not a unit of SKU %(sku)s.")
                % {"unit": unit.name, "sku": sku.code},
                code="wrong_unit",
                fields={"unit": [_("Not a unit of this SKU.")]},
            )
        factor = factors[unit.id]
    base_quantity = qty(quantity * factor)
    step = Decimal(1).scaleb(-base_unit.precision)
    if base_quantity != base_quantity.quantize(step):
        raise ValidationFailed(
            _("%(qty)s %(unit)s of %(sku)s is not a whole number of %(base)s.")
            % {"qty": quantity, "unit": unit.name, "sku": sku.code, "base": base_unit.name},
            code="bad_precision",
            fields={field: [_("Too many decimal places for this unit.")]},
        )
    return ResolvedQuantity(
        unit=unit, factor=factor, quantity=quantity, base_quantity=base_quantity
    )


def units_for(skus: list[Sku]) -> dict[int, dict[int, Decimal]]:
    """{sku_id: {unit_id: factor}} for many SKUs in one query."""
    out: dict[int, dict[int, Decimal]] = {s.id: {} for s in skus}
    for sku_id, unit_id, factor in SkuUnit.objects.filter(sku__in=skus).values_list(
        "sku_id", "unit_id", "factor"
    ):
        out[sku_id][unit_id] = factor
    return out


def stock_warehouse(
    warehouse_id: int, user, *, field: str = "warehouse", scoped: bool = True
) -> Warehouse:
    """A normal (not in-transit), active warehouse inside the user's scope (any warehouse's
    scope with `scoped=False`, e.g. the destination of a transfer)."""
    warehouse = Warehouse.objects.select_related("store").filter(pk=warehouse_id).first()
    if warehouse is None or warehouse.kind != WarehouseKind.NORMAL:
        raise NotFound(_("Warehouse not found."), fields={field: [_("Unknown warehouse.")]})
    if scoped:
        scope.ensure_warehouses(user, [warehouse.id])
    if not warehouse.active:
        raise ValidationFailed(
            _("Warehouse %(code)s is inactive.") % {"code": warehouse.code},
            code="inactive_warehouse",
            fields={field: [_("Inactive warehouse.")]},
        )
    return warehouse


def numbering_store(warehouse: Warehouse) -> Store | None:
    """The store whose number series a document of this warehouse uses (None: head office)."""
    if warehouse.store_id:
        return warehouse.store
    return Store.objects.filter(is_head_office=True).order_by("id").first()


def moment(at: datetime.datetime | None) -> datetime.datetime:
    """The time a service stamps: `at` for a back-dated entry (history, imports; with its
    time zone, not in the future), else now."""
    return timezone.now() if at is None else check_posting_time(at)


def new_number(kind: str, store_code: str, day: datetime.date | None = None) -> str:
    return next_document_number(
        prefix=doctypes.prefix(kind), store_code=store_code, day=day or timezone.localdate()
    )


# A document created and posted in one transaction is numbered last (`number_last`); until
# then it holds a unique placeholder that no other transaction ever sees.
UNNUMBERED_PREFIX = "~"


def unnumbered() -> str:
    return f"{UNNUMBERED_PREFIX}{uuid.uuid4().hex}"


def number_last(document, *, kind: str, document_type: str) -> None:
    """Number a document as the last step of the transaction that created and posted it: the
    number series row of its prefix, store and day is then locked only from here to the
    commit (not from the creation through the posting, which made every document of one kind
    in one store and day wait for the one before). Its postings take the number too."""
    number = new_number(kind, document.store.code, document.document_date)
    type(document)._default_manager.filter(pk=document.pk).update(number=number)
    Posting.objects.filter(document_type=document_type, document_id=document.pk).update(
        document_number=number
    )
    document.number = number


def document_store(warehouse: Warehouse, *, field: str = "warehouse") -> Store:
    """`numbering_store`, or a 400 no_store (on `field`) when there is none."""
    store = numbering_store(warehouse)
    if store is None:
        raise ValidationFailed(
            _("Warehouse %(code)s belongs to no store and there is no head-office store.")
            % {"code": warehouse.code},
            code="no_store",
            fields={field: [_("Set up a head-office store first.")]},
        )
    return store


# ---------------------------------------------------------------- line resolution


def line_error(index: int, field: str, message: str, code: str) -> ValidationFailed:
    """A 400 on `lines.<index>.<field>`."""
    return ValidationFailed(message, code=code, fields={f"lines.{index}.{field}": [message]})


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


def name_short_lines(error: InsufficientStock, lines: Sequence) -> InsufficientStock:
    """Put every short line of a refused posting on its field (`lines.<index>.quantity`,
    the index being the line's place in the document), so a client marks each one."""
    index_of = {line.id: index for index, line in enumerate(lines)}
    for shortage in error.details.get("shortages", ()):
        index = index_of.get(shortage["line_id"])
        if index is not None:
            error.fields.setdefault(f"lines.{index}.quantity", []).append(shortage["message"])
    return error


def check_lines_present(lines: Sequence) -> None:
    if not lines:
        raise ValidationFailed(
            _("A document needs at least one line."),
            code="no_lines",
            fields={"lines": [_("Add at least one line.")]},
        )


def load_skus(lines: Sequence) -> dict[int, Sku]:
    """The SKUs of the lines (with product and base unit); an unknown SKU is a 400."""
    skus = Sku.objects.select_related("product__base_unit").in_bulk({ln.sku_id for ln in lines})
    for index, line in enumerate(lines):
        if line.sku_id not in skus:
            raise line_error(
                index, "sku", _("SKU #%(id)s does not exist.") % {"id": line.sku_id}, "unknown_sku"
            )
    return skus


def check_location(index: int, field: str, location: Location | None, warehouse: Warehouse) -> None:
    """A 400 on `lines.<index>.<field>` unless `location` is an active bin of `warehouse`."""
    if location is None:
        message, code = _("The chosen location does not exist."), "unknown_location"
    elif location.warehouse_id != warehouse.id:
        message = _("Location %(location)s is not a location of warehouse %(wh)s.") % {
            "location": location.code,
            "wh": warehouse.code,
        }
        code = "wrong_location"
    elif not location.active:
        message = _("Location %(location)s of warehouse %(wh)s is inactive.") % {
            "location": location.code,
            "wh": warehouse.code,
        }
        code = "inactive_location"
    else:
        return
    raise line_error(index, field, message, code)


def load_units(lines: Sequence) -> dict[int, Unit]:
    units = Unit.objects.in_bulk({ln.unit_id for ln in lines if ln.unit_id})
    for index, line in enumerate(lines):
        if line.unit_id and line.unit_id not in units:
            raise line_error(
                index,
                "unit",
                _("Unit #%(id)s does not exist.") % {"id": line.unit_id},
                "unknown_unit",
            )
    return units


def load_batches(lines: Sequence) -> dict[int, Batch]:
    return Batch.objects.in_bulk({ln.batch_id for ln in lines if ln.batch_id})


def resolve_line_quantity(
    index: int, sku: Sku, unit: Unit | None, quantity: Decimal, factors
) -> ResolvedQuantity:
    """`resolve_quantity` with its errors on `lines.<index>.unit|quantity`."""
    try:
        return resolve_quantity(sku, unit, quantity, units_by_sku=factors)
    except ValidationFailed as error:
        field = "unit" if error.code == "wrong_unit" else "quantity"
        raise ValidationFailed(
            error.message,
            code=error.code,
            fields={f"lines.{index}.{field}": list(error.fields.values())[0]},
        ) from error


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


# ---------------------------------------------------------------- draft life cycle


def require_status(document, allowed: Sequence[str]) -> None:
    """409 state_conflict unless the document is in one of the `allowed` statuses."""
    if document.status not in allowed:
        raise StateConflict(
            _("A %(status)s document cannot do this.") % {"status": document.get_status_display()},
            details={"status": document.status, "allowed_from": list(allowed)},
        )


def check_version(document, expected: int | None) -> None:
    """409 stale_version when the client read another version (None: not checked)."""
    if expected is not None and expected != document.version:
        raise StaleVersion(details={"expected": expected, "current": document.version})


def save_draft(document, *, version: int, fields: dict, line_model=None, rows=None) -> None:
    """Write the header `fields` of a draft with a version-guarded UPDATE (409 stale_version
    when another request changed it first), then replace its lines by `rows` when given."""
    updated = (
        type(document)
        ._default_manager.filter(pk=document.pk, version=version)
        .update(**fields, version=version + 1)
    )
    if updated != 1:
        raise StaleVersion()
    document.version = version + 1
    if rows is not None:
        document.lines.all().delete()
        line_model.objects.bulk_create(rows)


def delete_draft(document) -> None:
    """Delete a draft and its lines (its number is not reused)."""
    require_status(document, [DocumentStatus.DRAFT])
    document.lines.all().delete()
    document.delete()


def submit_document(document, user, *, at: datetime.datetime | None = None) -> None:
    transition(
        document,
        allowed_from=doctypes.for_document(document).allowed_from("submit"),
        to=DocumentStatus.SUBMITTED,
        user=user,
        at=moment(at),
    )


def approve_document(
    document, user, *, perm: str, denied: str, at: datetime.datetime | None = None
) -> None:
    """submitted → approved; 403 with the `denied` message without the `perm` permission."""
    if not user.has_perm(perm):
        raise PermissionDenied(denied)
    transition(
        document,
        allowed_from=doctypes.for_document(document).allowed_from("approve"),
        to=DocumentStatus.APPROVED,
        user=user,
        at=moment(at),
    )


def cancel_document(document, user, *, at: datetime.datetime | None = None) -> None:
    """Cancel a document that has not been posted (or shipped)."""
    transition(
        document,
        allowed_from=doctypes.for_document(document).allowed_from("cancel"),
        to=DocumentStatus.CANCELLED,
        user=user,
        at=moment(at),
    )


def stamp_created(rows, at: datetime.datetime | None, *, field: str = "created_at") -> None:
    """Back-dated rows (one or a list) were created at `at`: their creation time, stamped by
    the database field on insert, is set to it."""
    rows = rows if isinstance(rows, list) else [rows]
    if at is None or not rows:
        return
    type(rows[0])._default_manager.filter(pk__in=[row.pk for row in rows]).update(**{field: at})
    for row in rows:
        setattr(row, field, at)


def approved_or_skip(document, user, *, perm: str, denied: str) -> list[str]:
    """The statuses a document may be posted (or shipped) from: approved, or also draft and
    submitted with the skip-approval `perm` (else 403 approval_required with `denied`)."""
    allowed: list[str] = [DocumentStatus.APPROVED]
    if document.status in (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED):
        if not user.has_perm(perm):
            raise PermissionDenied(denied, code="approval_required")
        allowed += [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED]
    return allowed


# ---------------------------------------------------------------- reversal


def begin_reversal(original, *, kind: str, user, notes: str, at: datetime.datetime | None) -> dict:
    """The one reverse path of every document type: a reversing document cannot itself be
    reversed (409 reversal_of_reversal), the original goes posted → reversed (409
    state_conflict from any other status), and the answer is the header fields of its posted
    reversing document (see `reversal_fields`)."""
    ensure_reversible(original)
    now = moment(at)
    transition(
        original,
        allowed_from=doctypes.for_document(original).allowed_from("reverse"),
        to=DocumentStatus.REVERSED,
        user=user,
        at=now,
    )
    return reversal_fields(original, kind=kind, user=user, notes=notes, now=now)


def reversal_fields(original, *, kind: str, user, notes: str, now: datetime.datetime) -> dict:
    """Header fields of the posted reversing document (红冲) of `original`: its own number,
    the link to the original, posted `now` by `user`."""
    return {
        "number": new_number(kind, original.store.code, timezone.localdate(now)),
        "document_date": timezone.localdate(now),
        "status": DocumentStatus.POSTED,
        "notes": notes or _("Reversal of %(number)s") % {"number": original.number},
        "created_by": user,
        "posted_at": now,
        "posted_by": user,
        "reversal_of": original,
    }


def reversal_line_ids(original_lines, new_lines) -> dict[int | None, int]:
    """{original line id: reversing line id}, matched by line_no."""
    new_ids = dict(new_lines.values_list("line_no", "id"))
    return {line.id: new_ids[line.line_no] for line in original_lines}


def post_reversal(
    *,
    key: str,
    postings: Sequence[Posting],
    reversal,
    document_type: str,
    user,
    at: datetime.datetime | None,
    line_ids: dict[int | None, int] | None = None,
) -> Posting:
    """Post the exact opposite of `postings` (in the order given: the latest first) as ONE
    posting of the reversing document — so all its balances are locked together, in id order
    — its line ids mapped through `line_ids` when given, back-dated to `at` when given. Each
    move names the move it reverses; the posting names the first of the originals."""
    moves = [move for posting in postings for move in reversal_requests(posting)]
    if line_ids is not None:
        moves = [dataclasses.replace(move, line_id=line_ids.get(move.line_id)) for move in moves]
    return post_moves(
        key=key,
        document_type=document_type,
        document_id=reversal.id,
        document_number=reversal.number,
        event="reverse",
        user=user,
        moves=moves,
        posted_at=at,
        reverses=min(postings, key=lambda posting: posting.id),
    )
