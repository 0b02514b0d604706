"""Batch traceability 批次追溯 (for recalls): where a batch came from, where every unit of it
went and what is still on hand where; and the other way round, which batches a document took.

Everything is read from the stock ledger (the batch's moves, through the index on
`StockMove.batch`), so a document type that posts moves — a future POS sale or delivery —
shows up without a change here; its counterparty (a customer, a member) is added by
registering a look-up in `COUNTERPARTIES`. A trace is a constant number of queries whatever
the number of moves: the batch, its moves (with their postings and warehouses), one look-up
per document type present (a subquery of the same moves, never a list of ids) and the scope.

Scope (as the other stock reports): a warehouse asked for by id must be in the user's scope
and not under a blind count (403); otherwise only the moves of the user's warehouses are
shown, without those under a blind count for users who may not see the book, plus the
in-transit moves of transfers the user may see (source or destination in scope)."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import F, Q, QuerySet, Subquery
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.quantities import ZERO
from storeledger.inventory import blind
from storeledger.inventory.models import Batch, MoveType, StockCount, StockMove, Transfer
from storeledger.org.models import WarehouseKind
from storeledger.reports.selectors import _DIRECTIONS, IN, OUT, kind_of

TRANSFER = "transfer"
# Per warehouse and move type, the tree lists this many documents (the largest first) and
# counts the others: a batch sold in 10,000 receipts does not make a tree of 10,000 leaves.
DOCUMENTS_PER_FLOW = 50
MAX_BATCH_OPTIONS = 500

_MOVE_FIELDS = {
    "warehouse_code": F("warehouse__code"),
    "warehouse_name": F("warehouse__name"),
    "warehouse_kind": F("warehouse__kind"),
    "store_id": F("warehouse__store_id"),
    "store_code": F("warehouse__store__code"),
    "store_name": F("warehouse__store__name"),
    "document_type": F("posting__document_type"),
    "document_id": F("posting__document_id"),
    "document_number": F("posting__document_number"),
    "event": F("posting__event"),
}
# What a move tells of its SKU and batch (the same for every move of one batch: read once)
_ITEM_FIELDS = {
    "sku_code": F("sku__code"),
    "sku_name": F("sku__name"),
    "unit_name": F("sku__product__base_unit__name"),
    "unit_precision": F("sku__product__base_unit__precision"),
    "batch_no": F("batch__batch_no"),
    "expiry_date": F("batch__expiry_date"),
}
_MOVE_COLUMNS = (
    "id",
    "posted_at",
    "warehouse_id",
    "sku_id",
    "batch_id",
    "move_type",
    "quantity",
    "unit_cost",
    "value",
    "balance_quantity",
    "line_id",
)


# ------------------------------------------------------------------ counterparties


@dataclass(frozen=True)
class Counterparty:
    """Who or where a document's goods came from or went to, as a move shows it."""

    kind: str  # "supplier", "warehouse", "customer", …
    id: int | None
    code: str
    name: str


# document type -> (the moves of that type) -> {document id: (counterparty for an inbound
# move, counterparty for an outbound move, reason text)}. A module that posts moves of a new
# document type registers its look-up here (sales: the customer or member of a sale).
CounterpartyLookup = Callable[
    [QuerySet], dict[int, tuple[Counterparty | None, Counterparty | None, str]]
]
COUNTERPARTIES: dict[str, CounterpartyLookup] = {}


def register_counterparty(document_type: str, lookup: CounterpartyLookup) -> None:
    COUNTERPARTIES[document_type] = lookup


def _ids(moves: QuerySet, document_type: str) -> QuerySet:
    return moves.filter(posting__document_type=document_type).values("posting__document_id")


def _transfers(moves: QuerySet) -> dict:
    rows = Transfer.objects.filter(id__in=Subquery(_ids(moves, TRANSFER))).values(
        "id",
        "from_warehouse_id",
        "to_warehouse_id",
        from_code=F("from_warehouse__code"),
        from_name=F("from_warehouse__name"),
        to_code=F("to_warehouse__code"),
        to_name=F("to_warehouse__name"),
    )
    return {
        r["id"]: (
            Counterparty("warehouse", r["from_warehouse_id"], r["from_code"], r["from_name"]),
            Counterparty("warehouse", r["to_warehouse_id"], r["to_code"], r["to_name"]),
            "",
        )
        for r in rows
    }


def _supplier_documents(model, document_type: str) -> CounterpartyLookup:
    def lookup(moves: QuerySet) -> dict:
        reason = "reason" if hasattr(model, "reason") else None
        rows = model.objects.filter(id__in=Subquery(_ids(moves, document_type))).values(
            "id",
            "supplier_id",
            *([reason] if reason else []),
            supplier_code=F("supplier__code"),
            supplier_name=F("supplier__name"),
        )
        found = {}
        for r in rows:
            party = Counterparty(
                "supplier", r["supplier_id"], r["supplier_code"], r["supplier_name"]
            )
            found[r["id"]] = (party, party, r.get("reason") or "")
        return found

    return lookup


def _stock_documents(moves: QuerySet) -> dict:
    from storeledger.inventory.models import StockDocument

    rows = StockDocument.objects.filter(id__in=Subquery(_ids(moves, "stock_document"))).values(
        "id", "reference", reason_name=F("reason__name")
    )
    return {
        r["id"]: (None, None, " · ".join(filter(None, [r["reason_name"], r["reference"]])))
        for r in rows
    }


def _register_builtin() -> None:
    from storeledger.purchasing.models import PurchaseReceipt, PurchaseReturn

    register_counterparty(TRANSFER, _transfers)
    register_counterparty("stock_document", _stock_documents)
    register_counterparty(
        "purchase_receipt", _supplier_documents(PurchaseReceipt, "purchase_receipt")
    )
    register_counterparty("purchase_return", _supplier_documents(PurchaseReturn, "purchase_return"))


_register_builtin()


# ------------------------------------------------------------------ visible moves


def visible_moves(user, warehouse_id: int | None = None) -> QuerySet:
    """The moves `user` may see in a trace: of one warehouse asked for (in scope, not under a
    blind count: else 403), or of the user's warehouses (without those under a blind count)
    and the in-transit moves of the transfers the user may see."""
    moves = StockMove.objects.all()
    if warehouse_id is not None:
        scope.ensure_warehouses(user, [warehouse_id])
        blind.ensure_book_visible(user, [warehouse_id])
        return moves.filter(warehouse_id=warehouse_id)
    allowed = scope.warehouse_ids(user)
    stock = ~Q(warehouse__kind=WarehouseKind.TRANSIT)
    transit = Q(warehouse__kind=WarehouseKind.TRANSIT)
    if allowed is not None:
        stock &= Q(warehouse_id__in=allowed)
        transfers = Transfer.objects.filter(
            Q(from_warehouse_id__in=allowed) | Q(to_warehouse_id__in=allowed)
        ).values("id")
        transit &= Q(posting__document_type=TRANSFER, posting__document_id__in=transfers)
    if not blind.sees_book(user):
        open_blind = StockCount.objects.filter(blind=True, status__in=blind.OPEN).values(
            "warehouse_id"
        )
        stock &= ~Q(warehouse_id__in=open_blind)
    return moves.filter(stock | transit)


def _with_counterparties(moves: QuerySet, rows: list[dict]) -> list[dict]:
    """Each move row gets its counterparty (the warehouse across a transfer, the supplier of
    a receipt or a return, …) and reason: one query per document type present."""
    present = {row["document_type"] for row in rows}
    found: dict[str, dict] = {
        document_type: lookup(moves)
        for document_type, lookup in COUNTERPARTIES.items()
        if document_type in present
    }
    for row in rows:
        inbound, outbound, reason = found.get(row["document_type"], {}).get(
            row["document_id"], (None, None, "")
        )
        transit = row["warehouse_kind"] == WarehouseKind.TRANSIT
        # in transit: where the goods are going (and where they left from)
        party = outbound if transit or row["quantity"] < 0 else inbound
        row["source_id"] = inbound.id if transit and inbound else None
        row["counterparty_kind"] = party.kind if party else None
        row["counterparty_id"] = party.id if party else None
        row["counterparty_code"] = party.code if party else None
        row["counterparty_name"] = party.name if party else None
        row["reason"] = reason
        row["in_transit"] = transit
    return rows


def _move_rows(moves: QuerySet, batch: dict | None = None) -> list[dict]:
    """The moves as rows; of one `batch` (find_batch), its SKU and batch columns are taken
    from it instead of joined to every move."""
    fields = _MOVE_FIELDS if batch else _MOVE_FIELDS | _ITEM_FIELDS
    rows = list(moves.values(*_MOVE_COLUMNS, **fields).order_by("posted_at", "id"))
    if batch:
        item = {
            "sku_code": batch["sku_code"],
            "sku_name": batch["sku_name"],
            "unit_name": batch["unit_name"],
            "unit_precision": batch["unit_precision"],
            "batch_no": batch["batch_no"],
            "expiry_date": batch["expiry_date"],
        }
        for row in rows:
            row.update(item)
    return _with_counterparties(moves, rows)


# ------------------------------------------------------------------ the batch


def find_batch(*, batch_id: int | None, sku_id: int | None, batch_no: str) -> dict:
    """The batch with its SKU, by id or by SKU and batch number (400 without either, 404 when
    there is none)."""
    if batch_id is None and not (sku_id and batch_no):
        message = _("Give a batch, or a SKU and a batch number.")
        raise ValidationFailed(message, fields={"batch": [message]})
    batches = Batch.objects.all()
    if batch_id is not None:
        batches = batches.filter(pk=batch_id)
    if sku_id:
        batches = batches.filter(sku_id=sku_id)
    if batch_no:
        batches = batches.filter(batch_no=batch_no.strip())
    found = batches.values(
        "id",
        "batch_no",
        "production_date",
        "expiry_date",
        "sku_id",
        sku_code=F("sku__code"),
        sku_name=F("sku__name"),
        unit_name=F("sku__product__base_unit__name"),
        unit_precision=F("sku__product__base_unit__precision"),
    ).first()
    if found is None:
        raise NotFound(_("Batch not found."))
    return found


def batch_moves(*, user, batch: dict, warehouse_id: int | None = None) -> list[dict]:
    """Every move of the batch (`find_batch`) the user may see, oldest first, with its
    document and counterparty."""
    return _move_rows(visible_moves(user, warehouse_id).filter(batch_id=batch["id"]), batch)


@dataclass
class _Flow:
    document_type: str
    document_id: int
    document_number: str
    move_type: str
    posted_at: datetime.datetime
    counterparty: tuple | None
    reason: str
    quantity: Decimal = ZERO
    value: Decimal = ZERO
    moves: int = 0


def _group(row: dict, flows: dict, key: tuple) -> None:
    flow = flows.get(key)
    if flow is None:
        party = (
            (
                row["counterparty_kind"],
                row["counterparty_id"],
                row["counterparty_code"],
                row["counterparty_name"],
            )
            if row["counterparty_kind"]
            else None
        )
        flow = flows[key] = _Flow(
            row["document_type"],
            row["document_id"],
            row["document_number"],
            row["move_type"],
            row["posted_at"],
            party,
            row["reason"],
        )
    flow.quantity += row["quantity"]
    flow.value += row["value"]
    flow.moves += 1


def _flow_dict(flow: _Flow) -> dict:
    party = flow.counterparty or (None, None, None, None)
    return {
        "document_type": flow.document_type,
        "document_id": flow.document_id,
        "document_number": flow.document_number,
        "move_type": flow.move_type,
        "posted_at": flow.posted_at,
        "quantity": flow.quantity,
        "value": flow.value,
        "moves": flow.moves,
        "counterparty_kind": party[0],
        "counterparty_id": party[1],
        "counterparty_code": party[2],
        "counterparty_name": party[3],
        "reason": flow.reason,
    }


def visibility(user) -> Callable[[int | None], bool]:
    """Whether a warehouse is in the user's part of a trace: in scope, not under a blind
    count the user may not see (one query for the blind counts, none for the scope)."""
    allowed = scope.warehouse_ids(user)
    hidden = blind.blind_warehouse_ids(user)
    return lambda wh: wh is not None and (allowed is None or wh in allowed) and wh not in hidden


def trace(rows: list[dict], visible: Callable[[int | None], bool]) -> dict:
    """The trace of a batch from its moves (`batch_moves`): origins, the warehouses as a tree
    (each under the warehouse its first transfer came from, or at the top when its first
    stock came from a supplier, a stock-in or from outside the user's scope) with their
    flows per move type and documents, the quantity in transit per transfer, and totals.

    Totals are the user's part: a transfer between two of the user's warehouses is neither
    an inflow nor an outflow (what it still has on the way is in transit); one to or from a
    warehouse outside it is an outflow or inflow. So, over every warehouse, received +
    other inflows = outflows + on hand + in transit."""
    per_document: dict[tuple, _Flow] = {}
    transit: dict[tuple, _Flow] = {}
    transit_ends: dict[tuple, tuple] = {}
    last_balance: dict[int, Decimal] = {}
    first_in: dict[int, dict] = {}
    warehouses: dict[int, dict] = {}
    totals_in: dict[str, Decimal] = defaultdict(lambda: ZERO)
    totals_out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    values_out: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in rows:
        if row["in_transit"]:
            key = (row["document_type"], row["document_id"])
            _group(row, transit, key)
            transit_ends[key] = (row["source_id"], row["counterparty_id"])
            if row["move_type"] == MoveType.TRANSFER_LOSS and all(
                visible(end) for end in transit_ends[key]
            ):
                _total(
                    row["move_type"],
                    row["quantity"],
                    row["value"],
                    totals_in,
                    totals_out,
                    values_out,
                )
            continue
        wh = row["warehouse_id"]
        warehouses.setdefault(
            wh,
            {
                "warehouse_id": wh,
                "warehouse_code": row["warehouse_code"],
                "warehouse_name": row["warehouse_name"],
                "store_id": row["store_id"],
                "store_code": row["store_code"],
                "store_name": row["store_name"],
            },
        )
        last_balance[wh] = row["balance_quantity"]
        if row["quantity"] > 0 and wh not in first_in:
            first_in[wh] = row
        _group(
            row,
            per_document,
            (wh, row["move_type"], row["document_type"], row["document_id"]),
        )

    flows_of: dict[int, dict[tuple[str, str], list[_Flow]]] = defaultdict(lambda: defaultdict(list))
    origins: list[dict] = []
    received = received_value = ZERO
    transfers = (MoveType.TRANSFER_IN, MoveType.TRANSFER_OUT)
    for (wh, move_type, *_rest), flow in per_document.items():
        if flow.quantity == 0:
            continue  # posted and reversed
        direction = IN if flow.quantity > 0 else OUT
        flows_of[wh][(direction, move_type)].append(flow)
        party = flow.counterparty
        internal = (
            move_type in transfers
            and party is not None
            and party[0] == "warehouse"
            and visible(party[1])
        )
        if internal:
            continue
        kind_direction = _total(
            move_type, flow.quantity, flow.value, totals_in, totals_out, values_out
        )
        if kind_direction == IN and move_type not in transfers:
            received += flow.quantity
            received_value += flow.value
            origins.append(_flow_dict(flow) | {"warehouse_id": wh, **_names(warehouses[wh])})

    in_transit: list[dict] = []
    in_transit_total = ZERO
    for key, flow in transit.items():
        if not flow.quantity:
            continue
        in_transit.append(_flow_dict(flow))
        if all(visible(end) for end in transit_ends[key]):
            in_transit_total += flow.quantity

    parents = _parents(warehouses, first_in)
    tree = []
    order = sorted(warehouses, key=lambda wh: first_in[wh]["id"] if wh in first_in else 0)
    for wh in order:
        flows = []
        for (direction, move_type), documents in sorted(flows_of[wh].items()):
            documents.sort(key=lambda f: (-abs(f.quantity), f.posted_at))
            flows.append(
                {
                    "direction": direction,
                    "move_type": move_type,
                    "quantity": sum((f.quantity for f in documents), ZERO),
                    "value": sum((f.value for f in documents), ZERO),
                    "documents_count": len(documents),
                    "documents": [_flow_dict(f) for f in documents[:DOCUMENTS_PER_FLOW]],
                }
            )
        tree.append(
            warehouses[wh]
            | {
                "parent": parents[wh],
                "first_in_at": first_in[wh]["posted_at"] if wh in first_in else None,
                "in_quantity": sum((f["quantity"] for f in flows if f["direction"] == IN), ZERO),
                "out_quantity": -sum((f["quantity"] for f in flows if f["direction"] == OUT), ZERO),
                "on_hand": last_balance[wh],
                "flows": flows,
            }
        )
    return {
        "origins": sorted(origins, key=lambda o: o["posted_at"]),
        "warehouses": tree,
        "in_transit": in_transit,
        "totals": {
            "moves": len(rows),
            "received": received,
            "received_value": received_value,
            "on_hand": sum((w["on_hand"] for w in tree), ZERO),
            "in_transit": in_transit_total,
            "inflows": [{"kind": k, "quantity": q} for k, q in totals_in.items() if q],
            "outflows": [
                {"kind": k, "quantity": q, "value": values_out[k]}
                for k, q in totals_out.items()
                if q
            ],
        },
    }


def _total(move_type, quantity, value, totals_in, totals_out, values_out) -> str:
    """Add a figure to its kind's total (a reversal takes it back there); its direction."""
    kind = kind_of(move_type, quantity)
    if _DIRECTIONS[kind] == IN:
        totals_in[kind] += quantity
        return IN
    totals_out[kind] -= quantity
    values_out[kind] -= value
    return OUT


def _names(info: dict) -> dict:
    return {"warehouse_code": info["warehouse_code"], "warehouse_name": info["warehouse_name"]}


def _parents(warehouses: dict, first_in: dict) -> dict[int, int | None]:
    """Each warehouse's place in the tree: under the warehouse of the trace its first inflow
    came from by transfer, if that one got the batch earlier; at the top otherwise."""
    placed: dict[int, int | None] = {}
    for wh, row in sorted(first_in.items(), key=lambda item: item[1]["id"]):
        source = row["counterparty_id"] if row["counterparty_kind"] == "warehouse" else None
        placed[wh] = source if source in placed else None
    for wh in warehouses:
        placed.setdefault(wh, None)
    return placed


# ------------------------------------------------------------------ a document's batches


def document_moves(
    *, user, number: str = "", document_type: str = "", document_id: int | None = None
) -> list[dict]:
    """The moves of one posted document (by number, or by type and id) the user may see —
    which batches it took or brought, in which warehouse. 404 when there is none."""
    moves = visible_moves(user)
    if number:
        moves = moves.filter(posting__document_number=number.strip())
    elif document_type and document_id is not None:
        moves = moves.filter(posting__document_type=document_type, posting__document_id=document_id)
    else:
        message = _("Give a document number, or a document type and id.")
        raise ValidationFailed(message, fields={"number": [message]})
    rows = _move_rows(moves)
    if not rows:
        raise NotFound(_("No posted document with this number in your warehouses."))
    return rows


def batch_options(*, user, sku_id: int | None, search: str = "") -> QuerySet:
    """Batches (of a SKU, or whose number contains `search`) that have been in one of the
    user's warehouses, newest expiry first: the trace page's choices."""
    from storeledger.inventory.models import StockBalance

    balances = blind.filter_book(StockBalance.objects.filter(batch__isnull=False), user)
    batches = Batch.objects.filter(id__in=balances.values("batch_id"))
    if sku_id:
        batches = batches.filter(sku_id=sku_id)
    if search.strip():
        batches = batches.filter(batch_no__icontains=search.strip())
    return batches.values(
        "id",
        "batch_no",
        "production_date",
        "expiry_date",
        "sku_id",
        sku_code=F("sku__code"),
        sku_name=F("sku__name"),
    ).order_by(F("expiry_date").desc(nulls_last=True), "-id")
