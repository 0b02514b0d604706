"""Purchase requests 采购申请: a store asks for goods for one of its warehouses (lines: SKU,
quantity in a unit, needed-by date, note); submitted, approved (core.lifecycle.approve: the
approval engine's rules, else the approve permission, never by its creator), then
consolidated by a buyer.

`consolidate_purchase_requests` turns several approved requests into draft purchase orders,
one per supplier × warehouse: each open request line goes to the preferred supplier of its SKU
in the supplier catalogue (else its only active catalogue entry); lines of one SKU and unit
in one order are summed into one order line, at the catalogue's price, expected by the
earliest needed-by date. Every request line is linked to the order line that orders it.
Lines whose SKU has no supplier in the catalogue are left open and listed in the answer (the
other lines still go to their orders): the request becomes partly ordered, and once the
catalogue has a supplier for them it can be consolidated again — only its open lines. A
request whose lines are all ordered (or that is not approved) is 409; the requests are locked
in id order and each line is linked by a guarded UPDATE, so two consolidations of the same
request at once cannot both order it."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.accounts import scope
from storeledger.catalog.units import load_skus, load_units, resolve_line_quantity, units_for
from storeledger.core import doctypes, lifecycle
from storeledger.core.approvals import ApprovalFacts
from storeledger.core.documents import transition
from storeledger.core.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from storeledger.core.lifecycle import (
    check_lines_present,
    check_version,
    line_error,
    moment,
    new_number,
    require_status,
    save_draft,
)
from storeledger.core.quantities import ZERO, qty
from storeledger.core.services import service
from storeledger.org.selectors import document_store, stock_warehouse
from storeledger.purchasing.models import (
    PurchaseOrder,
    PurchaseOrderLine,
    PurchaseRequest,
    PurchaseRequestLine,
    PurchaseRequestStatus,
    SupplierItem,
)
from storeledger.purchasing.services.orders import OrderLineInput, create_purchase_order

KIND = "purchase_request"
S = PurchaseRequestStatus
ADD_ORDER_PERM = "purchasing.add_purchaseorder"
CONSOLIDATE_PERM = "purchasing.consolidate_purchaserequest"


@dataclass(frozen=True)
class RequestLineInput:
    sku_id: int
    quantity: Decimal
    unit_id: int | None = None  # default: the SKU's base unit
    needed_by: datetime.date | None = None
    notes: str = ""


@dataclass
class Consolidation:
    """What a consolidation made: the draft orders, and the request lines left open (no
    supplier in the catalogue for their SKU)."""

    orders: list[PurchaseOrder] = field(default_factory=list)
    left: list[PurchaseRequestLine] = field(default_factory=list)
    requests: list[PurchaseRequest] = field(default_factory=list)


def get_request(*, user, request_id: int, lock: bool = True) -> PurchaseRequest:
    queryset = PurchaseRequest.objects.select_related("warehouse", "store")
    if lock:
        queryset = queryset.select_for_update(of=("self",))
    document = scope.filter_warehouses(queryset, user).filter(pk=request_id).first()
    if document is None:
        raise NotFound(_("Purchase request not found."))
    return document


def approval_facts(document: PurchaseRequest) -> ApprovalFacts:
    """What approval rules see of a request: its store, total base quantity and the
    categories of its SKUs (a request has no price: amount rules do not match it)."""
    lines = list(document.lines.values_list("base_quantity", "sku__product__category__path"))
    categories = {int(part) for _q, path in lines for part in (path or "").split("/") if part}
    return ApprovalFacts(
        store_id=document.store_id,
        kind=KIND,
        quantity=sum((q for q, _path in lines), ZERO),
        category_ids=frozenset(categories),
    )


def _build_lines(
    document: PurchaseRequest, lines: Sequence[RequestLineInput]
) -> list[PurchaseRequestLine]:
    check_lines_present(lines)
    skus = load_skus(lines)
    units = load_units(lines)
    factors = units_for(list(skus.values()))
    rows = []
    for index, line in enumerate(lines):
        sku = skus[line.sku_id]
        if line.quantity <= 0:
            raise line_error(
                index, "quantity", _("The quantity must be greater than zero."), "bad_quantity"
            )
        if not (sku.active and sku.product.active):
            raise line_error(
                index,
                "sku",
                _("SKU %(sku)s is deactivated and cannot be ordered.") % {"sku": sku.code},
                "inactive_sku",
            )
        unit = units.get(line.unit_id) if line.unit_id else None
        resolved = resolve_line_quantity(index, sku, unit, line.quantity, factors)
        rows.append(
            PurchaseRequestLine(
                document=document,
                line_no=index + 1,
                sku=sku,
                unit=resolved.unit,
                quantity=qty(resolved.quantity),
                factor=resolved.factor,
                base_quantity=resolved.base_quantity,
                needed_by=line.needed_by or document.needed_by,
                notes=line.notes,
            )
        )
    return rows


@service
def create_purchase_request(
    *,
    user,
    warehouse_id: int,
    lines: Sequence[RequestLineInput],
    needed_by: datetime.date | None = None,
    document_date: datetime.date | None = None,
    notes: str = "",
) -> PurchaseRequest:
    """A draft request of a store for one of its warehouses (in the user's scope)."""
    warehouse = stock_warehouse(warehouse_id, user)
    store = document_store(warehouse)
    document_date = document_date or timezone.localdate()
    document = PurchaseRequest(
        store=store,
        warehouse=warehouse,
        needed_by=needed_by,
        document_date=document_date,
        notes=notes,
        created_by=user,
    )
    rows = _build_lines(document, lines)
    document.number = new_number(KIND, store.code, document_date)
    document.save()
    PurchaseRequestLine.objects.bulk_create(rows)
    return document


@service
def update_purchase_request(
    *,
    user,
    request_id: int,
    version: int,
    lines: Sequence[RequestLineInput] | None = None,
    needed_by: datetime.date | None = None,
    document_date: datetime.date | None = None,
    notes: str | None = None,
) -> PurchaseRequest:
    document = get_request(user=user, request_id=request_id)
    require_status(document, [S.DRAFT])
    check_version(document, version)
    fields: dict = {}
    for name, value in (("needed_by", needed_by), ("document_date", document_date)):
        if value is not None:
            fields[name] = value
            setattr(document, name, value)
    if notes is not None:
        fields["notes"] = document.notes = notes
    rows = _build_lines(document, lines) if lines is not None else None
    save_draft(document, version=version, fields=fields, line_model=PurchaseRequestLine, rows=rows)
    return document


@service
def delete_purchase_request(*, user, request_id: int) -> None:
    lifecycle.delete_draft(get_request(user=user, request_id=request_id))


@service
def submit_purchase_request(*, user, request_id: int) -> PurchaseRequest:
    document = get_request(user=user, request_id=request_id)
    lifecycle.require_permission(document, user, "submit")
    lifecycle.submit(document, user)
    return document


@service
def approve_purchase_request(*, user, request_id: int, comment: str = "") -> PurchaseRequest:
    document = get_request(user=user, request_id=request_id)
    lifecycle.approve(
        document, user, denied=_("You may not approve purchase requests."), comment=comment
    )
    return document


@service
def cancel_purchase_request(*, user, request_id: int) -> PurchaseRequest:
    document = get_request(user=user, request_id=request_id)
    lifecycle.require_permission(document, user, "cancel")
    lifecycle.cancel(document, user)
    return document


# ---------------------------------------------------------------- consolidation


def supplier_items_for(sku_ids: Sequence[int]) -> dict[int, SupplierItem]:
    """{SKU id: the catalogue entry an order goes to}: the preferred one, else the only
    active one of an active supplier (none: the SKU cannot be ordered automatically)."""
    items: dict[int, list[SupplierItem]] = defaultdict(list)
    for item in SupplierItem.objects.filter(
        sku_id__in=list(sku_ids), active=True, supplier__active=True
    ).select_related("supplier"):
        items[item.sku_id].append(item)
    chosen = {}
    for sku_id, found in items.items():
        preferred = [item for item in found if item.preferred]
        if preferred:
            chosen[sku_id] = preferred[0]
        elif len(found) == 1:
            chosen[sku_id] = found[0]
    return chosen


@service
def consolidate_purchase_requests(*, user, request_ids: Sequence[int]) -> Consolidation:
    """Turn the open lines of approved requests into draft purchase orders, one per supplier
    and warehouse (see the module docstring). All or nothing: any request that cannot be
    consolidated (unknown: 404; not approved or already ordered: 409 naming it) changes
    nothing."""
    if not (user.has_perm(ADD_ORDER_PERM) and user.has_perm(CONSOLIDATE_PERM)):
        raise PermissionDenied(_("You may not create purchase orders."))
    ids = sorted(set(request_ids))
    if not ids:
        raise ValidationFailed(
            _("Choose at least one purchase request."),
            code="no_requests",
            fields={"requests": [_("Choose at least one purchase request.")]},
        )
    found = {
        document.pk: document
        for document in scope.filter_warehouses(
            PurchaseRequest.objects.select_for_update(of=("self",)).select_related(
                "store", "warehouse"
            ),
            user,
        )
        .filter(pk__in=ids)
        .order_by("pk")
    }
    missing = [pk for pk in ids if pk not in found]
    if missing:
        raise NotFound(
            _("Purchase request #%(id)s not found.") % {"id": missing[0]},
            fields={"requests": [_("Unknown purchase request #%(id)s.") % {"id": missing[0]}]},
        )
    allowed = doctypes.for_document(found[ids[0]]).allowed_from("consolidate")
    requests = [found[pk] for pk in ids]
    for document in requests:
        if document.status not in allowed:
            code = "already_ordered" if document.status == S.ORDERED else "state_conflict"
            message = _(
                "Purchase request %(number)s is %(status)s: only approved requests with open "
                "lines can be turned into orders."
            ) % {"number": document.number, "status": document.get_status_display()}
            raise StateConflict(
                message,
                code=code,
                fields={"requests": [message]},
                details={"request": document.pk, "status": document.status},
            )
    open_lines = list(
        PurchaseRequestLine.objects.filter(document__in=requests, order_line__isnull=True)
        .select_related("document", "sku", "unit")
        .order_by("document_id", "line_no")
    )
    chosen = supplier_items_for([line.sku_id for line in open_lines])
    result = Consolidation(requests=requests)
    groups: dict[tuple[int, int], list[PurchaseRequestLine]] = defaultdict(list)
    for line in open_lines:
        item = chosen.get(line.sku_id)
        if item is None:
            result.left.append(line)
        else:
            groups[(item.supplier_id, line.document.warehouse_id)].append(line)
    if not groups:
        message = _("No supplier in the catalogue for any open line of these requests.")
        raise StateConflict(
            message,
            code="no_supplier",
            fields={"requests": [message]},
            details={"lines": [line.pk for line in result.left]},
        )
    for (supplier_id, warehouse_id), lines in sorted(groups.items()):
        merged: dict[tuple[int, int], list[PurchaseRequestLine]] = defaultdict(list)
        for line in lines:
            merged[(line.sku_id, line.unit_id)].append(line)
        keys = list(merged)
        numbers = ", ".join(sorted({line.document.number for line in lines}))
        order = create_purchase_order(
            user=user,
            supplier_id=supplier_id,
            warehouse_id=warehouse_id,
            lines=[
                OrderLineInput(
                    sku_id=sku_id,
                    unit_id=unit_id,
                    quantity=sum((line.quantity for line in merged[(sku_id, unit_id)]), ZERO),
                    expected_date=min(
                        (ln.needed_by for ln in merged[(sku_id, unit_id)] if ln.needed_by),
                        default=None,
                    ),
                    notes=_("Requests %(numbers)s")
                    % {
                        "numbers": ", ".join(
                            sorted({ln.document.number for ln in merged[(sku_id, unit_id)]})
                        )
                    },
                )
                for sku_id, unit_id in keys
            ],
            notes=(_("From purchase requests %(numbers)s") % {"numbers": numbers})[:1000],
        )
        order_lines = dict(
            PurchaseOrderLine.objects.filter(order=order).values_list("line_no", "id")
        )
        for position, key in enumerate(keys):
            for line in merged[key]:
                linked = PurchaseRequestLine.objects.filter(
                    pk=line.pk, order_line__isnull=True
                ).update(order_line_id=order_lines[position + 1])
                if linked != 1:  # never: the request row lock serialises consolidations
                    raise StateConflict(
                        _("Purchase request %(number)s was ordered meanwhile.")
                        % {"number": line.document.number},
                        code="already_ordered",
                    )
        result.orders.append(order)
    now = moment(None)
    still_open = set(
        PurchaseRequestLine.objects.filter(
            document__in=requests, order_line__isnull=True
        ).values_list("document_id", flat=True)
    )
    for document in requests:
        to = S.PARTIALLY_ORDERED if document.pk in still_open else S.ORDERED
        if document.status != to:
            transition(document, allowed_from=allowed, to=to, user=user, at=now)
    return result
