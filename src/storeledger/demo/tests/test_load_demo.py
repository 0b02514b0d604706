"""`load_demo --small` builds a consistent chain through the real services, once."""

from __future__ import annotations

import datetime
import zoneinfo
from decimal import Decimal
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count, Max, Min, Sum
from django.test import RequestFactory
from django.utils import timezone

from storeledger.accounts import scope
from storeledger.catalog.barcodes import validation_error
from storeledger.catalog.models import Barcode, Product, Sku, SkuUnit, Tracking
from storeledger.core import approvals
from storeledger.core.models import ApprovalStep
from storeledger.core.quantities import money, qty
from storeledger.demo import data, loader
from storeledger.inventory.models import (
    Batch,
    MoveType,
    Posting,
    StockBalance,
    StockCount,
    StockDocument,
    StockMove,
    Transfer,
)
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import Company, Store, Warehouse
from storeledger.partners.models import Customer, Supplier
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


def _expected_sku_count(step: int) -> int:
    singles = len(data.GROCERY[::step]) + len(data.HOUSEHOLD[::step])
    return singles + sum(len(s.colours) * len(s.sizes) for s in data.APPAREL[::step])


def test_full_size_is_about_two_hundred_skus():
    assert _expected_sku_count(loader.FULL.sku_step) == 200


# A Monday morning in the company's time zone (before noon, when "today at noon" is still ahead).
MONDAY_MORNING = datetime.datetime(2026, 11, 30, 9, 30, tzinfo=zoneinfo.ZoneInfo("Asia/Shanghai"))


@pytest.fixture
def monday_morning(monkeypatch):
    """The clock (`timezone.now`, and so `localdate` and every service's "now") reads a fixed
    Monday morning, moving on as the real one does. The small demo's 12 days follow the
    weekdays — order days, deliveries, the random draws after them — so which supplier
    delivered late, and how often, changed with the day the test ran: on some weekdays a
    supplier's only delivery of the history came late (0 % on time)."""
    real = timezone.now
    offset = real() - MONDAY_MORNING
    monkeypatch.setattr(timezone, "now", lambda: real() - offset)


def test_load_demo_small_builds_a_consistent_chain_once(monday_morning):
    out = StringIO()
    call_command("load_demo", "--small", "--force", stdout=out)
    today = timezone.localdate()
    size = loader.SMALL

    # master data
    company = Company.current()
    assert (company.name, company.currency, company.time_zone) == (
        "鲜选连锁超市",
        "CNY",
        "Asia/Shanghai",
    )
    assert list(Store.objects.values_list("code", "is_head_office")) == [
        ("0000", True),
        ("0001", False),
        ("0002", False),
        ("0003", False),
    ]
    central = Warehouse.objects.get(code="CW01")
    assert central.store_id is None and central.is_central
    assert sorted(
        Warehouse.objects.filter(store__isnull=False).values_list("code", "store__code")
    ) == [("WH0001", "0001"), ("WH0002", "0002"), ("WH0003", "0003")]
    assert all(wh.locations.count() >= 3 for wh in Warehouse.objects.filter(kind="normal"))
    assert Sku.objects.count() == _expected_sku_count(size.sku_step) == 30
    assert Supplier.objects.count() == 15
    assert Customer.objects.filter(member_level__isnull=False).count() == size.members
    assert Customer.objects.count() == size.members + len(data.CORPORATE_CUSTOMERS)

    # barcodes: valid, unique EAN-13 with a Chinese GS1 prefix; a case barcode per case unit
    codes = list(Barcode.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == Sku.objects.count() + SkuUnit.objects.count()
    assert all(len(c) == 13 and c[:2] == "69" and validation_error(c) is None for c in codes)
    assert all(690 <= int(c[:3]) <= 699 for c in codes)
    for unit in SkuUnit.objects.select_related("unit"):
        assert unit.unit.code == "box" and unit.factor >= 4
        assert Barcode.objects.filter(sku=unit.sku_id, unit=unit.unit_id).count() == 1
    assert Barcode.objects.filter(is_primary=True, unit__isnull=True).count() == Sku.objects.count()

    # grocery is batch-tracked with a shelf life; apparel has size/colour variants
    tracked = Product.objects.filter(tracking=Tracking.BATCH)
    assert tracked.exists() and not tracked.filter(shelf_life_days__isnull=True).exists()
    assert not Batch.objects.filter(expiry_date__isnull=True).exists()
    variants = Sku.objects.filter(product__code__startswith="AP")
    assert variants.exists()
    assert all(set(s.attributes) == {"颜色", "尺码"} for s in variants)
    assert Sku.objects.get(code="FD0001").name_initials == "kkkl"

    # users: roles, scopes, the documented password
    for username, _name, role, stores, superuser in data.USERS:
        user = authenticate(
            RequestFactory().post("/"), username=username, password=data.DEMO_PASSWORD
        )
        assert user is not None, username
        assert list(user.groups.values_list("name", flat=True)) == [role]
        assert user.is_superuser is superuser
        allowed = scope.store_ids(user)
        if stores == "all":
            assert allowed is None
        else:
            assert allowed == set(
                Store.objects.filter(code__in=stores).values_list("id", flat=True)
            )

    # history: through the services, in the past, oldest first
    start = today - datetime.timedelta(days=size.days)
    history = Posting.objects.exclude(document_type__in=["purchase_receipt", "purchase_return"])
    span = history.aggregate(first=Min("posted_at"), last=Max("posted_at"))
    assert timezone.localdate(span["first"]) == start
    assert timezone.localdate(span["last"]) == today - datetime.timedelta(days=1)
    posting_times = list(Posting.objects.order_by("id").values_list("posted_at", flat=True))
    assert posting_times == sorted(posting_times)
    # today's purchasing: store 0001's orders, one in each state, received by its keeper
    from storeledger.demo.loader import ORDER_STATES
    from storeledger.purchasing.models import (
        PurchaseOrder,
        PurchaseReceipt,
        PurchaseRequest,
        PurchaseReturn,
    )

    from_requests = PurchaseOrder.objects.filter(lines__request_lines__isnull=False).distinct()
    orders = (
        PurchaseOrder.objects.filter(store__code="0001")
        .exclude(pk__in=from_requests)
        .order_by("id")
    )
    states = list(orders.exclude(reference="大促备货").values_list("status", flat=True))
    assert states == list(ORDER_STATES)[: len(states)]
    # returns of today at store 0001: one posted, one waiting, one reversed (with its
    # reversing return)
    assert sorted(
        PurchaseReturn.objects.filter(store__code="0001").values_list("status", flat=True)
    ) == ["posted", "posted", "reversed", "submitted"]
    # requests: a draft, a submitted, an approved one, two consolidated into draft orders
    assert sorted(PurchaseRequest.objects.values_list("status", flat=True)) == [
        "approved",
        "draft",
        "ordered",
        "ordered",
        "submitted",
    ]
    assert from_requests.exists()
    assert set(from_requests.values_list("status", flat=True)) == {"draft"}
    assert len(states) >= 5
    receipts = PurchaseReceipt.objects.filter(status="posted", store__code="0001")
    assert receipts.count() == len(
        [s for s in states if s in ("partially_received", "received", "closed")]
    )
    documents = StockDocument.objects.all()
    assert documents.filter(kind="stock_in", reason__code="OPENING", status="posted").exists()
    sales = documents.filter(kind="stock_out", reason__code="SALE", status="posted")
    assert sales.count() == 3 * size.days
    assert documents.filter(kind="scrap", status="posted").exists()
    # all posted but keeper1's large stock-out of the last evening, waiting for manager1
    [waiting] = documents.exclude(status="posted")
    assert (waiting.kind, waiting.status, waiting.created_by.username) == (
        "stock_out",
        "submitted",
        "keeper1",
    )
    [step] = ApprovalStep.objects.filter(document_type="stockdocument", document_id=waiting.id)
    assert (step.status, step.role, step.store.code) == ("pending", "store_manager", "0001")
    assert step.amount > Decimal(2000)
    manager = User.objects.get(username="manager1")
    # two large purchase orders wait too (purchasing.approvals.TWO_LEVELS): one above ¥5,000
    # at manager1, one above ¥50,000 that manager1 approved, now at head office (admin)
    large = list(orders.filter(reference="大促备货"))
    assert [(o.status, o.total_gross > 5000, o.total_gross > 50000) for o in large] == [
        ("submitted", True, False),
        ("submitted", True, True),
    ]
    order_steps = ApprovalStep.objects.filter(document_type="purchaseorder", status="pending")
    at_manager = order_steps.get(document_id=large[0].id)
    at_head = order_steps.get(document_id=large[1].id)
    assert (at_manager.role, at_head.role, at_head.scope) == (
        "store_manager",
        "admin",
        "head_office",
    )
    # and keeper1's transfer to the next store, decided by whoever may approve transfers there
    [lent] = Transfer.objects.filter(status="submitted")
    assert (lent.created_by.username, lent.from_warehouse.store.code) == ("keeper1", "0001")
    assert 1 <= lent.lines.count() <= 3
    [by_permission] = ApprovalStep.objects.filter(document_type="transfer", document_id=lent.id)
    assert (by_permission.status, by_permission.role) == ("pending", "")
    assert list(approvals.pending_for(manager)) == [step, by_permission, at_manager]
    assert list(approvals.pending_for(User.objects.get(username="admin"))) == [
        step,
        by_permission,
        at_manager,
        at_head,
    ]
    assert all(d.document_date < today for d in documents)
    assert Transfer.objects.filter(status="posted").count() >= 6
    in_transit = Transfer.objects.filter(status="shipped")
    assert 1 <= in_transit.count() <= 3  # the last day's replenishments
    assert {t.document_date for t in in_transit} == {today - datetime.timedelta(days=1)}
    counts = StockCount.objects.all()
    assert counts.count() == 3 and not counts.exclude(status="posted").exists()
    stock_ins = StockMove.objects.filter(move_type=MoveType.STOCK_IN)
    assert stock_ins.exists() and not stock_ins.filter(location__isnull=True).exists()
    assert set(stock_ins.values_list("warehouse__code", flat=True)) == {"CW01"}
    move_types = set(StockMove.objects.values_list("move_type", flat=True))
    assert {MoveType.STOCK_IN, MoveType.STOCK_OUT, MoveType.TRANSFER_OUT} <= move_types
    assert {MoveType.TRANSFER_IN, MoveType.SCRAP} <= move_types

    # every balance equals the sum of its moves, and the hash chains hold
    sums = {
        row["balance"]: row
        for row in StockMove.objects.values("balance").annotate(
            quantity=Sum("quantity"), value=Sum("value"), n=Count("id")
        )
    }
    balances = list(StockBalance.objects.all())
    assert len(balances) == len(sums) > 0
    for balance in balances:
        row = sums[balance.id]
        # SQLite sums decimals as floats: compare at the ledger's precision
        assert (balance.on_hand, balance.value, balance.move_count) == (
            qty(row["quantity"]),
            money(row["value"]),
            row["n"],
        )
        if not balance.allow_negative:
            assert balance.on_hand >= Decimal(0)
    result = verify_ledger()
    assert result.ok and result.moves == StockMove.objects.count()

    _check_central_purchasing(start, today)

    # payables: invoices and payments over the receipts; the ageing adds up to the balances
    from storeledger.finance import selectors as finance
    from storeledger.finance.models import SupplierInvoice, SupplierInvoiceLine

    finance1 = User.objects.get(username="finance1")
    assert SupplierInvoice.objects.filter(status="posted", store__code="0001").exists()
    accepted = SupplierInvoiceLine.objects.filter(price_difference=True)
    assert accepted.exists() and not accepted.filter(accepted_at__isnull=True).exists()
    balances = finance.supplier_balances(finance1)
    ageing = finance.ageing(finance1)
    assert {row["supplier"]: row["total"] for row in ageing} == {
        s: b for s, b in balances.items() if b
    }
    # at the money precision on both databases (SQLite sums in floating point)
    assert all(row["total"].as_tuple().exponent == -4 for row in ageing)
    # 12 days are shorter than any payment terms of the small demo's suppliers: what is owed
    # is not due yet — but the market stall's (paid in cash, due on delivery), settled on
    # Fridays: its deliveries since the last Friday are due, by days, whatever the weekday
    from storeledger.demo.payables import CASH

    cash = set(Supplier.objects.filter(code__in=CASH).values_list("id", flat=True))
    buckets = {
        b for row in ageing if row["supplier"] not in cash for b in finance.BUCKETS if row[b]
    }
    assert buckets == {"not_due"}
    assert all(row["days_0_30"] == row["total"] for row in ageing if row["supplier"] in cash)
    assert sum(row["not_due"] for row in ageing) > Decimal(1000)

    assert "Demo data loaded" in out.getvalue()
    assert "stock moves" in out.getvalue() and "demo_logins" in out.getvalue()

    # a second run detects the demo and changes nothing
    before = loader.counts()
    again = StringIO()
    call_command("load_demo", "--small", "--force", stdout=again)
    assert again.getvalue().strip() == "Demo data already loaded; nothing to do."
    assert loader.counts() == before


def _check_central_purchasing(start: datetime.date, today: datetime.date) -> None:
    """The history's deliveries to the central warehouse are purchase orders (written by
    buyer1, approved by admin, sent) received by purchase receipts on their days, with
    batches where the SKU is batch-tracked; finance1 invoiced and paid them; the supplier
    rating has real figures."""
    from storeledger.finance.models import SupplierInvoice, SupplierPayment
    from storeledger.purchasing.models import PurchaseOrder, PurchaseReceipt, PurchaseReturn
    from storeledger.purchasing.rating import supplier_ratings

    yesterday = today - datetime.timedelta(days=1)
    local = timezone.localdate
    central = Warehouse.objects.get(code="CW01")
    orders = PurchaseOrder.objects.filter(warehouse=central).select_related(
        "created_by", "approved_by", "sent_by"
    )
    assert orders.count() >= 10
    for order in orders:
        assert start <= order.document_date <= yesterday
        assert local(order.created_at) == order.document_date
        assert order.created_at < order.approved_at < order.sent_at
        assert (order.created_by.username, order.approved_by.username) == ("buyer1", "admin")
        assert order.sent_by.username == "buyer1"
        assert order.expected_date > order.document_date
    assert {"sent", "received"} <= set(orders.values_list("status", flat=True))
    receipts = PurchaseReceipt.objects.filter(warehouse=central).select_related("order")
    assert receipts.count() >= 10
    for receipt in receipts:
        assert receipt.status == "posted" and receipt.order.warehouse_id == central.id
        assert receipt.supplier_id == receipt.order.supplier_id
        assert local(receipt.posted_at) == receipt.document_date
        assert receipt.order.sent_at < receipt.posted_at
        assert start < receipt.document_date <= yesterday
    tracked = PurchaseReceipt.objects.filter(warehouse=central).values_list(
        "lines__sku__product__tracking", "lines__batch__batch_no"
    )
    assert any(t == Tracking.BATCH for t, _b in tracked)
    assert all((batch is not None) == (t == Tracking.BATCH) for t, batch in tracked)
    # the ledger's receipt postings carry the receipts' times
    postings = Posting.objects.filter(document_type="purchase_receipt", document_id__in=receipts)
    assert postings.count() == receipts.count()
    assert all(start < local(p.posted_at) <= yesterday for p in postings)
    # payables of the history, in the past
    invoices = SupplierInvoice.objects.filter(store__code="0000", status="posted")
    payments = SupplierPayment.objects.filter(store__code="0000", status="posted")
    assert invoices.exists() and payments.exists()
    assert all(start < i.invoice_date <= yesterday for i in invoices)
    assert all(local(i.posted_at) == i.invoice_date for i in invoices)
    assert all(start < p.document_date <= yesterday for p in payments)
    assert PurchaseReturn.objects.filter(store__code="0000", status="posted").exists()
    # supplier rating: every supplier that delivered has an on-time and a fill rate, and the
    # suppliers are not all perfect
    rows = supplier_ratings(date_from=start, date_to=yesterday)
    delivered = [row for row in rows if row["receipt_lines"]]
    assert len(delivered) >= 5
    assert all(row["on_time"] is not None and row["score"] is not None for row in delivered)
    assert all(Decimal(50) <= row["on_time"] <= Decimal(100) for row in delivered)
    figures = [row[name] for row in delivered for name in ("on_time", "fill_rate", "quality")]
    assert any(f is not None and f < Decimal(100) for f in figures)


def test_load_demo_refuses_a_database_with_other_data():
    factories.store("0009", name="别人的店")
    with pytest.raises(CommandError, match="not the demo"):
        call_command("load_demo", "--small", "--force", stdout=StringIO())
    assert Store.objects.count() == 1
    assert not User.objects.exists()
    assert Company.current().name != "鲜选连锁超市"


def test_load_demo_rejects_a_bad_day_count():
    with pytest.raises(CommandError, match="--days"):
        call_command("load_demo", "--days", "0", "--force", stdout=StringIO())
    assert not Store.objects.exists()


def test_demo_logins_prints_the_table_or_a_hint():
    out = StringIO()
    call_command("demo_logins", stdout=out)
    assert "run `manage.py load_demo` first" in out.getvalue()

    factories.user("keeper1", roles=("warehouse_keeper",))
    out = StringIO()
    call_command("demo_logins", stdout=out)
    text = out.getvalue()
    assert "username" in text and "password" in text
    assert "keeper1" in text and "warehouse_keeper" in text and "store 0001" in text
    assert "admin " not in text  # only users that exist are listed
    assert "demo credentials" in text


@pytest.mark.django_db
def test_load_demo_refuses_a_database_other_than_the_local_sqlite_one(settings, tmp_path):
    # the test database is not under this var/ directory, as a production database would not be
    settings.VAR_DIR = tmp_path
    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", "--small", stdout=StringIO())
    assert not loader.is_loaded()
    assert not User.objects.filter(username="admin").exists()
