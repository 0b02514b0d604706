"""A created (and posted) stock document is answered from the rows its service holds, not
read back (issue 9): the 201 body is exactly what a GET of the document answers."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.catalog.models import Category, Tracking
from storeledger.inventory.approvals import stock_document_facts, stock_document_facts_many
from storeledger.inventory.ledger import MoveRequest
from storeledger.inventory.models import Batch
from storeledger.inventory.services import documents as services
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client_for, admin_user):
    return client_for(admin_user)


def created_and_read(api, path: str, body: dict) -> tuple[dict, dict]:
    created = api.post(path, body, format="json")
    assert created.status_code == 201, created.json()
    read = api.get(f"{path}{created.json()['id']}/")
    assert read.status_code == 200
    return created.json(), read.json()


@pytest.mark.parametrize("post", [True, False])
def test_stock_in_answer_is_the_document_as_read(api, warehouse, sku, post):
    milk = factories.sku(code="MILK", name="鲜牛奶 1L", tracking=Tracking.BATCH)
    location = Location.objects.create(warehouse=warehouse, code="A-01")
    box = sku.units.get().unit
    created, read = created_and_read(
        api,
        "/api/v1/stock-ins/",
        {
            "warehouse": warehouse.id,
            "post": post,
            "notes": "held",
            "lines": [
                {"sku": sku.id, "unit": box.id, "quantity": "2", "unit_cost": "24.00"},
                {
                    "sku": milk.id,
                    "quantity": "5",
                    "batch_no": "L-1",
                    "production_date": "2026-11-01",
                    "expiry_date": "2026-12-31",
                    "location": location.id,
                    "unit_cost": "3.10",
                },
                {"sku": sku.id, "quantity": "1"},
            ],
        },
    )
    assert created == read
    assert created["status"] == ("posted" if post else "draft")
    assert [line["value"] for line in created["lines"]] == (
        ["48.0000", "15.5000", "2.0000"] if post else [None, None, None]
    )
    assert created["lines"][1]["location_code"] == "A-01"
    assert created["lines"][1]["batch_no"] == "L-1"
    assert created["lines"][0]["base_quantity"] == "24.0000"
    assert created["number"].startswith("RK-0001-")


def test_stock_out_answer_is_the_document_as_read(api, warehouse, sku):
    created, _ = created_and_read(
        api,
        "/api/v1/stock-ins/",
        {"warehouse": warehouse.id, "post": True, "lines": [{"sku": sku.id, "quantity": "10"}]},
    )
    day = datetime.date(2026, 11, 30)
    created, read = created_and_read(
        api,
        "/api/v1/stock-outs/",
        {
            "warehouse": warehouse.id,
            "post": True,
            "document_date": day.isoformat(),
            "lines": [{"sku": sku.id, "quantity": "3"}],
        },
    )
    assert created == read
    assert created["number"] == "CK-0001-20261130-0001"
    assert created["posted_by"] == "boss" and created["created_by"] == "boss"
    assert created["available_actions"] == ["reverse"]
    assert created["lines"][0]["value"] == "6.0000"


@pytest.mark.parametrize("key", [False, True], ids=["no-key", "key"])
@pytest.mark.parametrize("lines", [1, 3])
@pytest.mark.parametrize("role", ["store_manager", "warehouse_keeper"], ids=["cost", "no-cost"])
@pytest.mark.parametrize("tracked", [False, True], ids=["untracked", "batch"])
def test_posted_stock_out_answer_is_the_document_as_read(
    client_for, store, warehouse, sku, tracked, role, lines, key
):
    """The 201 of a posted stock-out (built by `held_stock_document_data`, not by the
    serializer) equals, field for field, what a GET of the document answers right after: a
    batch-tracked SKU (a named batch, then first-expiry-first-out across two batches) or an
    untracked one (in the base unit, then in cases), the costs shown to a role with the cost
    permission and null for one without, 1 or 3 lines, and an Idempotency-Key's replay."""
    if tracked:
        item = factories.sku(code="MILK", name="鲜牛奶 1L", tracking=Tracking.BATCH)
        early = Batch.objects.create(
            sku=item, batch_no="L-1", expiry_date=datetime.date(2099, 12, 20)
        )
        late = Batch.objects.create(
            sku=item, batch_no="L-2", expiry_date=datetime.date(2099, 12, 31)
        )
        stock = [(early, "3.30"), (late, "3.10")]
        shapes = [{"batch": late.id, "quantity": "2"}, {"quantity": "4"}, {"quantity": "5"}]
    else:
        item = sku
        stock = [(None, "2.75")]
        case = sku.units.get().unit
        shapes = [{"quantity": "3"}, {"unit": case.id, "quantity": "1"}, {"quantity": "7"}]
    factories.posting(
        "held-stock-out",
        [
            MoveRequest(
                warehouse.id,
                item.id,
                Decimal(100),
                "stock_in",
                batch_id=batch.id if batch else None,
                unit_cost=Decimal(cost),
            )
            for batch, cost in stock
        ],
    )
    user = factories.user("clerk", roles=(role,), stores=(store,))
    api = client_for(user)
    body = {
        "warehouse": warehouse.id,
        "post": True,
        "lines": [{"sku": item.id, **shape} for shape in shapes[:lines]],
    }
    headers = {"HTTP_IDEMPOTENCY_KEY": "held-answer-1"} if key else {}
    created = api.post("/api/v1/stock-outs/", body, format="json", **headers)
    assert created.status_code == 201, created.json()
    read = api.get(f"/api/v1/stock-outs/{created.json()['id']}/")
    assert read.status_code == 200
    assert created.json() == read.json()
    assert list(created.json()) == list(read.json())  # the same keys in the same order
    answer = created.json()
    assert answer["status"] == "posted" and len(answer["lines"]) == lines
    values = [line["value"] for line in answer["lines"]]
    if role == "store_manager":
        assert None not in values
    else:
        assert values == [None] * lines
        assert [line["unit_cost"] for line in answer["lines"]] == [None] * lines
    if tracked:
        assert answer["lines"][0]["batch_no"] == "L-2"
        assert answer["lines"][0]["expiry_date"] == "2099-12-31"
    if key:
        replayed = api.post("/api/v1/stock-outs/", body, format="json", **headers)
        assert replayed.status_code == 201
        assert replayed.content == created.content
        assert replayed.json() == api.get(f"/api/v1/stock-outs/{answer['id']}/").json()


def test_approval_facts_from_held_rows_are_those_read_back(admin_user, warehouse, sku):
    """A stock document created posted is checked against the approval rules from the rows
    its service holds (its lines, their SKUs with category, the SKUs' stock in the warehouse
    read with them): no query, and the facts a read from the database gives."""
    drinks = Category.objects.create(code="DRINK", name="饮料")
    cola = Category.objects.create(code="COLA", name="可乐", parent=drinks)
    Category.objects.filter(pk=drinks.pk).update(path=f"/{drinks.pk}/")
    Category.objects.filter(pk=cola.pk).update(path=f"/{drinks.pk}/{cola.pk}/")
    sku.product.category = cola
    sku.product.save()
    unstocked = factories.sku(code="NEW", purchase_price="7.00")
    factories.posting(
        "facts-opening",
        [MoveRequest(warehouse.id, sku.id, Decimal(30), "stock_in", unit_cost=Decimal("2.75"))],
    )
    # 2 boxes of 12 and 3 pieces at the average 2.75 (82.50 / 30)
    stock_out = post_and_check(
        admin_user,
        "stock_out",
        warehouse,
        [
            services.StockLineInput(
                sku_id=sku.id, quantity=Decimal(2), unit_id=sku.units.get().unit_id
            ),
            services.StockLineInput(sku_id=sku.id, quantity=Decimal(3)),
        ],
        (Decimal("74.25"), Decimal(27), {drinks.pk, cola.pk}),
    )
    assert stock_out.held_stock == {sku.id: (Decimal(30), Decimal("82.5"))}
    # 4 at the purchase price (no stock yet) and 1 at its given cost
    post_and_check(
        admin_user,
        "stock_in",
        warehouse,
        [
            services.StockLineInput(sku_id=unstocked.id, quantity=Decimal(4)),
            services.StockLineInput(sku_id=sku.id, quantity=Decimal(1), unit_cost=Decimal(5)),
        ],
        (Decimal("33.00"), Decimal(5), {drinks.pk, cola.pk}),
    )


def post_and_check(user, kind, warehouse, lines, expected):
    document = services.create_and_post_stock_document(
        user=user, kind=kind, warehouse_id=warehouse.id, lines=lines
    )
    with CaptureQueriesContext(connection) as queries:
        facts = stock_document_facts(document)
    assert len(queries) == 0
    assert (facts.amount, facts.quantity, set(facts.category_ids)) == expected
    # its posting left the averages as they were: read back, the facts are the same
    assert stock_document_facts_many([document])[document.pk] == facts
    return document


def _transfer(admin_user, warehouse, other_warehouse, lines) -> int:
    from storeledger.inventory.services import transfers as ts

    transfer = ts.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=lines,
    )
    ts.submit_transfer(user=admin_user, transfer_id=transfer.id)
    ts.approve_transfer(user=admin_user, transfer_id=transfer.id)
    return transfer.id


@pytest.mark.parametrize("tracked", [False, True])
def test_transfer_ship_and_receive_answers_are_the_transfer_as_read(
    api, admin_user, warehouse, other_warehouse, sku, tracked
):
    """Ship and each receipt (partial, into a named bin, then closing with a shortfall)
    answer from the rows the service holds: exactly what a GET of the transfer answers,
    with what is still in transit by batch and the batches shipped."""
    from storeledger.inventory.services import transfers as ts

    milk = factories.sku(code="MILK", name="鲜牛奶 1L", tracking=Tracking.BATCH)
    first = Batch.objects.create(sku=milk, batch_no="L-1", expiry_date=datetime.date(2099, 12, 20))
    second = Batch.objects.create(sku=milk, batch_no="L-2", expiry_date=datetime.date(2099, 12, 31))
    factories.posting(
        "held-transfer-stock",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(50), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(
                warehouse.id,
                milk.id,
                Decimal(3),
                "stock_in",
                batch_id=first.id,
                unit_cost=Decimal("3.30"),
            ),
            MoveRequest(
                warehouse.id,
                milk.id,
                Decimal(5),
                "stock_in",
                batch_id=second.id,
                unit_cost=Decimal("3.10"),
            ),
        ],
    )
    bin_ = Location.objects.create(warehouse=other_warehouse, code="B-02")
    lines = [ts.TransferLineInput(sku_id=sku.id, quantity=Decimal(7))]
    if tracked:
        lines.append(ts.TransferLineInput(sku_id=milk.id, quantity=Decimal(6)))  # FEFO: both
    pk = _transfer(admin_user, warehouse, other_warehouse, lines)
    path = f"/api/v1/transfers/{pk}/"

    def answered_and_read(action: str, body: dict) -> dict:
        answer = api.post(f"{path}{action}/", body, format="json")
        assert answer.status_code == 200, answer.json()
        read = api.get(path)
        assert answer.json() == read.json()
        return answer.json()

    shipped = answered_and_read("ship", {})
    assert shipped["status"] == "shipped"
    assert [ln["in_transit_quantity"] for ln in shipped["in_transit"]] == (
        ["7.0000", "6.0000"] if tracked else ["7.0000"]
    )
    if tracked:
        assert [b["batch_no"] for b in shipped["in_transit"][1]["shipped_batches"]] == [
            "L-1",
            "L-2",
        ]
    line_ids = [ln["id"] for ln in shipped["lines"]]
    receipt = [{"line": line_ids[0], "quantity": "3", "to_location": bin_.id}]
    if tracked:
        receipt.append({"line": line_ids[1], "quantity": "4"})
    partly = answered_and_read("receive", {"lines": receipt})
    assert partly["status"] == "partially_received"
    assert partly["lines"][0]["to_location_code"] == "B-02"
    assert partly["in_transit"][0]["in_transit_quantity"] == "4.0000"
    if tracked:
        assert [b["quantity"] for b in partly["in_transit"][1]["batches"]] == ["2.0000"]
    closed = answered_and_read(
        "receive", {"lines": [{"line": line_ids[0], "quantity": "2"}], "close": True}
    )
    assert closed["status"] == "posted"
    assert closed["lines"][0]["discrepancy_quantity"] == "2.0000"
    assert all(line["batches"] == [] for line in closed["in_transit"])
