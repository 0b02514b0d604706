"""Batch traceability against a small ledger computed by hand.

Supplier S001 delivers 100 of batch L01 (unit cost 2.00) into the central warehouse CW
(head office); CW ships 60 to store A's warehouse (received in full), 10 to store B's
(received) and 5 more to A (still on the way); A issues 25 on a stock-out and scraps 5.
So: CW 100 − 60 − 10 − 5 = 25 on hand, A 60 − 25 − 5 = 30, B 10, in transit 5; received
100 = out 25 + scrap 5 + on hand 65 + in transit 5."""

import datetime
import io
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from storeledger.inventory.models import Batch, StockCount
from storeledger.inventory.services import documents, transfers
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.partners.models import Supplier
from storeledger.purchasing.services import receipts
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.reports import subscriptions
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/batch-trace/"
PRODUCED = datetime.date(2026, 11, 1)
EXPIRES = datetime.date(2027, 5, 1)


@pytest.fixture
def ledger(admin_user, store, warehouse, other_warehouse):
    hq = factories.store("0000", name="总部")
    central = factories.warehouse(hq, code="CW", name="中央仓")
    sku = factories.sku(code="MILK", name="鲜牛奶", tracking="batch")
    supplier = Supplier.objects.create(
        code="S001", name="光明乳业", prices_include_tax=False, tax_rate=0
    )
    receipt = receipts.create_purchase_receipt(
        user=admin_user,
        supplier_id=supplier.id,
        warehouse_id=central.id,
        lines=[
            ReceiptLineInput(
                sku_id=sku.id,
                quantity=Decimal(100),
                price=Decimal("2.00"),
                batch_no="L01",
                production_date=PRODUCED,
                expiry_date=EXPIRES,
            )
        ],
        post=True,
    )
    batch = Batch.objects.get(sku=sku, batch_no="L01")

    def transfer(to, quantity, receive=True):
        made = transfers.create_transfer(
            user=admin_user,
            from_warehouse_id=central.id,
            to_warehouse_id=to.id,
            lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(quantity), batch_id=batch.id)],
        )
        transfers.ship_transfer(user=admin_user, transfer_id=made.id)
        if receive:
            line = made.lines.get()
            transfers.receive_transfer(
                user=admin_user,
                transfer_id=made.id,
                lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(quantity))],
            )
        return made

    to_a = transfer(warehouse, 60)
    to_b = transfer(other_warehouse, 10)
    on_the_way = transfer(warehouse, 5, receive=False)
    line = StockLineInput(sku_id=sku.id, quantity=Decimal(25), batch_id=batch.id)
    stock_out = documents.create_and_post_stock_document(
        user=admin_user, kind="stock_out", warehouse_id=warehouse.id, lines=[line]
    )
    scrap = documents.create_and_post_stock_document(
        user=admin_user,
        kind="scrap",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(5), batch_id=batch.id)],
        reason_id=factories.reason().id,
    )
    return {
        "central": central,
        "sku": sku,
        "batch": batch,
        "supplier": supplier,
        "receipt": receipt,
        "to_a": to_a,
        "to_b": to_b,
        "on_the_way": on_the_way,
        "stock_out": stock_out,
        "scrap": scrap,
    }


def figures(rows: list[dict]) -> dict[str, Decimal]:
    return {row["kind"]: Decimal(row["quantity"]) for row in rows}


def test_the_trace_of_a_batch_equals_the_hand_computed_one(
    client_for, admin_user, ledger, warehouse, other_warehouse
):
    response = client_for(admin_user).get(URL, {"sku": ledger["sku"].id, "batch_no": "L01"})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["batch"]["id"] == ledger["batch"].id
    assert (data["batch"]["production_date"], data["batch"]["expiry_date"]) == (
        "2026-11-01",
        "2027-05-01",
    )
    [origin] = data["origins"]
    assert origin["document_number"] == ledger["receipt"].number
    assert (origin["counterparty_kind"], origin["counterparty_code"]) == ("supplier", "S001")
    assert (Decimal(origin["quantity"]), Decimal(origin["value"])) == (100, Decimal("200.00"))
    assert origin["warehouse"] == ledger["central"].id

    totals = data["totals"]
    assert Decimal(totals["received"]) == 100
    assert Decimal(totals["received_value"]) == Decimal("200.00")
    assert Decimal(totals["on_hand"]) == 25 + 30 + 10
    assert Decimal(totals["in_transit"]) == 5
    assert figures(totals["inflows"]) == {"purchase_receipt": 100}
    assert figures(totals["outflows"]) == {"other_out": 25, "scrap": 5}
    assert {r["kind"]: Decimal(r["value"]) for r in totals["outflows"]} == {
        "other_out": Decimal("50.00"),
        "scrap": Decimal("10.00"),
    }

    by_id = {w["warehouse"]: w for w in data["warehouses"]}
    central, a, b = by_id[ledger["central"].id], by_id[warehouse.id], by_id[other_warehouse.id]
    assert [Decimal(w["on_hand"]) for w in (central, a, b)] == [25, 30, 10]
    # the tree: the stores' warehouses got their first stock from the central one
    assert (central["parent"], a["parent"], b["parent"]) == (
        None,
        central["warehouse"],
        central["warehouse"],
    )
    assert [(f["direction"], f["move_type"], Decimal(f["quantity"])) for f in central["flows"]] == [
        ("in", "purchase_receipt", 100),
        ("out", "transfer_out", -75),
    ]
    assert [(f["direction"], f["move_type"], Decimal(f["quantity"])) for f in a["flows"]] == [
        ("in", "transfer_in", 60),
        ("out", "scrap", -5),
        ("out", "stock_out", -25),
    ]
    shipped = {
        d["document_number"]: (Decimal(d["quantity"]), d["counterparty_code"])
        for d in central["flows"][1]["documents"]
    }
    assert shipped == {
        ledger["to_a"].number: (-60, warehouse.code),
        ledger["to_b"].number: (-10, other_warehouse.code),
        ledger["on_the_way"].number: (-5, warehouse.code),
    }
    [moving] = data["in_transit"]
    assert (moving["document_number"], Decimal(moving["quantity"])) == (
        ledger["on_the_way"].number,
        5,
    )
    assert moving["counterparty_code"] == warehouse.code

    # the flat list: every move, oldest first (1 receipt, 3 ships × 2, 2 receipts × 2, 2)
    assert data["count"] == totals["moves"] == 1 + 6 + 4 + 2
    first = data["results"][0]
    assert (first["move_type"], Decimal(first["quantity"]), first["document_number"]) == (
        "purchase_receipt",
        100,
        ledger["receipt"].number,
    )
    assert Decimal(first["unit_cost"]) == Decimal("2.00")
    assert data["show_cost"] is True


def test_a_batch_by_id_gives_the_same_trace(client_for, admin_user, ledger):
    by_id = client_for(admin_user).get(URL, {"batch": ledger["batch"].id}).json()
    by_number = client_for(admin_user).get(URL, {"sku": ledger["sku"].id, "batch_no": "L01"}).json()
    assert by_id == by_number


def test_a_store_keeper_sees_only_his_stores_part_and_no_costs(
    client_for, store, ledger, warehouse, other_warehouse
):
    keeper = factories.user("keeper-a", roles=("warehouse_keeper",), stores=(store,))
    data = client_for(keeper).get(URL, {"batch": ledger["batch"].id}).json()
    assert [w["warehouse"] for w in data["warehouses"]] == [warehouse.id]
    [a] = data["warehouses"]
    assert a["parent"] is None  # the central warehouse is not his
    # what came from outside his scope is an inflow of his part; no receipt, no supplier
    assert data["origins"] == []
    totals = data["totals"]
    assert figures(totals["inflows"]) == {"transfer_in": 60}
    assert figures(totals["outflows"]) == {"other_out": 25, "scrap": 5}
    assert Decimal(totals["on_hand"]) == 30
    # the transfer still on its way to him is shown, but not counted: it left from outside
    assert [t["document_number"] for t in data["in_transit"]] == [ledger["on_the_way"].number]
    assert Decimal(totals["in_transit"]) == 0
    warehouses = {row["warehouse"] for row in data["results"] if not row["in_transit"]}
    assert warehouses == {warehouse.id}
    assert other_warehouse.id not in {row["counterparty_id"] for row in data["results"]}
    # costs: null in JSON, no column in a file
    assert data["show_cost"] is False
    assert totals["received_value"] is None
    assert all(row["unit_cost"] is None and row["value"] is None for row in data["results"])
    assert all(f["value"] is None for f in a["flows"])
    exported = client_for(keeper).get(
        URL + "export/", {"batch": ledger["batch"].id, "format": "csv"}
    )
    header = b"".join(exported.streaming_content).decode("utf-8-sig").splitlines()
    assert exported.status_code == 200
    assert not any("Unit cost" in line for line in header)
    admin_file = client_for(factories.user("boss2", roles=("admin",), all_stores=True)).get(
        URL + "export/", {"batch": ledger["batch"].id, "format": "csv"}
    )
    assert "Unit cost" in b"".join(admin_file.streaming_content).decode("utf-8-sig")


def test_another_stores_warehouse_is_refused(client_for, store, ledger, other_warehouse):
    keeper = factories.user("keeper-a", roles=("warehouse_keeper",), stores=(store,))
    response = client_for(keeper).get(
        URL, {"batch": ledger["batch"].id, "warehouse": other_warehouse.id}
    )
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"


def test_a_warehouse_under_a_blind_count_is_hidden_from_counters(
    client_for, store, ledger, warehouse, admin_user
):
    keeper = factories.user("keeper-a", roles=("warehouse_keeper",), stores=(store,))
    StockCount.objects.create(
        number="PD-1", store=store, warehouse=warehouse, blind=True, status="counting"
    )
    data = client_for(keeper).get(URL, {"batch": ledger["batch"].id}).json()
    assert data["warehouses"] == [] and Decimal(data["totals"]["on_hand"]) == 0
    assert [row["in_transit"] for row in data["results"]] == [True] * len(data["results"])
    refused = client_for(keeper).get(URL, {"batch": ledger["batch"].id, "warehouse": warehouse.id})
    assert (refused.status_code, refused.json()["code"]) == (403, "blind_count")
    manager = factories.user("manager-a", roles=("store_manager",), stores=(store,))
    seen = client_for(manager).get(URL, {"batch": ledger["batch"].id}).json()
    assert [w["warehouse"] for w in seen["warehouses"]] == [warehouse.id]


@pytest.mark.parametrize(
    ("query", "status", "code"),
    [
        ({}, 400, "invalid"),
        ({"sku": "MILK"}, 400, "invalid"),  # a SKU without its batch number
        ({"sku": 999_999_999, "batch_no": "B1"}, 400, "unknown_id"),
        ({"batch": 999999}, 404, "not_found"),
        ({"batch": "x"}, 400, "invalid"),
    ],
)
def test_bad_input_is_a_clear_4xx(client_for, admin_user, ledger, query, status, code):
    if query.get("sku") == "MILK":
        query = {"sku": ledger["sku"].id}
    response = client_for(admin_user).get(URL, query)
    assert (response.status_code, response.json()["code"]) == (status, code)


def test_the_batches_a_document_took(client_for, admin_user, ledger, warehouse):
    response = client_for(admin_user).get(URL + "document/", {"number": ledger["stock_out"].number})
    assert response.status_code == 200, response.content
    [row] = response.json()["results"]
    assert (row["batch"], row["batch_no"], row["warehouse"]) == (
        ledger["batch"].id,
        "L01",
        warehouse.id,
    )
    assert Decimal(row["quantity"]) == -25
    by_id = client_for(admin_user).get(
        URL + "document/",
        {"document_type": "stock_document", "document_id": ledger["stock_out"].id},
    )
    assert by_id.json()["results"] == response.json()["results"]
    missing = client_for(admin_user).get(URL + "document/", {"number": "NOPE-1"})
    assert (missing.status_code, missing.json()["code"]) == (404, "not_found")
    assert client_for(admin_user).get(URL + "document/").status_code == 400
    pdf = client_for(admin_user).get(
        URL + "document/export/", {"number": ledger["stock_out"].number, "format": "pdf"}
    )
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"


def test_the_batches_to_choose_from(client_for, admin_user, store, ledger):
    rows = client_for(admin_user).get(URL + "batches/", {"sku": ledger["sku"].id}).json()
    assert [r["batch_no"] for r in rows["results"]] == ["L01"]
    stranger = factories.user(
        "keeper-x", roles=("warehouse_keeper",), stores=(factories.store("0009"),)
    )
    assert client_for(stranger).get(URL + "batches/").json()["count"] == 0


def test_every_export_format(client_for, admin_user, ledger):
    for fmt, content_type in (
        ("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
        ("csv", "text/csv"),
        ("pdf", "application/pdf"),
    ):
        response = client_for(admin_user).get(
            URL + "export/", {"batch": ledger["batch"].id, "format": fmt}
        )
        assert response.status_code == 200
        assert response["Content-Type"].startswith(content_type)


def test_the_query_count_does_not_grow_with_the_moves(client_for, admin_user, ledger, warehouse):
    client = client_for(admin_user)
    client.get(URL, {"batch": ledger["batch"].id})  # warm the kept permissions
    with CaptureQueriesContext(connection) as before:
        client.get(URL, {"batch": ledger["batch"].id})
    for _ in range(3):
        documents.create_and_post_stock_document(
            user=admin_user,
            kind="stock_out",
            warehouse_id=warehouse.id,
            lines=[
                StockLineInput(
                    sku_id=ledger["sku"].id, quantity=Decimal(1), batch_id=ledger["batch"].id
                )
            ],
        )
    with CaptureQueriesContext(connection) as after:
        client.get(URL, {"batch": ledger["batch"].id})
    assert len(after) == len(before)


def test_a_subscription_mails_the_batch_trace_as_xlsx(admin_user, ledger):
    """Subscribed with its batch (and a warehouse), the batch trace is mailed as the xlsx of
    its moves in that warehouse: the receipt, then the three transfers out."""
    admin_user.email = "admin@example.com"
    admin_user.save()
    subscription = subscriptions.create_subscription(
        user=admin_user,
        data=subscriptions.SubscriptionInput(
            report="batch-trace",
            frequency="daily",
            language="en",
            filters={"batch": ledger["batch"].id, "warehouse": ledger["central"].id},
        ),
    )
    assert subscription.filters == {"batch": ledger["batch"].id, "warehouse": ledger["central"].id}
    subscription.active_since = timezone.now() - datetime.timedelta(days=2)  # a slot has passed
    subscription.save()
    assert subscriptions.send_subscription(subscription, timezone.now()) == "sent"
    [message] = mail.outbox
    assert message.to == ["admin@example.com"]
    assert message.subject.startswith("[StoreLedger] Batch traceability")
    [(filename, content, content_type)] = message.attachments
    assert filename.endswith(".xlsx") and content_type.startswith("application/vnd.openxml")
    rows = [[c.value for c in row] for row in load_workbook(io.BytesIO(content)).active.rows]
    start = next(i for i, row in enumerate(rows) if "Move type" in row)
    header = rows[start]
    body = [r for r in rows[start + 1 :] if r[header.index("Document")]]
    moved = [
        (r[header.index("Document")], r[header.index("Quantity")], r[header.index("On hand after")])
        for r in body
    ]
    assert moved == [
        (ledger["receipt"].number, 100, 100),
        (ledger["to_a"].number, -60, 40),
        (ledger["to_b"].number, -10, 30),
        (ledger["on_the_way"].number, -5, 25),
    ]
    assert "Batch: L01" in rows[1][0] and "Warehouse: CW 中央仓" in rows[1][0]


@pytest.mark.parametrize(
    ("filters", "message"),
    [({}, "Give a batch, or a SKU and a batch number."), ({"batch": 999999}, "Batch not found.")],
)
def test_a_batch_trace_subscription_needs_a_batch(client_for, admin_user, ledger, filters, message):
    admin_user.email = "admin@example.com"
    admin_user.save()
    response = client_for(admin_user).post(
        "/api/v1/report-subscriptions/",
        {"report": "batch-trace", "frequency": "daily", "filters": filters},
        format="json",
    )
    assert response.status_code == 400, response.content
    assert response.json()["fields"] == {"filters.batch": [message]}
