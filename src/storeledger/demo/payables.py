"""The demo's payables (issue 12): supplier invoices and payments over the demo's purchase
receipts, through the real services, so the finance pages show real figures.

- `Accounts` runs during the history (under its clock): finance1 enters the suppliers'
  invoices — monthly statements of the big suppliers, an invoice with each delivery from the
  others, none from the market stall, which is paid in cash every week against its receipts —
  and pays on Fridays what falls due by the next payment run; a few suppliers are paid late
  and one invoice is held in a dispute, so the ageing fills several buckets.
- `load` adds today's cases on store 0001's receipts: an invoice with a price difference
  accepted by finance, one partly paid, one open, a supplier paid without invoice."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from storeledger.core.quantities import ZERO
from storeledger.finance.models import SupplierInvoice
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput
from storeledger.purchasing.models import (
    PurchaseReceipt,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
)

# Suppliers that send one invoice a month (月结) for the month's deliveries, on the 3rd;
# the others invoice each delivery a few days after it; the market stall sends none.
MONTHLY = {"S001", "S002", "S005", "S006", "S007", "S008", "S011", "S012", "S013", "S014"}
CASH = {"S010"}
# Paid this many days after the due date (a supplier that finance keeps waiting).
PAID_LATE = {"S013": 25, "S006": 10, "S009": 40, "S015": 20}
# The first invoice of this supplier is held in a dispute about quantities and stays unpaid.
DISPUTED = "S003"
PAYMENT_WEEKDAY = 4  # Friday


def load(master, today: datetime.date) -> None:
    store = master.stores.get("0001")
    if store is None:
        return
    users = master.users
    finance = users["finance1"]
    current = list(
        PurchaseReceipt.objects.filter(store=store, status=PurchaseReceiptStatus.POSTED).order_by(
            "id"
        )
    )
    for index, receipt in enumerate(current):
        lines = list(receipt.lines.filter(base_quantity__gt=0).order_by("line_no"))
        if not lines:
            continue
        if index == 2:  # a small supplier without invoices: paid against the receipt
            open_amount = invoices_open(receipt)
            payments.create_supplier_payment(
                user=finance,
                supplier_id=receipt.supplier_id,
                amount=open_amount,
                method="online",
                reference=f"ZFB{receipt.id:08d}",
                allocations=[AllocationInput(amount=open_amount, receipt_id=receipt.id)],
                post=True,
            )
            continue
        rise = index == 0  # the supplier's price rise, agreed by phone: 3 % on the first line
        invoice = invoices.create_supplier_invoice(
            user=finance,
            supplier_id=receipt.supplier_id,
            invoice_no=f"{44000000 + receipt.id}",
            invoice_date=today,
            lines=[
                InvoiceLineInput(
                    receipt_line_id=line.id,
                    price=_risen(line) if rise and number == 0 else None,
                )
                for number, line in enumerate(lines)
            ],
        )
        if rise:
            invoices.accept_differences(
                user=finance, invoice_id=invoice.id, comment="供应商调价，已电话确认"
            )
        invoices.post_supplier_invoice(user=finance, invoice_id=invoice.id)
        if index == 0:
            half = (invoice.total_gross / 2).quantize(Decimal("0.01"))
            payments.create_supplier_payment(
                user=finance,
                supplier_id=receipt.supplier_id,
                amount=half,
                method="bank_transfer",
                reference=f"HD{invoice.id:010d}",
                allocations=[AllocationInput(amount=half, invoice_id=invoice.id)],
                post=True,
            )


def _risen(line) -> Decimal:
    from storeledger.finance.valuation import expected_price

    price, _rate = expected_price(line, include_tax=line.receipt.supplier.prices_include_tax)
    return (price * Decimal("1.03")).quantize(Decimal("0.01"))


def invoices_open(receipt) -> Decimal:
    from storeledger.finance.sources import receipt_amounts

    return receipt_amounts([receipt.id])[receipt.id]


@dataclass
class Accounts:
    """finance1 during the history: invoices in, payments out."""

    history: object  # loader.History
    buyer: object  # demo.purchasing.Buyer
    invoiced: set[int] = field(default_factory=set)  # receipt ids
    open_invoices: list[SupplierInvoice] = field(default_factory=list)
    disputed: int | None = None  # the invoice held in a dispute

    def __post_init__(self) -> None:
        self.clock = self.history.clock
        self.rng = self.history.rng
        self.finance = self.history.m.users["finance1"]
        self.delays: dict[int, int] = {}  # receipt id -> days until its invoice comes

    def run(self, day: datetime.date) -> None:
        self.clock.at(day, 17, 30)
        self.invoice(day)
        if day.weekday() == PAYMENT_WEEKDAY:
            self.clock.at(day, 18, 0)
            self.pay(day)

    def _receipts(self, day: datetime.date) -> list[tuple[int, str, datetime.date]]:
        """(receipt id, supplier code, receipt day) of the receipts not invoiced yet."""
        pending = [r for r in self.buyer.received if r not in self.invoiced]
        return [
            (pk, code, date)
            for pk, code, date in PurchaseReceipt.objects.filter(pk__in=pending)
            .order_by("id")
            .values_list("id", "supplier__code", "document_date")
        ]

    def invoice(self, day: datetime.date) -> None:
        by_supplier: dict[str, list[int]] = defaultdict(list)
        month_start = day.replace(day=1)
        for pk, code, date in self._receipts(day):
            if code in CASH:
                continue
            if code in MONTHLY:
                if day.day == 3 and date < month_start:
                    by_supplier[code].append(pk)
                continue
            delay = self.delays.setdefault(pk, self.rng.randint(2, 6))
            if (day - date).days >= delay:
                by_supplier[code].append(pk)
        for code in sorted(by_supplier):
            self._invoice(day, code, by_supplier[code])

    def _invoice(self, day: datetime.date, code: str, receipt_ids: list[int]) -> None:
        lines = list(
            PurchaseReceiptLine.objects.filter(receipt_id__in=receipt_ids, base_quantity__gt=0)
            .order_by("receipt_id", "line_no")
            .values_list("id", "receipt__supplier_id")
        )
        self.invoiced.update(receipt_ids)
        if not lines:
            return
        supplier_id = lines[0][1]
        dispute = self.disputed is None and code == DISPUTED
        invoice = invoices.create_supplier_invoice(
            user=self.finance,
            supplier_id=supplier_id,
            invoice_no=f"{31000000 + receipt_ids[0]:08d}",
            invoice_date=day,
            lines=[InvoiceLineInput(receipt_line_id=pk) for pk, _supplier in lines],
            notes="数量有争议，暂缓付款" if dispute else "",
            post=True,
        )
        if dispute:
            self.disputed = invoice.pk
        self.open_invoices.append(invoice)
        self.history.stats["supplier_invoices"] += 1

    def pay(self, day: datetime.date) -> None:
        """The weekly payment run: per supplier, the invoices due by the next run (later for
        the suppliers kept waiting), and the market stall's receipts of the week in cash."""
        horizon = day + datetime.timedelta(days=7)
        due: dict[int, list[SupplierInvoice]] = defaultdict(list)
        keep = []
        for invoice in self.open_invoices:
            code = invoice.supplier.code
            if invoice.pk == self.disputed:
                continue
            if invoice.due_date + datetime.timedelta(days=PAID_LATE.get(code, 0)) <= horizon:
                due[invoice.supplier_id].append(invoice)
            else:
                keep.append(invoice)
        self.open_invoices = keep
        for supplier_id, group in sorted(due.items()):
            total = sum((i.total_gross for i in group), ZERO)
            payments.create_supplier_payment(
                user=self.finance,
                supplier_id=supplier_id,
                amount=total,
                document_date=day,
                reference=f"FK{day:%Y%m%d}{supplier_id:03d}",
                allocations=[AllocationInput(amount=i.total_gross, invoice_id=i.id) for i in group],
                post=True,
            )
            self.history.stats["supplier_payments"] += 1
        cash = [pk for pk, code, _date in self._receipts(day) if code in CASH]
        if cash:
            amounts = receipts_open(cash)
            self.invoiced.update(cash)
            allocations = [AllocationInput(amount=amounts[pk], receipt_id=pk) for pk in cash]
            supplier_id = PurchaseReceipt.objects.get(pk=cash[0]).supplier_id
            payments.create_supplier_payment(
                user=self.finance,
                supplier_id=supplier_id,
                amount=sum((a.amount for a in allocations), ZERO),
                method="cash",
                document_date=day,
                reference=f"XJ{day:%Y%m%d}",
                notes="本周现结",
                allocations=allocations,
                post=True,
            )
            self.history.stats["supplier_payments"] += 1


def receipts_open(receipt_ids: list[int]) -> dict[int, Decimal]:
    from storeledger.finance.sources import receipt_amounts

    return receipt_amounts(receipt_ids)
