"""GET /api/v1/dashboard/: the home page's figures summed in the database over every balance
(no page cap), only the user's warehouses, today's moves in the company's time zone, and
the same counts as the stock list's "below safety stock" and the near-expiry page."""

import datetime
from decimal import Decimal

import pytest
from django.db.models import Sum
from django.utils import timezone

from storeledger.catalog.models import Product, Sku, Tracking
from storeledger.inventory import selectors
from storeledger.inventory.ledger import MoveRequest, get_or_create_batch
from storeledger.inventory.models import StockBalance
from storeledger.inventory.services import transfers
from storeledger.org.models import Company
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

URL = "/api/v1/dashboard/"
UTC = datetime.UTC


def _post(key, moves, at=None):
    return factories.posting(
        key, moves, at=at, document_type="stock_in", document_number=f"RK-{key}"
    )


def _get(client, **params):
    response = client.get(URL, params)
    assert response.status_code == 200, response.content
    return response.json()


@pytest.fixture
def many_balances(warehouse, other_warehouse):
    """170 SKUs in each of 3 warehouses: 510 balance rows, more than a page of 500."""
    third = factories.warehouse(factories.store("0003", name="三号店"), code="WH03")
    unit = factories.unit()
    products = Product.objects.bulk_create(
        Product(code=f"P{n:03d}", name=f"商品{n}", base_unit=unit) for n in range(170)
    )
    skus = Sku.objects.bulk_create(
        Sku(product=p, code=p.code, name=p.name, safety_stock=Decimal(3)) for p in products
    )
    # SKU n: n % 5 pieces in WH01 (0 = none on hand), 2 in WH02, 1 in WH03, at a cost of n
    moves = [
        MoveRequest(w.id, s.id, Decimal(q), "stock_in", unit_cost=Decimal(n) + Decimal("0.5"))
        for n, s in enumerate(skus)
        for w, q in ((warehouse, n % 5 or 1), (other_warehouse, 2), (third, 1))
    ]
    _post("many", moves)
    # bring the WH01 rows of every fifth SKU to zero on hand
    _post(
        "zero",
        [MoveRequest(warehouse.id, s.id, Decimal(-1), "stock_out") for s in skus[::5]],
    )
    return skus, third


def test_totals_sum_every_balance_past_a_page(many_balances, admin_user, client_for):
    assert StockBalance.objects.count() == 510
    figures = _get(client_for(admin_user))

    total = StockBalance.objects.aggregate(v=Sum("value"))["v"]
    assert Decimal(figures["stock_value"]) == total > 0
    assert figures["sku_count"] == 170
    per_warehouse = {
        w["warehouse_code"]: (Decimal(w["value"]), Decimal(w["on_hand"]), w["sku_count"])
        for w in figures["warehouses"]
    }
    for code in ("WH01", "WH02", "WH03"):
        rows = StockBalance.objects.filter(warehouse__code=code)
        on_hand_skus = rows.filter(on_hand__gt=0).count()
        sums = rows.aggregate(v=Sum("value"), q=Sum("on_hand"))
        assert per_warehouse[code] == (sums["v"], sums["q"], on_hand_skus)
    assert per_warehouse["WH01"][2] == 136  # every fifth SKU has none left there
    values = [Decimal(w["value"]) for w in figures["warehouses"]]
    assert values == sorted(values, reverse=True)
    # below safety stock counts warehouse × SKU rows, as the stock list's filter does: the
    # chain in total has enough of every SKU, but WH02 is short of all 170
    below = client_for(admin_user).get(
        "/api/v1/stock-balances/", {"below_safety_stock": "true", "page_size": 1}
    )
    assert figures["below_safety_stock"] == below.json()["count"] >= 170
    wh02 = many_balances[1]
    assert _get(client_for(admin_user), warehouse=wh02.id)["below_safety_stock"] == 170


def test_counts_agree_with_the_stock_list_and_near_expiry_page(
    warehouse, other_warehouse, sku, admin_user, client_for
):
    sku.safety_stock = Decimal(5)
    sku.save()
    factories.sku(code="GUM", name="口香糖", safety_stock=Decimal(2))  # never stocked
    milk = factories.sku(code="MILK", name="鲜奶", tracking=Tracking.BATCH)
    today = timezone.localdate()
    soon = get_or_create_batch(sku=milk, batch_no="B1", expiry_date=today + datetime.timedelta(10))
    later = get_or_create_batch(sku=milk, batch_no="B2", expiry_date=today + datetime.timedelta(90))
    _post(
        "s",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(3), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(
                warehouse.id, milk.id, Decimal(4), "stock_in", soon.id, unit_cost=Decimal(5)
            ),
            MoveRequest(
                other_warehouse.id, milk.id, Decimal(1), "stock_in", later.id, unit_cost=Decimal(5)
            ),
        ],
    )
    client = client_for(admin_user)
    figures = _get(client)
    below = client.get(
        "/api/v1/stock-balances/", {"below_safety_stock": "true", "group_by": "warehouse_sku"}
    ).json()
    expiring = client.get("/api/v1/batches/", {"expiring_within_days": 30}).json()
    # COLA and GUM, short in each of the two warehouses
    assert sorted((r["warehouse_code"], r["sku_code"]) for r in below["results"]) == [
        ("WH01", "GUM"),
        ("WH01", "SKU-COLA"),
        ("WH02", "GUM"),
        ("WH02", "SKU-COLA"),
    ]
    assert figures["below_safety_stock"] == below["count"] == 4
    assert (figures["expiring_batches"], expiring["count"]) == (1, 1)  # B1, not B2
    assert figures["near_expiry_days"] == 30
    assert (figures["stock_value"], figures["sku_count"]) == ("31.0000", 2)


def test_in_transit_value_is_apart_and_a_store_user_sees_only_their_warehouse(
    warehouse, other_warehouse, sku, admin_user, manager, keeper, client_for
):
    _post(
        "t",
        [
            MoveRequest(warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(2)),
            MoveRequest(other_warehouse.id, sku.id, Decimal(10), "stock_in", unit_cost=Decimal(3)),
        ],
    )
    transfer = transfers.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[transfers.TransferLineInput(sku_id=sku.id, quantity=Decimal(4))],
    )
    transfers.ship_transfer(user=admin_user, transfer_id=transfer.id)

    everything = _get(client_for(admin_user))
    assert (everything["stock_value"], everything["in_transit_value"]) == ("42.0000", "8.0000")
    assert [(w["warehouse_code"], w["value"]) for w in everything["warehouses"]] == [
        ("WH02", "30.0000"),
        ("WH01", "12.0000"),
    ]
    # the store's manager: scoped to the store, with values
    mine = _get(client_for(manager))
    assert (mine["stock_value"], mine["in_transit_value"]) == ("12.0000", "8.0000")
    assert [w["warehouse_code"] for w in mine["warehouses"]] == ["WH01"]
    # the keeper's moves today: 10 in, 4 out (the transfer's transit leg is not counted)
    assert (mine["today"]["in_moves"], mine["today"]["out_moves"]) == (1, 1)
    assert (mine["today"]["in_value"], mine["today"]["out_value"]) == ("20.0000", "8.0000")
    assert mine["today"]["by_move_type"] == [
        {"move_type": "stock_in", "moves": 1, "in_value": "20.0000", "out_value": "0.0000"},
        {"move_type": "transfer_out", "moves": 1, "in_value": "0.0000", "out_value": "8.0000"},
    ]
    # the store's keeper: the same scope and counts, no values (issue 8: costs)
    kept = _get(client_for(keeper))
    assert [w["warehouse_code"] for w in kept["warehouses"]] == ["WH01"]
    assert [w["value"] for w in kept["warehouses"]] == [None]
    assert (kept["stock_value"], kept["in_transit_value"]) == (None, None)
    assert (kept["today"]["in_moves"], kept["today"]["out_moves"]) == (1, 1)
    assert (kept["today"]["in_value"], kept["today"]["out_value"]) == (None, None)
    assert [t["moves"] for t in kept["today"]["by_move_type"]] == [1, 1]
    assert {t["in_value"] for t in kept["today"]["by_move_type"]} == {None}
    # another store's warehouse: 403; the own one is allowed
    response = client_for(keeper).get(URL, {"warehouse": other_warehouse.id})
    assert response.status_code == 403
    assert _get(client_for(manager), warehouse=warehouse.id)["stock_value"] == "12.0000"
    assert _get(client_for(keeper), warehouse=warehouse.id)["sku_count"] == 1


def test_today_is_the_company_calendar_day(warehouse, sku, admin_user):
    """Shanghai's midnight is 16:00 UTC: a move at 15:59 UTC is yesterday there, one at
    16:01 UTC today; in a company on UTC both are today."""
    _post(
        "late",
        [MoveRequest(warehouse.id, sku.id, Decimal(1), "stock_in", unit_cost=Decimal(2))],
        at=datetime.datetime(2026, 11, 20, 15, 59, tzinfo=UTC),
    )
    _post(
        "early",
        [MoveRequest(warehouse.id, sku.id, Decimal(-1), "stock_out")],
        at=datetime.datetime(2026, 11, 20, 16, 1, tzinfo=UTC),
    )
    now = datetime.datetime(2026, 11, 20, 17, 0, tzinfo=UTC)
    company = Company.current()
    company.time_zone = "Asia/Shanghai"
    company.save()

    figures = selectors.dashboard(user=admin_user, now=now)
    assert figures["date"] == datetime.date(2026, 11, 21)
    today, yesterday = figures["trend"][-1], figures["trend"][-2]
    assert figures["today"] is today
    assert (today["in_moves"], today["out_moves"], today["out_value"]) == (0, 1, Decimal(2))
    assert (yesterday["date"], yesterday["in_moves"], yesterday["in_value"]) == (
        datetime.date(2026, 11, 20),
        1,
        Decimal(2),
    )
    assert [day["date"] for day in figures["trend"]] == [
        datetime.date(2026, 11, 15) + datetime.timedelta(days=n) for n in range(7)
    ]

    company.time_zone = "UTC"
    company.save()
    figures = selectors.dashboard(user=admin_user, now=now)
    assert figures["date"] == datetime.date(2026, 11, 20)
    assert (figures["today"]["in_moves"], figures["today"]["out_moves"]) == (1, 1)


def test_without_the_stock_permission_403(store, client_for):
    clerk = factories.user("nobody", roles=(), stores=(store,))
    response = client_for(clerk).get(URL)
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


def test_query_count_does_not_grow_with_rows(
    many_balances, admin_user, keeper, client_for, django_assert_max_num_queries
):
    for user in (admin_user, keeper):
        client = client_for(user)
        # 13: below safety stock per warehouse × SKU reads the warehouses in scope once
        with django_assert_max_num_queries(13):
            _get(client)


def test_a_reversed_stock_in_lowers_the_day_in_and_is_no_stock_out(warehouse, sku, admin_user):
    """红冲 of a stock-in takes the goods out again: the day's stock-in value nets to zero and
    its stock-out stays untouched (it used to count the reversal as a stock-out)."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
        reverse_stock_document,
    )

    received = create_and_post_stock_document(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(4), unit_cost=Decimal("2.5"))],
    )
    for kind in ("stock_in", "stock_out"):  # 1 more in and 1 out, so 4 are left to reverse
        create_and_post_stock_document(
            user=admin_user,
            kind=kind,
            warehouse_id=warehouse.id,
            lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1), unit_cost=Decimal("2.5"))],
        )
    before = selectors.dashboard(user=admin_user)["today"]
    assert (before["in_value"], before["out_value"]) == (Decimal("12.5"), Decimal("2.5"))

    reverse_stock_document(user=admin_user, document_id=received.id)
    today = selectors.dashboard(user=admin_user)["today"]
    assert today["out_value"] == Decimal("2.5")  # only the real stock-out
    assert today["out_moves"] == 1
    assert today["in_value"] == Decimal("2.5")  # 12.50 in, 10 of it reversed
    assert [(t["move_type"], t["in_value"], t["out_value"]) for t in today["by_move_type"]] == [
        ("stock_in", Decimal("2.5"), Decimal(0)),
        ("stock_out", Decimal(0), Decimal("2.5")),
    ]
