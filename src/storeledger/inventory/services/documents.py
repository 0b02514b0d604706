"""Other stock-in, other stock-out, adjustment and scrap documents.

draft → submitted → approved → posted (→ reversed by a linked reversing document). Posting
goes through `inventory.ledger.post_moves`, keyed per document event so it happens once."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.models import Sku, Tracking
from storeledger.catalog.units import (
    check_skus_found,
    load_skus,
    load_units,
    resolve_line_quantity,
    units_for,
)
from storeledger.core import approvals, held, lifecycle
from storeledger.core.costs import can_see_cost
from storeledger.core.documents import transition
from storeledger.core.errors import InsufficientStock, NotFound, PermissionDenied, ValidationFailed
from storeledger.core.lifecycle import (
    approved_or_skip,
    begin_reversal,
    check_lines_present,
    check_version,
    delete_draft,
    line_error,
    moment,
    name_short_lines,
    new_number,
    require_status,
    reversal_line_ids,
    save_draft,
    stamp_created,
    unnumbered,
)
from storeledger.core.quantities import MAX_LINE_VALUE, money, qty
from storeledger.core.rawsql import insert_with_children, new
from storeledger.core.services import service
from storeledger.inventory.ledger import (
    MoveRequest,
    get_or_create_batch,
    post_moves,
    post_reversal,
)
from storeledger.inventory.models import (
    Batch,
    Posting,
    ReasonCode,
    StockDocument,
    StockDocumentKind,
    StockDocumentLine,
    StockDocumentStatus,
)
from storeledger.inventory.services.common import (
    check_batch,
    load_batches,
    number_last,
    read_references,
)
from storeledger.org.models import Location
from storeledger.org.selectors import (
    check_location,
    check_stock_warehouse,
    document_store,
    stock_warehouse,
)

DOCUMENT_TYPE = "stock_document"
SKIP_APPROVAL_PERM = "inventory.skip_approval_stockdocument"

# Move type of each kind (the same names).
MOVE_TYPE = {kind: kind for kind in StockDocumentKind.values}
# Sign of the stock change of each kind (adjustments carry their own sign).
SIGN = {"stock_in": 1, "stock_out": -1, "scrap": -1, "adjustment": 1}


@dataclass(frozen=True)
class StockLineInput:
    """One line as a client gives it; quantity in `unit_id` (default: the base unit)."""

    sku_id: int
    quantity: Decimal
    unit_id: int | None = None
    batch_id: int | None = None
    batch_no: str = ""
    production_date: datetime.date | None = None
    expiry_date: datetime.date | None = None
    location_id: int | None = None
    unit_cost: Decimal | None = None  # per line unit, stock-in and positive adjustments
    allow_expired: bool = False
    notes: str = ""


# ---------------------------------------------------------------- line resolution


def _reason(kind: str, reason_id: int | None) -> ReasonCode | None:
    if reason_id is None:
        return None
    reason = ReasonCode.objects.filter(pk=reason_id).first()
    if reason is None or reason.kind != kind or not reason.active:
        raise ValidationFailed(
            _("Reason #%(id)s does not exist.") % {"id": reason_id}
            if reason is None
            else _("Reason %(reason)s is not a reason for this kind of document.")
            % {"reason": f"{reason.code} {reason.name}"},
            code="wrong_reason",
            fields={"reason": [_("Choose a reason of this document kind.")]},
        )
    return reason


def _require_reason(document: StockDocument) -> None:
    """A scrap says why the goods are scrapped (expired, damaged, lost...): without a reason it
    is refused on save, submit and post (an old draft made before the rule too), as the form
    refuses it. Only while the company has an active scrap reason to choose; with none, a scrap
    could not be made at all. The other kinds keep their reason optional."""
    if document.kind != StockDocumentKind.SCRAP or document.reason_id is not None:
        return
    if ReasonCode.objects.filter(kind=StockDocumentKind.SCRAP, active=True).exists():
        raise ValidationFailed(
            _("A scrap needs a reason: say why the goods are scrapped."),
            code="reason_required",
            fields={"reason": [_("Choose why the goods are scrapped.")]},
        )


def _build_lines(
    document: StockDocument,
    lines: Sequence[StockLineInput],
    skus: dict[int, Sku] | None = None,
) -> list[StockDocumentLine]:
    """Validate every line (all or nothing) and build the line rows (not yet saved). A
    stock-in line of a batch-tracked SKU with a new batch number creates the batch. `skus`:
    the lines' SKUs (with product and base unit) when the caller has read them."""
    check_lines_present(lines)
    kind, warehouse = document.kind, document.warehouse
    skus = load_skus(lines) if skus is None else check_skus_found(lines, skus)
    units = load_units(lines)
    # Unit factors are read only for lines in another unit than the SKU's base unit.
    factors = units_for(
        [
            skus[ln.sku_id]
            for ln in lines
            if ln.unit_id and ln.unit_id != skus[ln.sku_id].product.base_unit_id
        ]
    )
    batches = load_batches(lines)
    locations = Location.objects.in_bulk({ln.location_id for ln in lines if ln.location_id})
    rows: list[StockDocumentLine] = []
    for index, line in enumerate(lines):
        sku = skus[line.sku_id]
        if line.quantity == 0 or (kind != StockDocumentKind.ADJUSTMENT and line.quantity < 0):
            raise line_error(
                index,
                "quantity",
                _("The quantity must be greater than zero.")
                if kind != StockDocumentKind.ADJUSTMENT
                else _("An adjustment quantity cannot be zero."),
                "bad_quantity",
            )
        resolved = resolve_line_quantity(
            index, sku, units.get(line.unit_id) if line.unit_id else None, line.quantity, factors
        )
        if line.location_id is not None:
            check_location(index, "location", locations.get(line.location_id), warehouse)
        batch = batches.get(line.batch_id) if line.batch_id else None
        check_batch(index, sku, batch, line.batch_id)
        tracked = sku.product.tracking == Tracking.BATCH
        inbound = SIGN[kind] * line.quantity > 0
        if inbound and not (sku.active and sku.product.active):
            # A deactivated SKU is being phased out: its remaining stock may still leave.
            raise line_error(
                index,
                "sku",
                _("SKU %(sku)s is deactivated and cannot be received; activate it first.")
                % {"sku": sku.code},
                "inactive_sku",
            )
        if tracked and inbound and batch is None:
            if not line.batch_no.strip():
                raise line_error(
                    index,
                    "batch_no",
                    _("SKU %(sku)s is batch-tracked: give a batch or a batch number.")
                    % {"sku": sku.code},
                    "batch_required",
                )
            # A new batch is created when the document is posted, so that a draft's batch
            # number and dates can still change and a deleted draft leaves no batch behind.
            batch = Batch.objects.filter(sku=sku, batch_no=line.batch_no.strip()).first()
            if batch is not None:
                _check_batch_dates(index, batch, line)
        elif not tracked and line.batch_no.strip():
            raise line_error(
                index,
                "batch_no",
                _("SKU %(sku)s is not batch-tracked: remove the batch.") % {"sku": sku.code},
                "batch_not_allowed",
            )
        unit_cost = line.unit_cost
        if unit_cost is not None and unit_cost < 0:
            raise line_error(
                index, "unit_cost", _("The unit cost cannot be negative."), "bad_unit_cost"
            )
        if unit_cost is not None and abs(line.quantity * unit_cost) > MAX_LINE_VALUE:
            raise line_error(
                index,
                "unit_cost",
                _("The line's value (quantity × unit cost) is too large: at most %(max)s.")
                % {"max": f"{MAX_LINE_VALUE:,}"},
                "value_too_large",
            )
        # Without a cost a stock-in (a customer return, goods found) comes in at the
        # balance's moving average, which the ledger applies when it posts.
        if not inbound:
            unit_cost = None  # outbound moves leave at the moving-average cost
        rows.append(
            new(
                StockDocumentLine,
                document=document,
                line_no=index + 1,
                sku=sku,
                unit=resolved.unit,
                quantity=qty(line.quantity),
                factor=resolved.factor,
                base_quantity=resolved.base_quantity,
                batch=batch,
                **_batch_fields(sku, batch, line),
                location=locations.get(line.location_id) if line.location_id else None,
                unit_cost=money(unit_cost) if unit_cost is not None else None,
                allow_expired=line.allow_expired and not inbound,
                notes=line.notes,
            )
        )
    return rows


def _check_batch_dates(index: int, batch: Batch, line: StockLineInput | StockDocumentLine) -> None:
    """Dates given for a batch number that exists must be its dates (a typo otherwise)."""
    for field in ("production_date", "expiry_date"):
        date_field = Batch._meta.get_field(field)
        assert isinstance(date_field, models.DateField)  # a column, never a relation
        given, known = getattr(line, field), getattr(batch, field)
        if given is not None and known is not None and given != known:
            raise line_error(
                index,
                field,
                _(
                    "Batch %(batch)s of SKU %(sku)s already exists with %(field)s %(date)s; "
                    "leave the date empty or correct it."
                )
                % {
                    "batch": batch.batch_no,
                    "sku": batch.sku.code,
                    "field": date_field.verbose_name,
                    "date": known.isoformat(),
                },
                "batch_dates_differ",
            )


def _batch_fields(sku: Sku, batch: Batch | None, line: StockLineInput) -> dict[str, Any]:
    """The batch number and dates a line shows: its batch's, or those of the new batch that
    posting will create (expiry from the shelf life when only the production date is known)."""
    if batch is not None:
        return {
            "batch_no": batch.batch_no,
            "production_date": batch.production_date,
            "expiry_date": batch.expiry_date,
        }
    batch_no = line.batch_no.strip()
    if not batch_no:
        return {"batch_no": "", "production_date": None, "expiry_date": None}
    expiry_date = line.expiry_date
    shelf_life = sku.product.shelf_life_days
    if expiry_date is None and line.production_date and shelf_life:
        expiry_date = line.production_date + datetime.timedelta(days=shelf_life)
    return {
        "batch_no": batch_no,
        "production_date": line.production_date,
        "expiry_date": expiry_date,
    }


# ---------------------------------------------------------------- loading and checks


def get_stock_document(*, user, document_id: int, kind: str | None = None) -> StockDocument:
    """A document the user may see (404 otherwise), locked for the rest of the transaction."""
    queryset = scope.filter_warehouses(
        StockDocument.objects.select_for_update(of=("self",)).select_related("warehouse", "store"),
        user,
    )
    if kind is not None:
        queryset = queryset.filter(kind=kind)
    document = queryset.filter(pk=document_id).first()
    if document is None:
        raise NotFound(_("Document not found."))
    scope.ensure_warehouses(user, [document.warehouse_id])
    return document


# ---------------------------------------------------------------- services


@service
def create_stock_document(
    *,
    user,
    kind: str,
    warehouse_id: int,
    lines: Sequence[StockLineInput],
    reason_id: int | None = None,
    document_date: datetime.date | None = None,
    notes: str = "",
    reference: str = "",
    at: datetime.datetime | None = None,
    idempotency_key: str = "",
) -> StockDocument:
    """A draft document with its lines (created `at`, a back-dated entry, or now), keeping
    the `idempotency_key` of the request that created it (unique per user)."""
    return _create_draft(
        user=user,
        kind=kind,
        warehouse_id=warehouse_id,
        lines=lines,
        reason_id=reason_id,
        document_date=document_date,
        notes=notes,
        reference=reference,
        at=at,
        numbered=True,
        idempotency_key=idempotency_key,
    )


def _create_draft(
    *,
    user,
    kind: str,
    warehouse_id: int,
    lines: Sequence[StockLineInput],
    reason_id: int | None,
    document_date: datetime.date | None,
    notes: str,
    reference: str,
    at: datetime.datetime | None,
    numbered: bool,
    posted: bool = False,
    idempotency_key: str = "",
) -> StockDocument:
    """`create_stock_document`; without `numbered`, the document's number is a placeholder
    until `number_last` gives it its number at the end of the caller's transaction; with
    `posted`, it is created in the posted status (its moves are the caller's next step). The
    document comes back holding its lines (`document.lines.all()` reads no rows)."""
    if kind not in StockDocumentKind.values:
        raise ValidationFailed(_("Unknown document kind."), code="bad_kind")
    # The warehouse and the SKUs in one query; with the SKUs' stock there when the document,
    # created posted, is checked against approval rules (`stock_document_facts`).
    found, skus, stock = read_references(
        warehouse_id,
        [line.sku_id for line in lines],
        with_stock=posted and at is None and approvals.has_active_rules(StockDocument),
    )
    warehouse = check_stock_warehouse(found, user)
    store = document_store(warehouse)
    document_date = document_date or timezone.localdate(moment(at))
    document = new(
        StockDocument,
        kind=kind,
        warehouse=warehouse,
        store=store,
        reason=_reason(kind, reason_id),
        document_date=document_date,
        notes=notes,
        reference=reference,
        created_by=user,
        idempotency_key=idempotency_key,
    )
    _require_reason(document)
    rows = _build_lines(document, lines, skus)
    if stock is not None:
        document.held_stock = stock  # type: ignore[attr-defined]
    if posted:
        # Created posted in one step: nobody else sees it before the commit, so there is no
        # status to guard with a second UPDATE (approval is skipped by permission).
        document.status = StockDocumentStatus.POSTED
        document.posted_at = moment(at)
        document.posted_by = user
    document.number = new_number(kind, store.code, document_date) if numbered else unnumbered()
    # plain INSERTs (the ORM's save and bulk_create cost far more), in one statement
    insert_with_children(document, rows, parent_field="document")
    stamp_created(document, at)
    held.hold_new_document(document, lines=rows)
    return document


_UNSET: object = object()


@service
def update_stock_document(
    *,
    user,
    document_id: int,
    version: int,
    kind: str | None = None,
    warehouse_id: int | None = None,
    reason_id: int | None | object = _UNSET,
    document_date: datetime.date | None = None,
    notes: str | None = None,
    reference: str | None = None,
    lines: Sequence[StockLineInput] | None = None,
) -> StockDocument:
    """Change a draft; `lines` (when given) replaces the whole set. A stale version is a 409."""
    document = get_stock_document(user=user, document_id=document_id, kind=kind)
    require_status(document, [StockDocumentStatus.DRAFT])
    check_version(document, version)
    if warehouse_id is not None and warehouse_id != document.warehouse_id:
        document.warehouse = stock_warehouse(warehouse_id, user)
        document.store = document_store(document.warehouse)
        if lines is None:
            lines = [_line_input(line) for line in document.lines.all()]
    if reason_id is not _UNSET:
        document.reason = _reason(document.kind, reason_id)  # type: ignore[arg-type]
    _require_reason(document)
    if document_date is not None:
        document.document_date = document_date
    if notes is not None:
        document.notes = notes
    if reference is not None:
        document.reference = reference
    save_draft(
        document,
        version=version,
        fields={
            "warehouse": document.warehouse,
            "store": document.store,
            "reason": document.reason,
            "document_date": document.document_date,
            "notes": document.notes,
            "reference": document.reference,
        },
        line_model=StockDocumentLine,
        rows=_edited_lines(user, document, lines) if lines is not None else None,
    )
    return document


def _edited_lines(
    user, document: StockDocument, lines: Sequence[StockLineInput]
) -> list[StockDocumentLine]:
    rows = _build_lines(document, lines)
    if not can_see_cost(user):
        _keep_hidden_costs(list(document.lines.all()), rows, SIGN[document.kind])
    return rows


def _keep_hidden_costs(
    old: list[StockDocumentLine], rows: list[StockDocumentLine], sign: int
) -> None:
    """A user who may not see costs edits a draft whose costs they were shown as blank: a line
    sent without a cost keeps the cost per base unit of the draft's line of the same SKU (in
    line order), so fixing a quantity does not drop what a manager entered."""
    costs: dict[int, list[Decimal]] = {}
    for line in old:
        if line.unit_cost is not None:
            costs.setdefault(line.sku_id, []).append(line.unit_cost / line.factor)
    for row in rows:
        kept = costs.get(row.sku_id)
        if row.unit_cost is None and kept and sign * row.quantity > 0:
            row.unit_cost = money(kept.pop(0) * row.factor)


def _line_input(line: StockDocumentLine) -> StockLineInput:
    return StockLineInput(
        sku_id=line.sku_id,
        quantity=line.quantity,
        unit_id=line.unit_id,
        batch_id=line.batch_id,
        batch_no="" if line.batch_id else line.batch_no,  # a batch posting will create
        production_date=None if line.batch_id else line.production_date,
        expiry_date=None if line.batch_id else line.expiry_date,
        location_id=None,  # locations belong to the old warehouse
        unit_cost=line.unit_cost,
        allow_expired=line.allow_expired,
        notes=line.notes,
    )


@service
def delete_stock_document(*, user, document_id: int, kind: str | None = None) -> None:
    """Delete a draft (its number is not reused)."""
    delete_draft(get_stock_document(user=user, document_id=document_id, kind=kind))


@service
def cancel_stock_document(
    *, user, document_id: int, kind: str | None = None, at: datetime.datetime | None = None
) -> StockDocument:
    """Cancel a document that has not been posted."""
    document = get_stock_document(user=user, document_id=document_id, kind=kind)
    lifecycle.cancel(document, user, at=at)
    return document


@service
def submit_stock_document(
    *, user, document_id: int, kind: str | None = None, at: datetime.datetime | None = None
) -> StockDocument:
    document = get_stock_document(user=user, document_id=document_id, kind=kind)
    lifecycle.submit(document, user, at=at)
    _require_reason(document)  # after the status check: a submitted one is a 409
    if at is None:
        _check_stock(document, user)
    return document


def _check_stock(document: StockDocument, user) -> None:
    """Refuse to submit a document taking out more than the warehouse holds now, with the
    refusal posting it would get (409 insufficient_stock naming the short lines): an approver
    is not asked to approve what cannot post. The posting is tried in a savepoint that is
    rolled back (nothing written; a posting id may be skipped); posting checks again."""
    lines = list(document.lines.select_related("sku__product").order_by("line_no"))
    if all(SIGN[document.kind] * line.base_quantity > 0 for line in lines):
        return
    savepoint = transaction.savepoint()
    try:
        _post(document, user, None, lines=lines)
    finally:
        transaction.savepoint_rollback(savepoint)
        document.__dict__.pop("posted_line_values", None)


@service
def approve_stock_document(
    *,
    user,
    document_id: int,
    kind: str | None = None,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> StockDocument:
    document = get_stock_document(user=user, document_id=document_id, kind=kind)
    lifecycle.approve(
        document, user, denied=_("You may not approve stock documents."), comment=comment, at=at
    )
    return document


def _create_new_batches(lines: Sequence[StockDocumentLine]) -> None:
    """Create the batches that inbound lines name by number only (see `_build_lines`)."""
    for line in lines:
        if line.batch_id is None and line.batch_no:
            line.batch = get_or_create_batch(
                sku=line.sku,
                batch_no=line.batch_no,
                production_date=line.production_date,
                expiry_date=line.expiry_date,
            )
            _check_batch_dates(line.line_no - 1, line.batch, line)  # made by another document
            line.save(update_fields=["batch"])


def line_values(moves) -> dict[int, Decimal]:
    """The value each line moved, by line id (absolute), from the moves of its posting: what
    `selectors.stock_document_line_values` reads back, without reading."""
    totals: dict[int, Decimal] = {}
    for move in moves:
        if move.line_id is not None:
            totals[move.line_id] = totals.get(move.line_id, Decimal(0)) + move.value
    return {line_id: abs(total) for line_id, total in totals.items()}


def _post(
    document: StockDocument,
    user,
    at: datetime.datetime | None,
    lines: list[StockDocumentLine] | None = None,
) -> Posting:
    """Write the moves of a document that has just been marked posted (its `lines` when the
    caller holds them, with their SKUs and products). The document keeps the value each line
    moved (`document.posted_line_values`), for its answer."""
    if lines is None:
        lines = list(document.lines.select_related("sku__product").order_by("line_no"))
    _create_new_batches(lines)
    moves = []
    for line in lines:
        quantity = SIGN[document.kind] * line.base_quantity
        value = None
        if quantity > 0 and line.unit_cost is not None:
            value = money(line.unit_cost * abs(line.quantity))
        moves.append(
            MoveRequest(
                warehouse_id=document.warehouse_id,
                sku_id=line.sku_id,
                quantity=quantity,
                move_type=MOVE_TYPE[document.kind],
                batch_id=line.batch_id,
                location_id=line.location_id,
                value=value,
                line_id=line.id,
                allow_expired=line.allow_expired,
            )
        )
    try:
        posting = post_moves(
            key=f"{DOCUMENT_TYPE}:{document.id}:post",
            document_type=DOCUMENT_TYPE,
            document_id=document.id,
            document_number=document.number,
            event="post",
            user=user,
            moves=moves,
            posted_at=at,
            known=(
                {line.sku_id: line.sku for line in lines},
                {document.warehouse_id: document.warehouse},
            ),
        )
    except InsufficientStock as error:
        raise name_short_lines(error, lines) from None
    document.posted_line_values = line_values(posting.created_moves)  # type: ignore[attr-defined]
    return posting


@service
def post_stock_document(
    *, user, document_id: int, kind: str | None = None, at: datetime.datetime | None = None
) -> StockDocument:
    """Post an approved document; a draft or submitted one only with the skip-approval
    permission. Posting twice is a 409 and changes nothing. `at` back-dates the posting."""
    document = get_stock_document(user=user, document_id=document_id, kind=kind)
    allowed = approved_or_skip(
        document,
        user,
        perm=SKIP_APPROVAL_PERM,
        denied=_("This document needs approval before it can be posted."),
        history=at is not None,
    )
    if document.status in allowed:  # else the transition's 409 (posted twice, cancelled...)
        _require_reason(document)
    transition(
        document, allowed_from=allowed, to=StockDocumentStatus.POSTED, user=user, at=moment(at)
    )
    _post(document, user, at)
    return document


@service
def create_and_post_stock_document(
    *,
    user,
    kind: str,
    warehouse_id: int,
    lines: Sequence[StockLineInput],
    reason_id: int | None = None,
    document_date: datetime.date | None = None,
    notes: str = "",
    reference: str = "",
    at: datetime.datetime | None = None,
    idempotency_key: str = "",
) -> StockDocument:
    """Create and post in one call (handheld scanners, integrations, imports of history
    with `at`); needs the skip-approval permission. Either everything happens or nothing does."""
    if not user.has_perm(SKIP_APPROVAL_PERM):
        raise PermissionDenied(
            _("You may not post stock documents without approval."), code="approval_required"
        )
    document = _create_draft(
        user=user,
        kind=kind,
        warehouse_id=warehouse_id,
        lines=lines,
        reason_id=reason_id,
        document_date=document_date,
        notes=notes,
        reference=reference,
        at=at,
        numbered=False,
        posted=True,
        idempotency_key=idempotency_key,
    )
    if at is None:  # a back-dated posting of history is exempt (docs/approvals.md)
        # the rules weigh the stock as it is before this posting changes it (memoised) ...
        approvals.evaluate(document)
    approvals.remember_steps(document, [])  # a document made here has no approval history yet
    posting = _post(document, user, at, lines=list(document.lines.all()))
    if at is None:
        # ... and are applied once the stock is known to cover it: a stock-out the stock cannot
        # cover is refused as short, not sent for an approval that could never post.
        approvals.ensure_no_rule_applies(document)
    # The number last: its store's series is locked from here to the commit only, not across
    # the posting, so the store's other checkouts and scans post in parallel. The document's
    # posting time is its posting's (stamped once the balances are locked).
    number_last(document, kind=kind, document_type=DOCUMENT_TYPE, posted_at=posting.posted_at)
    return document


@service
def reverse_stock_document(
    *,
    user,
    document_id: int,
    kind: str | None = None,
    notes: str = "",
    at: datetime.datetime | None = None,
) -> StockDocument:
    """Reverse a posted document with a linked reversing document (its own number, posted,
    negated lines) whose moves undo the original exactly. Returns the reversing document."""
    original = get_stock_document(user=user, document_id=document_id, kind=kind)
    header = begin_reversal(original, kind=original.kind, user=user, notes=notes, at=at)
    posting = Posting.objects.get(key=f"{DOCUMENT_TYPE}:{original.id}:post")
    reversal = StockDocument.objects.create(
        kind=original.kind,
        warehouse_id=original.warehouse_id,
        store_id=original.store_id,
        reason_id=original.reason_id,
        reference=original.reference,
        **header,
    )
    stamp_created(reversal, at)
    original_lines = list(original.lines.order_by("line_no"))
    StockDocumentLine.objects.bulk_create(
        [
            StockDocumentLine(
                document=reversal,
                line_no=line.line_no,
                sku_id=line.sku_id,
                unit_id=line.unit_id,
                quantity=-line.quantity,
                factor=line.factor,
                base_quantity=-line.base_quantity,
                batch_id=line.batch_id,
                batch_no=line.batch_no,
                production_date=line.production_date,
                expiry_date=line.expiry_date,
                location_id=line.location_id,
                unit_cost=line.unit_cost,
                allow_expired=True,
                notes=line.notes,
            )
            for line in original_lines
        ]
    )
    post_reversal(
        key=f"{DOCUMENT_TYPE}:{original.id}:reverse",
        postings=[posting],
        reversal=reversal,
        document_type=DOCUMENT_TYPE,
        user=user,
        at=at,
        line_ids=reversal_line_ids(
            original_lines, StockDocumentLine.objects.filter(document=reversal)
        ),
    )
    return reversal
