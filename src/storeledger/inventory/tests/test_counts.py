"""Stock counts (盘点): snapshot, scanning, recount, submit, approval, posting, reversal,
blind mode and bad input, through the API and the services."""

from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from storeledger.accounts.roles import sync_roles
from storeledger.catalog.models import Barcode, Category
from storeledger.core.errors import ValidationFailed
from storeledger.inventory import ledger, signals
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.inventory.models import (
    Posting,
    Reservation,
    StockBalance,
    StockCount,
    StockCountEntry,
    StockCountLine,
    StockMove,
)
from storeledger.inventory.services import counts as services
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import Company
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/stock-counts/"


@pytest.fixture(autouse=True)
def roles(db):
    # The seeded roles (groups with their permissions); the post_migrate sync may not have
    # run in the test database.
    sync_roles()


def _post(key, moves, posted_at=None):
    return factories.posting(key, moves, at=posted_at)


def _stock_in(key, warehouse, sku, quantity, cost, batch=None):
    return _post(
        key,
        [
            MoveRequest(
                warehouse.id,
                sku.id,
                Decimal(quantity),
                "stock_in",
                unit_cost=Decimal(cost),
                batch_id=batch.id if batch else None,
            )
        ],
    )


def _balance(warehouse, sku, batch=None):
    return StockBalance.objects.get(warehouse=warehouse, sku=sku, batch=batch)


@pytest.fixture
def chips(db):
    return factories.sku(code="SKU-CHIPS", name="乐事薯片 70g", purchase_price="4.00")


@pytest.fixture
def case_barcode(sku):
    return Barcode.objects.create(
        sku=sku, code="2900000000011", unit=factories.unit("box", "箱"), kind="internal"
    )


@pytest.fixture
def stocked(warehouse, sku, chips):
    """Cola 100 on hand at a moving average of 2.50 (value 250), chips 20 at 5.00."""
    _stock_in("in-cola-1", warehouse, sku, 50, "2.00")
    _stock_in("in-cola-2", warehouse, sku, 50, "3.00")
    _stock_in("in-chips", warehouse, chips, 20, "5.00")
    return warehouse


@pytest.fixture
def keeper_api(client_for, keeper):
    return client_for(keeper)


@pytest.fixture
def manager_api(client_for, manager):
    return client_for(manager)


def _create(api, warehouse, **body):
    response = api.post(URL, {"warehouse": warehouse.id, **body}, format="json")
    assert response.status_code == 201, response.json()
    return response.json()


def _started(api, warehouse, **body):
    count = _create(api, warehouse, **body)
    response = api.post(f"{URL}{count['id']}/start/")
    assert response.status_code == 200, response.json()
    return response.json()


def _scan(api, count_id, **entry):
    return api.post(f"{URL}{count_id}/entries/", entry, format="json")


def _lines(count_id):
    return {
        line.sku.code: line
        for line in StockCountLine.objects.filter(count_id=count_id).select_related("sku")
    }


# ---------------------------------------------------------------- the full flow


def test_full_flow_scan_submit_post(stocked, sku, chips, case_barcode, keeper_api, manager_api):
    warehouse = stocked
    count = _started(keeper_api, warehouse)
    assert count["status"] == "counting"
    assert count["number"].startswith("PD-0001-")
    assert count["snapshot_at"] is not None
    lines = _lines(count["id"])
    assert {code: line.book_quantity for code, line in lines.items()} == {
        "SKU-COLA": Decimal(100),
        "SKU-CHIPS": Decimal(20),
    }

    # 90 typed, the base barcode scanned twice (adds 1 each), one case (adds 12).
    response = keeper_api.post(
        f"{URL}{count['id']}/entries/",
        {"entries": [{"sku": sku.id, "quantity": "90"}]},
        format="json",
    )
    assert response.status_code == 201, response.json()
    primary = sku.barcodes.get(is_primary=True).code
    assert _scan(keeper_api, count["id"], barcode=primary).status_code == 201
    assert _scan(keeper_api, count["id"], barcode=primary).status_code == 201
    response = _scan(keeper_api, count["id"], barcode=case_barcode.code)
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["entries"][0]["quantity"] == "12.0000"
    assert body["entries"][0]["unit_quantity"] == "1.0000"
    assert body["lines"][0]["counted_quantity"] == "104.0000"
    response = _scan(keeper_api, count["id"], sku_code="SKU-CHIPS", quantity="17")
    assert response.status_code == 201

    entries = keeper_api.get(f"{URL}{count['id']}/entries/?line={lines['SKU-COLA'].id}").json()
    assert [e["quantity"] for e in entries] == ["90.0000", "1.0000", "1.0000", "12.0000"]

    response = keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "submitted"
    assert response.json()["needs_approval"] is False

    # the keeper sees quantities and differences, not their values (issue 8: costs)
    kept = keeper_api.get(f"{URL}{count['id']}/sheet/").json()
    kept_cola = next(row for row in kept["lines"] if row["sku_code"] == "SKU-COLA")
    assert (kept_cola["difference"], kept_cola["unit_cost"]) == ("4.0000", None)
    assert kept_cola["difference_value"] is None
    assert (kept["totals"]["gain_quantity"], kept["totals"]["gain_value"]) == ("4.0000", None)
    sheet = manager_api.get(f"{URL}{count['id']}/sheet/").json()
    rows = {row["sku_code"]: row for row in sheet["lines"]}
    assert rows["SKU-COLA"] == {
        **rows["SKU-COLA"],
        "barcode": primary,
        "book_quantity": "100.0000",
        "moves_after_snapshot": "0.0000",
        "expected_quantity": "100.0000",
        "counted_quantity": "104.0000",
        "difference": "4.0000",
        "unit_cost": "2.5000",
        "difference_value": "10.0000",
    }
    assert rows["SKU-CHIPS"]["difference"] == "-3.0000"
    assert rows["SKU-CHIPS"]["unit_cost"] == "5.0000"
    assert rows["SKU-CHIPS"]["difference_value"] == "-15.0000"
    assert sheet["totals"] == {
        "lines": 2,
        "counted_lines": 2,
        "book_quantity": "120.0000",
        "counted_quantity": "121.0000",
        "gain_quantity": "4.0000",
        "loss_quantity": "-3.0000",
        "gain_value": "10.0000",
        "loss_value": "-15.0000",
        "difference_value": "-5.0000",
    }

    response = keeper_api.post(f"{URL}{count['id']}/post/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "posted"

    moves = StockMove.objects.filter(posting__key=f"stock_count:{count['id']}:post")
    assert sorted((m.sku.code, m.move_type, m.quantity, m.unit_cost, m.value) for m in moves) == [
        ("SKU-CHIPS", "count_loss", Decimal(-3), Decimal("5.0000"), Decimal("-15.0000")),
        ("SKU-COLA", "count_gain", Decimal(4), Decimal("2.5000"), Decimal("10.0000")),
    ]
    cola, crisps = _balance(warehouse, sku), _balance(warehouse, chips)
    assert (cola.on_hand, cola.value) == (Decimal(104), Decimal("260.0000"))
    assert (crisps.on_hand, crisps.value) == (Decimal(17), Decimal("85.0000"))


def test_stock_out_between_snapshot_and_count_is_no_variance(stocked, sku, keeper):
    warehouse = stocked
    count = services.create_stock_count(user=keeper, warehouse_id=warehouse.id)
    services.start_stock_count(user=keeper, count_id=count.id)
    # 10 sold after the snapshot, before anyone counted: the shelf holds 90.
    _post("sale-before", [MoveRequest(warehouse.id, sku.id, Decimal(-10), "stock_out")])
    services.record_count(
        user=keeper,
        count_id=count.id,
        entries=[services.CountEntryInput(quantity=Decimal(90), sku_id=sku.id)],
    )
    # 5 more sold after the line was counted: not part of what the counter saw.
    _post("sale-after", [MoveRequest(warehouse.id, sku.id, Decimal(-5), "stock_out")])
    assert StockMove.objects.latest("id").posted_at > _lines(count.id)["SKU-COLA"].last_counted_at
    services.submit_stock_count(user=keeper, count_id=count.id)

    line = _lines(count.id)["SKU-COLA"]
    assert line.book_quantity == Decimal(100)
    assert line.moves_after_snapshot == Decimal(-10)
    assert line.counted_quantity == Decimal(90)
    assert line.difference == Decimal(0)
    assert line.difference_value == Decimal(0)
    # The uncounted chips line is left out: no difference, nothing to post.
    chips_line = _lines(count.id)["SKU-CHIPS"]
    assert (chips_line.counted_quantity, chips_line.difference) == (None, None)

    services.post_stock_count(user=keeper, count_id=count.id)
    assert not Posting.objects.filter(key=f"stock_count:{count.id}:post").exists()
    assert _balance(warehouse, sku).on_hand == Decimal(85)
    assert StockCount.objects.get(pk=count.id).status == "posted"


def test_uncounted_as_zero_posts_a_loss(stocked, sku, chips, keeper):
    warehouse = stocked
    count = services.create_stock_count(user=keeper, warehouse_id=warehouse.id)
    services.start_stock_count(user=keeper, count_id=count.id)
    services.record_count(
        user=keeper,
        count_id=count.id,
        entries=[services.CountEntryInput(quantity=Decimal(100), sku_id=sku.id)],
    )
    services.submit_stock_count(user=keeper, count_id=count.id, uncounted_as_zero=True)
    line = _lines(count.id)["SKU-CHIPS"]
    assert (line.counted_quantity, line.difference, line.difference_value) == (
        Decimal(0),
        Decimal(-20),
        Decimal("-100.0000"),
    )
    services.post_stock_count(user=keeper, count_id=count.id)
    assert _balance(warehouse, chips).on_hand == Decimal(0)
    assert _balance(warehouse, chips).value == Decimal(0)
    assert _balance(warehouse, sku).on_hand == Decimal(100)


def test_submit_with_nothing_counted_is_400(stocked, keeper_api):
    count = _started(keeper_api, stocked)
    response = keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["code"] == "nothing_counted"
    assert StockCount.objects.get(pk=count["id"]).status == "counting"


# ---------------------------------------------------------------- approval


def test_variance_above_threshold_needs_approval(stocked, sku, keeper_api, manager_api, keeper):
    warehouse = stocked
    Company.objects.filter(pk=Company.current().pk).update(count_approval_threshold=Decimal(100))
    count = _started(keeper_api, warehouse)
    # 50 short at 2.50 = 125.00 > 100.
    _scan(keeper_api, count["id"], sku=sku.id, quantity="50")
    submitted = keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json").json()
    assert submitted["needs_approval"] is True

    response = keeper_api.post(f"{URL}{count['id']}/post/")
    assert response.status_code == 409
    assert response.json()["code"] == "approval_required"
    assert _balance(warehouse, sku).on_hand == Decimal(100)
    assert not StockMove.objects.filter(move_type__startswith="count").exists()

    # A counter may not approve; a manager may.
    assert keeper_api.post(f"{URL}{count['id']}/approve/").status_code == 403
    response = manager_api.post(f"{URL}{count['id']}/approve/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "approved"
    assert response.json()["approved_by"] == "manager"

    response = keeper_api.post(f"{URL}{count['id']}/post/")
    assert response.status_code == 200, response.json()
    assert _balance(warehouse, sku).on_hand == Decimal(50)
    assert _balance(warehouse, sku).value == Decimal("125.0000")


def test_per_count_threshold_and_approve_when_not_needed(stocked, sku, manager_api):
    count = _started(manager_api, stocked, approval_threshold="1000.00")
    assert count["approval_threshold"] == "1000.00"
    _scan(manager_api, count["id"], sku=sku.id, quantity="50")
    assert (
        manager_api.post(f"{URL}{count['id']}/submit/", {}, format="json").json()["needs_approval"]
        is False
    )
    response = manager_api.post(f"{URL}{count['id']}/approve/")
    assert response.status_code == 409
    assert response.json()["code"] == "approval_not_required"
    assert StockCount.objects.get(pk=count["id"]).status == "submitted"


# ---------------------------------------------------------------- blind counting


def test_blind_count_hides_book_from_counter(stocked, sku, keeper_api, manager_api):
    count = _started(manager_api, stocked, blind=True)
    assert count["book_hidden"] is False  # the manager may see book quantities

    sheet = keeper_api.get(f"{URL}{count['id']}/sheet/").json()
    assert sheet["book_hidden"] is True
    assert {row["book_quantity"] for row in sheet["lines"]} == {None}
    assert sheet["totals"]["book_quantity"] is None
    response = _scan(keeper_api, count["id"], sku=sku.id, quantity="98")
    assert response.json()["lines"][0]["book_quantity"] is None
    assert response.json()["lines"][0]["counted_quantity"] == "98.0000"
    assert keeper_api.get(f"{URL}{count['id']}/").json()["book_hidden"] is True

    manager_sheet = manager_api.get(f"{URL}{count['id']}/sheet/").json()
    assert {row["sku_code"]: row["book_quantity"] for row in manager_sheet["lines"]} == {
        "SKU-CHIPS": "20.0000",
        "SKU-COLA": "100.0000",
    }

    keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    sheet = keeper_api.get(f"{URL}{count['id']}/sheet/").json()
    assert sheet["book_hidden"] is False
    cola = next(row for row in sheet["lines"] if row["sku_code"] == "SKU-COLA")
    assert (cola["book_quantity"], cola["difference"]) == ("100.0000", "-2.0000")


# ---------------------------------------------------------------- recount, manual entry


def test_recount_replaces_first_count(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    _scan(keeper_api, count["id"], sku=sku.id, quantity="80")
    _scan(keeper_api, count["id"], sku=sku.id, quantity="5")
    line = _lines(count["id"])["SKU-COLA"]
    assert line.counted_quantity == Decimal(85)

    # A recount entry for a line nobody asked to recount is refused.
    response = keeper_api.post(
        f"{URL}{count['id']}/entries/", {"sku": sku.id, "quantity": "99", "recount": True}
    )
    assert response.status_code == 400
    assert response.json()["code"] == "recount_not_requested"
    assert StockCountEntry.objects.filter(line=line).count() == 2

    response = keeper_api.post(f"{URL}{count['id']}/recount/", {"lines": [line.id]}, format="json")
    assert response.status_code == 200, response.json()
    assert response.json()[0]["recount_requested"] is True
    line.refresh_from_db()
    assert line.counted_quantity == Decimal(85)  # until the recount has entries

    for quantity in ("60", "39"):
        response = keeper_api.post(
            f"{URL}{count['id']}/entries/",
            {"sku": sku.id, "quantity": quantity, "recount": True},
            format="json",
        )
        assert response.status_code == 201, response.json()
    line.refresh_from_db()
    assert line.counted_quantity == Decimal(99)
    keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    line.refresh_from_db()
    assert line.difference == Decimal(-1)


def test_set_count_overwrites_the_line(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    _scan(keeper_api, count["id"], sku=sku.id, quantity="80")
    line = _lines(count["id"])["SKU-COLA"]
    response = keeper_api.post(
        f"{URL}{count['id']}/set-count/", {"line": line.id, "quantity": "97"}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["counted_quantity"] == "97.0000"
    _scan(keeper_api, count["id"], sku=sku.id)  # a scan after the manual entry still adds
    line.refresh_from_db()
    assert line.counted_quantity == Decimal(98)
    assert list(line.entries.values_list("replaces", flat=True)) == [False, True, False]

    response = keeper_api.post(
        f"{URL}{count['id']}/set-count/", {"line": 999999, "quantity": "1"}, format="json"
    )
    assert response.status_code == 404


# ---------------------------------------------------------------- scope of a count


def test_category_scope_with_subcategories_and_new_lines(warehouse, sku, chips, keeper):
    drinks = Category.objects.create(code="DRINK", name="饮料")
    Category.objects.filter(pk=drinks.pk).update(path=f"/{drinks.pk}/")
    soda = Category.objects.create(code="SODA", name="汽水", parent=drinks)
    Category.objects.filter(pk=soda.pk).update(path=f"/{drinks.pk}/{soda.pk}/")
    snacks = Category.objects.create(code="SNACK", name="零食")
    Category.objects.filter(pk=snacks.pk).update(path=f"/{snacks.pk}/")
    sku.product.category = soda
    sku.product.save()
    chips.product.category = snacks
    chips.product.save()
    water = factories.sku(code="SKU-WATER", name="矿泉水")
    water.product.category = drinks
    water.product.save()
    _stock_in("in-cola", warehouse, sku, 10, "2.00")
    _stock_in("in-chips", warehouse, chips, 10, "4.00")

    count = services.create_stock_count(
        user=keeper, warehouse_id=warehouse.id, category_ids=[drinks.id]
    )
    services.start_stock_count(user=keeper, count_id=count.id)
    assert set(_lines(count.id)) == {"SKU-COLA"}

    # A SKU of the categories that had no stock gets a new line with book 0.
    services.record_count(
        user=keeper,
        count_id=count.id,
        entries=[services.CountEntryInput(quantity=Decimal(6), sku_code="SKU-WATER")],
    )
    water_line = _lines(count.id)["SKU-WATER"]
    assert (water_line.book_quantity, water_line.counted_quantity) == (Decimal(0), Decimal(6))

    with pytest.raises(ValidationFailed) as error:
        services.record_count(
            user=keeper,
            count_id=count.id,
            entries=[services.CountEntryInput(quantity=Decimal(6), sku_id=chips.id)],
        )
    assert error.value.code == "sku_out_of_count"
    assert set(_lines(count.id)) == {"SKU-COLA", "SKU-WATER"}

    services.submit_stock_count(user=keeper, count_id=count.id)
    services.post_stock_count(user=keeper, count_id=count.id)
    water_balance = _balance(warehouse, water)
    assert water_balance.on_hand == Decimal(6)
    # No stock and no moves: a gain comes in at the SKU's purchase price.
    assert water_balance.value == Decimal("12.0000")


def test_location_limited_count_takes_skus_that_moved_there(warehouse, sku, chips, keeper):
    shelf = warehouse.locations.create(code="A-01")
    _post(
        "in-cola",
        [
            MoveRequest(
                warehouse.id,
                sku.id,
                Decimal(5),
                "stock_in",
                unit_cost=Decimal(2),
                location_id=shelf.id,
            )
        ],
    )
    _stock_in("in-chips", warehouse, chips, 10, "4.00")
    count = services.create_stock_count(
        user=keeper, warehouse_id=warehouse.id, location_ids=[shelf.id]
    )
    services.start_stock_count(user=keeper, count_id=count.id)
    assert set(_lines(count.id)) == {"SKU-COLA"}


def test_batch_tracked_sku_needs_the_batch_when_several(warehouse, keeper_api):
    milk = factories.sku(code="SKU-MILK", name="纯牛奶", tracking="batch", shelf_life_days=30)
    early = get_or_create_batch(sku=milk, batch_no="B1")
    late = get_or_create_batch(sku=milk, batch_no="B2")
    _stock_in("in-b1", warehouse, milk, 10, "3.00", batch=early)
    _stock_in("in-b2", warehouse, milk, 8, "3.00", batch=late)
    count = _started(keeper_api, warehouse)

    response = _scan(keeper_api, count["id"], sku=milk.id, quantity="3")
    assert response.status_code == 400
    assert response.json()["code"] == "batch_required"
    assert "entries.0.batch" in response.json()["fields"]
    assert not StockCountEntry.objects.exists()

    response = _scan(keeper_api, count["id"], sku=milk.id, quantity="7", batch=late.id)
    assert response.status_code == 201, response.json()
    assert response.json()["lines"][0]["batch_no"] == "B2"
    assert response.json()["lines"][0]["counted_quantity"] == "7.0000"


def test_batch_tracked_sku_with_one_batch_takes_it(warehouse, keeper_api):
    milk = factories.sku(code="SKU-MILK", name="纯牛奶", tracking="batch")
    only = get_or_create_batch(sku=milk, batch_no="B1")
    _stock_in("in-b1", warehouse, milk, 10, "3.00", batch=only)
    count = _started(keeper_api, warehouse)
    response = _scan(keeper_api, count["id"], sku=milk.id, quantity="9")
    assert response.status_code == 201, response.json()
    assert response.json()["entries"][0]["batch"] == only.id


# ---------------------------------------------------------------- bad input


def test_unknown_barcode_is_400_and_changes_nothing(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    response = keeper_api.post(
        f"{URL}{count['id']}/entries/",
        {"entries": [{"sku": sku.id, "quantity": "3"}, {"barcode": "0000000000000"}]},
        format="json",
    )
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "unknown_barcode"
    assert body["fields"] == {"entries.1.barcode": ["Unknown barcode 0000000000000."]}
    assert not StockCountEntry.objects.exists()
    assert _lines(count["id"])["SKU-COLA"].counted_quantity is None


@pytest.mark.parametrize(
    ("entry", "code"),
    [
        ({"sku": 999999, "quantity": "1"}, "unknown_sku"),
        ({"sku_code": "NOPE", "quantity": "1"}, "unknown_sku"),
        ({"quantity": "1"}, "invalid"),
        ({"sku": "SKU", "quantity": "-1"}, "invalid"),
        ({"sku": "SKU", "quantity": "1.5"}, "bad_precision"),
        ({"sku": "SKU", "quantity": "1", "unit": "KG"}, "wrong_unit"),
        ({"sku": "SKU", "quantity": "1", "batch_no": "X"}, "batch_not_allowed"),
    ],
)
def test_bad_entries_are_400(stocked, sku, keeper_api, entry, code):
    kg = factories.unit("kg", "千克", 3)
    entry = {k: (sku.id if v == "SKU" else kg.id if v == "KG" else v) for k, v in entry.items()}
    count = _started(keeper_api, stocked)
    response = _scan(keeper_api, count["id"], **entry)
    assert response.status_code == 400, response.json()
    assert response.json()["code"] == code
    # the error names the entry's field, as every other error of a line does (a unit not of
    # the SKU named a bare "unit")
    if code == "wrong_unit":
        assert list(response.json()["fields"]) == ["entries.0.unit"], response.json()
    assert not StockCountEntry.objects.exists()


def test_out_of_scope_warehouse(other_warehouse, warehouse, keeper_api, client_for, sku):
    response = keeper_api.post(URL, {"warehouse": other_warehouse.id}, format="json")
    assert response.status_code == 403
    assert response.json()["code"] == "out_of_scope"
    assert not StockCount.objects.exists()

    # Someone else's count is invisible (404) and absent from the list.
    other_keeper = factories.user("k2", stores=(other_warehouse.store,))
    other = _create(client_for(other_keeper), other_warehouse)
    assert keeper_api.get(f"{URL}{other['id']}/").status_code == 404
    assert keeper_api.post(f"{URL}{other['id']}/start/").status_code == 404
    assert keeper_api.get(URL).json()["count"] == 0
    assert StockCount.objects.get(pk=other["id"]).status == "draft"


def test_cashier_may_not_count(stocked, sku, client_for, store, keeper_api):
    count = _started(keeper_api, stocked)
    cashier = factories.user("cashier1", roles=("cashier",), stores=(store,))
    response = _scan(client_for(cashier), count["id"], sku=sku.id)
    assert response.status_code == 403
    assert not StockCountEntry.objects.exists()


def test_posting_twice_is_409(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    _scan(keeper_api, count["id"], sku=sku.id, quantity="99")
    keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    assert keeper_api.post(f"{URL}{count['id']}/post/").status_code == 200
    moves = StockMove.objects.count()

    response = keeper_api.post(f"{URL}{count['id']}/post/")
    assert response.status_code == 409
    assert response.json()["code"] == "state_conflict"
    assert StockMove.objects.count() == moves
    assert _balance(stocked, sku).on_hand == Decimal(99)


def test_entries_after_submit_are_409(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    _scan(keeper_api, count["id"], sku=sku.id, quantity="99")
    keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    response = _scan(keeper_api, count["id"], sku=sku.id, quantity="1")
    assert response.status_code == 409
    assert StockCountEntry.objects.count() == 1


def test_entries_before_start_are_409(warehouse, sku, keeper_api):
    count = _create(keeper_api, warehouse)
    response = _scan(keeper_api, count["id"], sku=sku.id)
    assert response.status_code == 409
    assert not StockCountLine.objects.exists()


# ---------------------------------------------------------------- reversal, cancel, draft


def test_reverse_posted_count_with_linked_document(stocked, sku, chips, manager_api):
    warehouse = stocked
    count = _started(manager_api, warehouse)
    _scan(manager_api, count["id"], sku=sku.id, quantity="104")
    _scan(manager_api, count["id"], sku=chips.id, quantity="17")
    manager_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    manager_api.post(f"{URL}{count['id']}/post/")

    response = manager_api.post(f"{URL}{count['id']}/reverse/", {}, format="json")
    assert response.status_code == 201, response.json()
    reversal = response.json()
    assert reversal["status"] == "posted"
    assert reversal["reversal_of"] == count["id"]
    original = manager_api.get(f"{URL}{count['id']}/").json()
    assert original["status"] == "reversed"
    assert original["reversed_by_document"] == reversal["id"]

    lines = _lines(reversal["id"])
    assert (lines["SKU-COLA"].difference, lines["SKU-COLA"].difference_value) == (
        Decimal(-4),
        Decimal("-10.0000"),
    )
    assert lines["SKU-CHIPS"].difference == Decimal(3)
    assert (_balance(warehouse, sku).on_hand, _balance(warehouse, sku).value) == (
        Decimal(100),
        Decimal("250.0000"),
    )
    assert (_balance(warehouse, chips).on_hand, _balance(warehouse, chips).value) == (
        Decimal(20),
        Decimal("100.0000"),
    )
    reversing = Posting.objects.get(key=f"stock_count:{count['id']}:reverse")
    assert reversing.reverses.key == f"stock_count:{count['id']}:post"

    assert manager_api.post(f"{URL}{count['id']}/reverse/", {}, format="json").status_code == 409
    response = manager_api.post(f"{URL}{reversal['id']}/reverse/", {}, format="json")
    assert response.status_code == 409
    assert _balance(warehouse, sku).on_hand == Decimal(100)


def test_reverse_needs_a_posted_count_and_the_permission(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    response = keeper_api.post(f"{URL}{count['id']}/reverse/", {}, format="json")
    assert response.status_code == 403  # keepers may not reverse
    assert StockCount.objects.count() == 1


def test_reverse_a_counting_count_is_409(stocked, manager_api):
    count = _started(manager_api, stocked)
    response = manager_api.post(f"{URL}{count['id']}/reverse/", {}, format="json")
    assert response.status_code == 409
    assert StockCount.objects.count() == 1


def test_cancel_and_draft_edits(stocked, keeper_api, manager_api):
    count = _create(keeper_api, stocked, notes="月底盘点")
    response = keeper_api.patch(
        f"{URL}{count['id']}/", {"blind": True, "version": count["version"]}, format="json"
    )
    assert response.status_code == 200, response.json()
    assert response.json()["blind"] is True
    assert response.json()["notes"] == "月底盘点"
    stale = keeper_api.patch(
        f"{URL}{count['id']}/", {"blind": False, "version": count["version"]}, format="json"
    )
    assert stale.status_code == 409
    assert stale.json()["code"] == "stale_version"

    started = keeper_api.post(f"{URL}{count['id']}/start/").json()
    assert (
        keeper_api.patch(f"{URL}{count['id']}/", {"notes": "x"}, format="json").status_code == 409
    )
    assert keeper_api.delete(f"{URL}{count['id']}/").status_code == 409
    assert started["status"] == "counting"
    response = keeper_api.post(f"{URL}{count['id']}/cancel/")
    assert response.status_code == 200
    assert response.json()["status"] == "cancelled"
    assert keeper_api.post(f"{URL}{count['id']}/cancel/").status_code == 409

    draft = _create(keeper_api, stocked)
    assert keeper_api.delete(f"{URL}{draft['id']}/").status_code == 204
    assert not StockCount.objects.filter(pk=draft["id"]).exists()


def test_list_filters(stocked, warehouse, keeper_api):
    first = _create(keeper_api, warehouse)
    _started(keeper_api, warehouse)
    response = keeper_api.get(URL, {"status": "draft"})
    assert [c["id"] for c in response.json()["results"]] == [first["id"]]
    response = keeper_api.get(URL, {"warehouse": warehouse.id})
    assert response.json()["count"] == 2
    today = timezone.localdate().isoformat()
    assert keeper_api.get(URL, {"date_from": today}).json()["count"] == 2
    assert keeper_api.get(URL, {"date_to": "2000-01-01"}).json()["count"] == 0


def test_list_queries_do_not_grow_with_the_number_of_counts(warehouse, keeper_api):
    _started(keeper_api, warehouse)
    with CaptureQueriesContext(connection) as one:
        assert keeper_api.get(URL).status_code == 200
    for _ in range(3):
        _started(keeper_api, warehouse)
    with CaptureQueriesContext(connection) as four:
        assert keeper_api.get(URL).json()["count"] == 4
    assert len(four) == len(one)


def test_new_line_in_location_count_takes_book_at_snapshot(warehouse, sku, chips, keeper):
    shelf = warehouse.locations.create(code="A-01")
    _post(
        "in-cola",
        [
            MoveRequest(
                warehouse.id,
                sku.id,
                Decimal(5),
                "stock_in",
                unit_cost=Decimal(2),
                location_id=shelf.id,
            )
        ],
    )
    _stock_in("in-chips", warehouse, chips, 10, "4.00")
    count = services.create_stock_count(
        user=keeper, warehouse_id=warehouse.id, location_ids=[shelf.id]
    )
    services.start_stock_count(user=keeper, count_id=count.id)
    _post("sale", [MoveRequest(warehouse.id, chips.id, Decimal(-2), "stock_out")])
    # Chips turn up on the counted shelf although they never moved there: their line takes
    # the book quantity at the snapshot, and the later sale is accounted for.
    services.record_count(
        user=keeper,
        count_id=count.id,
        entries=[
            services.CountEntryInput(quantity=Decimal(8), sku_id=chips.id, location_id=shelf.id)
        ],
    )
    services.submit_stock_count(user=keeper, count_id=count.id)
    line = _lines(count.id)["SKU-CHIPS"]
    assert (line.book_quantity, line.moves_after_snapshot, line.difference) == (
        Decimal(10),
        Decimal(-2),
        Decimal(0),
    )


def test_post_with_idempotency_key_answers_the_first_result(stocked, sku, keeper_api):
    count = _started(keeper_api, stocked)
    _scan(keeper_api, count["id"], sku=sku.id, quantity="99")
    keeper_api.post(f"{URL}{count['id']}/submit/", {}, format="json")
    first = keeper_api.post(f"{URL}{count['id']}/post/", HTTP_IDEMPOTENCY_KEY="post-1")
    again = keeper_api.post(f"{URL}{count['id']}/post/", HTTP_IDEMPOTENCY_KEY="post-1")
    assert (first.status_code, again.status_code) == (200, 200)
    assert again.json() == first.json()
    assert StockMove.objects.filter(move_type="count_loss").count() == 1
    assert _balance(stocked, sku).on_hand == Decimal(99)


@pytest.mark.parametrize("blind", [False, True])
def test_scan_answers_its_lines_as_the_sheet_shows_them(
    stocked, sku, chips, case_barcode, keeper_api, blind
):
    """The lines a scan answers are built from the rows the service holds (issue 9): they are
    exactly the sheet's lines, book quantities hidden from a counter of a blind count."""
    count = _started(keeper_api, stocked, blind=blind)
    response = keeper_api.post(
        f"{URL}{count['id']}/entries/",
        {
            "entries": [
                {"sku": chips.id, "quantity": "3"},
                {"barcode": case_barcode.code},
                {"sku": sku.id, "quantity": "2"},
            ]
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    sheet = keeper_api.get(f"{URL}{count['id']}/sheet/").json()
    answered = {line["id"] for line in response.json()["lines"]}
    assert response.json()["lines"] == [line for line in sheet["lines"] if line["id"] in answered]
    assert [line["sku_code"] for line in response.json()["lines"]] == ["SKU-CHIPS", "SKU-COLA"]
    assert response.json()["lines"][1]["counted_quantity"] == "14.0000"
    assert (response.json()["lines"][1]["book_quantity"] is None) is blind


# ---------------------------------------------------------------- a count below what is reserved


def _count_to(user, warehouse, sku, counted):
    """Count `sku` in `warehouse` as `counted` and post it (no approval needed)."""
    count = services.create_stock_count(
        user=user, warehouse_id=warehouse.id, approval_threshold=Decimal(10**9)
    )
    services.start_stock_count(user=user, count_id=count.id)
    line = _lines(count.id)[sku.code]
    services.set_line_count(user=user, count_id=count.id, line_id=line.id, quantity=counted)
    services.submit_stock_count(user=user, count_id=count.id)
    return services.post_stock_count(user=user, count_id=count.id)


def test_a_count_below_what_is_reserved_posts_and_cuts_the_newest_reservations(
    stocked, sku, manager
):
    """A count records physical reality: it posts even when it finds less than is promised,
    and the reservations are cut back to what is there, the newest first (the oldest promise
    is kept); the ledger still verifies."""
    warehouse = stocked
    with transaction.atomic():
        for document_id, line_id, quantity in ((1, 11, 40), (2, 21, 20)):  # order 1 is older
            ledger.reserve(
                document_type="test_order",
                document_id=document_id,
                lines=[
                    ledger.ReserveRequest(
                        line_id=line_id,
                        warehouse_id=warehouse.id,
                        sku_id=sku.id,
                        quantity=Decimal(quantity),
                    )
                ],
            )
    # positive control: a loss that leaves enough for every promise cuts nothing
    _count_to(manager, warehouse, sku, Decimal(90))
    assert (_balance(warehouse, sku).on_hand, _balance(warehouse, sku).reserved) == (90, 60)
    assert sorted(
        Reservation.objects.values_list("line_id", "quantity", "released", "shorted")
    ) == [
        (11, 40, 0, 0),
        (21, 20, 0, 0),
    ]

    told = []

    def receiver(sender, reservations, **kwargs):
        told.append(sorted((r.document_id, r.line_id, r.shorted) for r in reservations))

    signals.reservations_shortened.connect(receiver)
    try:
        count = _count_to(manager, warehouse, sku, Decimal(50))
    finally:
        signals.reservations_shortened.disconnect(receiver)

    assert count.status == "posted"
    b = _balance(warehouse, sku)
    assert (b.on_hand, b.reserved, b.available) == (50, 50, 0)
    assert sorted(
        Reservation.objects.values_list("line_id", "quantity", "released", "shorted")
    ) == [
        (11, 40, 0, 0),
        (21, 10, 0, 10),
    ]
    assert told == [[(2, 21, 10)]]  # the owner of the cut line is told, once
    assert StockMove.objects.filter(move_type="count_loss").count() == 2
    assert verify_ledger().ok

    # finding less than the oldest promise alone: the newer one goes, the older is cut too
    _count_to(manager, warehouse, sku, Decimal(30))
    assert sorted(
        Reservation.objects.values_list("line_id", "quantity", "released", "shorted")
    ) == [
        (11, 30, 0, 10),
        (21, 0, 0, 20),
    ]
    assert (_balance(warehouse, sku).on_hand, _balance(warehouse, sku).reserved) == (30, 30)
    assert verify_ledger().ok
