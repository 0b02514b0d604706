"""The central warehouse's purchasing in the demo history (issue 12), through the purchasing
services: buyer1 orders from each supplier on its order days what the warehouse will lack when
the goods arrive (the supplier's lead time later), the order is approved as the approval rules
ask (head office: admin) and sent; the supplier delivers on the expected day or a little late,
now and then short (the rest follows a few days later, or the order is short-closed), and the
warehouse receives it with a purchase receipt (batches for batch-tracked SKUs, a damaged piece
rejected now and then) and sends a few goods back with a purchase return.

Every call runs under the history's clock (loader.Clock.patched), so the documents carry the
times they would have had."""

from __future__ import annotations

import datetime
import math
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_FLOOR, Decimal

from storeledger.demo.loader import demand_quantity
from storeledger.demo.payables import CASH
from storeledger.partners.models import Supplier
from storeledger.purchasing.models import PurchaseOrderLine, PurchaseReceiptLine
from storeledger.purchasing.services import orders, receipts, returns

# Order days of the suppliers (0 = Monday): fresh produce every day, dairy three times a
# week, the others twice.
ORDER_DAYS = {"S010": (0, 1, 2, 3, 4, 5, 6), "S004": (0, 2, 4), "S003": (1, 4)}
DEFAULT_ORDER_DAYS = (0, 3)
# How reliable each supplier is: the share of deliveries that come late (1–3 days) and the
# share that come short of one line.
RELIABILITY = {
    "S001": (0.04, 0.05),
    "S002": (0.06, 0.04),
    "S003": (0.05, 0.08),
    "S004": (0.03, 0.10),
    "S005": (0.12, 0.08),
    "S006": (0.10, 0.12),
    "S007": (0.15, 0.06),
    "S008": (0.10, 0.05),
    "S009": (0.08, 0.15),
    "S010": (0.02, 0.18),
    "S011": (0.20, 0.10),
    "S012": (0.25, 0.08),
    "S013": (0.35, 0.20),
    "S014": (0.12, 0.10),
    "S015": (0.30, 0.25),
}
# Above this an order would need two approvers at head office (purchasing.approvals): the
# buyer splits larger orders instead.
ORDER_CEILING = Decimal(45000)
RETURN_REASONS = ("包装破损", "临近保质期", "错发规格")


@dataclass
class Delivery:
    """What a supplier will bring for an order on `day`: (order line id, quantity in the
    order line's unit)."""

    order_id: int
    supplier: str
    day: datetime.date
    lines: list[tuple[int, Decimal]]
    back_order: bool = False


@dataclass
class OrderLineFacts:
    sku_id: int
    factor: Decimal  # base units per unit of the order line


@dataclass
class Buyer:
    """The central warehouse's buyer and receiving dock during the history."""

    history: object  # loader.History
    deliveries: list[Delivery] = field(default_factory=list)
    on_order: dict[int, Decimal] = field(default_factory=lambda: defaultdict(Decimal))
    order_lines: dict[int, OrderLineFacts] = field(default_factory=dict)
    received: list[int] = field(default_factory=list)  # receipt ids, oldest first

    def __post_init__(self) -> None:
        h = self.history
        self.m = h.m
        self.clock = h.clock
        self.rng = h.rng
        self.central = h.central
        self.buyer = h.m.users["buyer1"]
        self.admin = h.admin
        self.suppliers = {s.code: s for s in Supplier.objects.all()}

    # ---- ordering

    def order(self, day: datetime.date) -> None:
        """buyer1's orders of the afternoon: per supplier whose order day it is, what the
        central warehouse will lack on arrival, at the catalogue price (± a few per cent)."""
        h = self.history
        have = h.usable(self.central, day)
        wanted: dict[str, list[tuple]] = defaultdict(list)
        for item in self.m.skus:
            code = item.supplier
            if day.weekday() not in ORDER_DAYS.get(code, DEFAULT_ORDER_DAYS):
                continue
            supplier = self.suppliers[code]
            rate = demand_quantity(item.rate * h.store_factor)
            target = rate * demand_quantity(h.central_cover(item))
            projected = (
                have.get(item.sku.id, Decimal(0))
                + self.on_order[item.sku.id]
                - rate * supplier.lead_time_days
            )
            if projected > target / 2:
                continue
            need = target - projected
            if item.kg:
                base = max(need, Decimal(5)).quantize(Decimal(1))
            else:
                base = Decimal(max(math.ceil(need), 4 if item.rate >= 0.1 else 2))
            quantity, unit_id = h.quantity_in_units(item, base)
            factor = Decimal(item.case_factor) if unit_id else Decimal(1)
            unit_id = unit_id or item.sku.product.base_unit_id
            noise = Decimal(str(round(self.rng.uniform(0.97, 1.03), 3)))
            price = (item.purchase * noise * factor).quantize(Decimal("0.01"))
            wanted[code].append((item, quantity, unit_id, price, factor))
        for code in sorted(wanted):
            for chunk in _chunks(wanted[code]):
                self._place(day, code, chunk)

    def _place(self, day: datetime.date, code: str, chunk: list[tuple]) -> None:
        supplier = self.suppliers[code]
        expected = day + datetime.timedelta(days=supplier.lead_time_days)
        self.clock.at(day, 16, 0)
        order = orders.create_purchase_order(
            user=self.buyer,
            supplier_id=supplier.id,
            warehouse_id=self.central.id,
            document_date=day,
            expected_date=expected,
            lines=[
                orders.OrderLineInput(
                    sku_id=item.sku.id,
                    quantity=quantity,
                    unit_id=unit_id,
                    price=price,
                    tax_rate=item.sku.product.tax_rate * 100,
                )
                for item, quantity, unit_id, price, _factor in chunk
            ],
        )
        orders.submit_purchase_order(user=self.buyer, order_id=order.id)
        self.clock.at(day, 16, 40)
        orders.approve_purchase_order(user=self.admin, order_id=order.id)
        self.clock.at(day, 17, 0)
        orders.send_purchase_order(user=self.buyer, order_id=order.id)
        late, _short = RELIABILITY.get(code, (0.1, 0.1))
        delay = self.rng.choice((1, 1, 2, 3)) if self.rng.random() < late else 0
        lines = list(
            PurchaseOrderLine.objects.filter(order=order)
            .order_by("line_no")
            .values_list("id", "sku_id", "factor", "quantity", "base_quantity")
        )
        for line_id, sku_id, factor, _quantity, base in lines:
            self.order_lines[line_id] = OrderLineFacts(sku_id, factor)
            self.on_order[sku_id] += base
        self.deliveries.append(
            Delivery(
                order_id=order.id,
                supplier=code,
                day=expected + datetime.timedelta(days=delay),
                lines=[(line_id, quantity) for line_id, *_rest, quantity, _base in lines],
            )
        )
        self.history.stats["purchase_orders"] += 1

    # ---- receiving

    def receive(self, day: datetime.date) -> None:
        """The morning's deliveries at the central warehouse, received by admin (head office
        runs the central warehouse)."""
        due = [d for d in self.deliveries if d.day == day]
        self.deliveries = [d for d in self.deliveries if d.day != day]
        for delivery in sorted(due, key=lambda d: (d.supplier, d.order_id)):
            self.clock.at(day, 6, 0)
            self._deliver(day, delivery)

    def _deliver(self, day: datetime.date, delivery: Delivery) -> None:
        h = self.history
        _late, short_share = RELIABILITY.get(delivery.supplier, (0.1, 0.1))
        short_index = (
            self.rng.randrange(len(delivery.lines))
            if not delivery.back_order
            and len(delivery.lines) >= 2
            and self.rng.random() < short_share
            else None
        )
        lines: list[receipts.ReceiptLineInput] = []
        missing: dict[int, Decimal] = defaultdict(Decimal)
        for index, (line_id, quantity) in enumerate(delivery.lines):
            facts = self.order_lines[line_id]
            item = h.by_id[facts.sku_id]
            brought = quantity
            if index == short_index:
                brought = (quantity * Decimal(str(self.rng.uniform(0.3, 0.8)))).to_integral_value(
                    rounding=ROUND_FLOOR
                )
                missing[line_id] += quantity - brought
            rejected = Decimal(0)
            if brought >= 3 and not item.kg and self.rng.random() < 0.02:
                rejected = Decimal(1)
                missing[line_id] += rejected
                h.stats["rejected_lines"] += 1
            if brought - rejected <= 0:
                continue
            batch = h.new_batch(item, day) if item.shelf_life else {}
            lines.append(
                receipts.ReceiptLineInput(
                    order_line_id=line_id,
                    quantity=brought - rejected,
                    rejected_quantity=rejected,
                    reject_reason="外包装破损，拒收" if rejected else "",
                    **batch,
                )
            )
            self.on_order[facts.sku_id] -= (brought - rejected) * facts.factor
        supplier = self.suppliers[delivery.supplier]
        if lines:
            receipt = receipts.create_purchase_receipt(
                user=self.admin,
                order_id=delivery.order_id,
                document_date=day,
                reference=f"送货单 {delivery.supplier}-{day:%m%d}-{delivery.order_id:05d}",
                notes="补发" if delivery.back_order else "",
                lines=lines,
                post=True,
            )
            self.received.append(receipt.id)
            h.stats["purchase_receipts"] += 1
            # now and then a piece goes back; from the history's second half on, one at least
            # if chance has sent none back yet — whatever weekday the history starts on (the
            # order days and so the draws follow the weekdays)
            chance = self.rng.random() < 0.05
            owed = not h.stats["purchase_returns"] and day >= h.start + datetime.timedelta(
                days=h.days // 2
            )
            if (chance or owed) and delivery.supplier not in CASH:
                self._send_back(day, receipt.id)
        if not missing:
            return
        if self.rng.random() < 0.5 and not delivery.back_order:
            self.deliveries.append(
                Delivery(
                    order_id=delivery.order_id,
                    supplier=delivery.supplier,
                    day=day + datetime.timedelta(days=self.rng.choice((2, 3, 4))),
                    lines=list(missing.items()),
                    back_order=True,
                )
            )
            return
        self.clock.at(day, 9, 0)
        orders.close_purchase_order(
            user=self.buyer,
            order_id=delivery.order_id,
            reason=f"{supplier.name[:10]} 缺货，余量不再供应",
        )
        for line_id, quantity in missing.items():
            facts = self.order_lines[line_id]
            self.on_order[facts.sku_id] -= quantity * facts.factor
        h.stats["short_closed_orders"] += 1

    def _send_back(self, day: datetime.date, receipt_id: int) -> None:
        """A piece found damaged or wrong on unpacking goes back to the supplier the same
        morning: a purchase return against the receipt, posted at once."""
        line = (
            PurchaseReceiptLine.objects.filter(receipt_id=receipt_id, base_quantity__gte=2)
            .select_related("sku__product")
            .order_by("line_no")
            .first()
        )
        if line is None:
            return
        self.clock.at(day, 6, 30)
        returns.create_purchase_return(
            user=self.admin,
            receipt_id=receipt_id,
            reason=self.rng.choice(RETURN_REASONS),
            lines=[
                returns.ReturnLineInput(
                    receipt_line_id=line.id,
                    quantity=Decimal(1),
                    unit_id=line.sku.product.base_unit_id,
                )
            ],
            document_date=day,
            post=True,
        )
        self.history.stats["purchase_returns"] += 1


def _chunks(lines: list[tuple]) -> list[list[tuple]]:
    """The lines of one supplier's order, split so no order needs two head-office approvers."""
    chunks: list[list[tuple]] = [[]]
    total = Decimal(0)
    for line in lines:
        _item, quantity, _unit, price, _factor = line
        amount = quantity * price * Decimal("1.13")
        if chunks[-1] and total + amount > ORDER_CEILING:
            chunks.append([])
            total = Decimal(0)
        chunks[-1].append(line)
        total += amount
    return chunks
