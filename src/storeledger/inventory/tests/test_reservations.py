"""Reservations in the ledger: reserve / release / consume-on-post through the posting's lock
path, balance.reserved kept equal to the open reservations, available = on hand − reserved,
and the available-to-promise selector. Runs on SQLite and PostgreSQL."""

import datetime
from decimal import Decimal

import pytest
from django.db import transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storeledger.core.errors import InsufficientStock, ValidationFailed
from storeledger.inventory import ledger, selectors
from storeledger.inventory.ledger import MoveRequest, ReserveRequest, get_or_create_batch
from storeledger.inventory.models import Reservation, StockBalance, StockMove
from storeledger.inventory.verify import verify_ledger
from storeledger.testing import factories
from storeledger.testing.races import LockWaits, hold_locks, race

pytestmark = pytest.mark.django_db

ORDER = "test_order"  # a document type key, as sales orders will register theirs


def stock_in(warehouse, sku, quantity, batch=None, key=None):
    factories.posting(
        key or factories.unique("in"),
        [
            MoveRequest(
                warehouse.id,
                sku.id,
                Decimal(quantity),
                "stock_in",
                batch_id=batch.id if batch else None,
                unit_cost=Decimal(2),
            )
        ],
    )


def reserve(lines, document_id=1):
    with transaction.atomic():
        return ledger.reserve(document_type=ORDER, document_id=document_id, lines=lines)


def release(document_id=1, lines=None):
    with transaction.atomic():
        return ledger.release(document_type=ORDER, document_id=document_id, lines=lines)


def deliver(moves, key=None):
    return factories.posting(key or factories.unique("out"), moves)


def balance(warehouse, sku, batch=None):
    return StockBalance.objects.get(warehouse=warehouse, sku=sku, batch=batch)


def test_reserving_takes_stock_out_of_available_and_writes_one_row_per_line(warehouse, sku):
    stock_in(warehouse, sku, 10)

    rows = reserve(
        [ReserveRequest(line_id=11, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )
    reserve(
        [ReserveRequest(line_id=11, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(2))]
    )

    row = Reservation.objects.get()
    assert row.pk == rows[0].pk
    assert (row.document_type, row.document_id, row.line_id) == (ORDER, 1, 11)
    assert (row.quantity, row.consumed, row.released) == (6, 0, 0)
    b = balance(warehouse, sku)
    assert (b.on_hand, b.reserved, b.available) == (10, 6, 4)
    assert StockMove.objects.count() == 1  # a reservation moves no stock
    assert verify_ledger().ok


def test_reserving_more_than_available_names_every_short_line_and_changes_nothing(warehouse, sku):
    other = factories.sku(code="SKU-WATER")
    stock_in(warehouse, sku, 5)
    stock_in(warehouse, other, 1)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(3))]
    )

    with pytest.raises(InsufficientStock) as refused:
        reserve(
            [
                ReserveRequest(
                    line_id=2, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(3)
                ),
                ReserveRequest(
                    line_id=3, warehouse_id=warehouse.id, sku_id=other.id, quantity=Decimal(1)
                ),
                ReserveRequest(
                    line_id=4, warehouse_id=warehouse.id, sku_id=other.id, quantity=Decimal(5)
                ),
            ],
            document_id=2,
        )

    error = refused.value
    assert error.code == "insufficient_stock"
    shortages = error.details["shortages"]
    assert [(s["line_id"], s["sku"], s["requested"], s["available"]) for s in shortages] == [
        (2, "SKU-COLA", "3.0000", "2.0000"),
        (4, "SKU-WATER", "5.0000", "0.0000"),  # line 3 took the last one
    ]
    assert "And 1 more line is short." in error.message
    assert Reservation.objects.filter(document_id=2).count() == 0
    assert balance(warehouse, sku).reserved == 3
    assert balance(warehouse, other).reserved == 0


def test_reserving_needs_stock_even_where_negative_stock_is_allowed(store, sku):
    loose = factories.warehouse(store, code="WHNEG", allow_negative_stock=True)
    deliver([MoveRequest(loose.id, sku.id, Decimal(-2), "stock_out")])  # allowed: -2

    with pytest.raises(InsufficientStock):
        reserve(
            [ReserveRequest(line_id=1, warehouse_id=loose.id, sku_id=sku.id, quantity=Decimal(1))]
        )
    assert not Reservation.objects.exists()


def test_bad_reservation_input_is_a_clear_error(warehouse, sku):
    with pytest.raises(ValidationFailed) as zero:
        reserve(
            [
                ReserveRequest(
                    line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(0)
                )
            ]
        )
    assert zero.value.code == "invalid_quantity"
    with pytest.raises(ValidationFailed) as unknown:
        reserve(
            [
                ReserveRequest(
                    line_id=1, warehouse_id=warehouse.id, sku_id=999999, quantity=Decimal(1)
                )
            ]
        )
    assert unknown.value.code == "unknown_sku"
    with pytest.raises(ValidationFailed) as empty:
        reserve([])
    assert empty.value.code == "no_lines"


def test_other_postings_cannot_take_reserved_stock(warehouse, sku):
    stock_in(warehouse, sku, 10)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(8))]
    )

    with pytest.raises(InsufficientStock) as refused:
        deliver([MoveRequest(warehouse.id, sku.id, Decimal(-3), "stock_out")])
    assert refused.value.details["available"] == "2.0000"

    deliver([MoveRequest(warehouse.id, sku.id, Decimal(-2), "stock_out")])  # positive control
    assert balance(warehouse, sku).on_hand == 8


def test_posting_consumes_the_reservation_of_the_line_it_delivers(warehouse, sku):
    stock_in(warehouse, sku, 10)
    reserve(
        [ReserveRequest(line_id=7, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(8))]
    )

    deliver([MoveRequest(warehouse.id, sku.id, Decimal(-5), "sale", reservation=(ORDER, 7))])

    row = Reservation.objects.get()
    assert (row.quantity, row.consumed) == (3, 5)
    b = balance(warehouse, sku)
    assert (b.on_hand, b.reserved, b.available) == (5, 3, 2)
    # the rest of the line and more: its 3 reserved plus 2 free
    deliver([MoveRequest(warehouse.id, sku.id, Decimal(-5), "sale", reservation=(ORDER, 7))])
    row.refresh_from_db()
    assert (row.quantity, row.consumed) == (0, 8)
    b = balance(warehouse, sku)
    assert (b.on_hand, b.reserved) == (0, 0)
    assert verify_ledger().ok


def test_a_refused_delivery_leaves_the_reservation_open(warehouse, sku):
    stock_in(warehouse, sku, 4)
    reserve(
        [ReserveRequest(line_id=7, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )

    with pytest.raises(InsufficientStock):
        deliver([MoveRequest(warehouse.id, sku.id, Decimal(-6), "sale", reservation=(ORDER, 7))])

    assert Reservation.objects.get().quantity == 4
    assert balance(warehouse, sku).reserved == 4


def test_batch_tracked_lines_reserve_and_consume_first_expiry_first_out(warehouse):
    tracked = factories.sku(code="MILK", tracking="batch")
    today = timezone.localdate()
    expired = get_or_create_batch(
        sku=tracked, batch_no="OLD", expiry_date=today - datetime.timedelta(days=1)
    )
    soon = get_or_create_batch(
        sku=tracked, batch_no="SOON", expiry_date=today + datetime.timedelta(days=5)
    )
    later = get_or_create_batch(
        sku=tracked, batch_no="LATER", expiry_date=today + datetime.timedelta(days=30)
    )
    stock_in(warehouse, tracked, 9, expired)
    stock_in(warehouse, tracked, 3, soon)
    stock_in(warehouse, tracked, 10, later)

    reserve(
        [
            ReserveRequest(
                line_id=1, warehouse_id=warehouse.id, sku_id=tracked.id, quantity=Decimal(5)
            )
        ]
    )

    held = dict(Reservation.objects.values_list("balance__batch__batch_no", "quantity"))
    assert held == {"SOON": 3, "LATER": 2}  # the expired batch is not promised
    # someone else's FEFO issue cannot take the reserved units of SOON: it goes to LATER
    deliver([MoveRequest(warehouse.id, tracked.id, Decimal(-8), "stock_out")])
    assert balance(warehouse, tracked, soon).on_hand == 3
    assert balance(warehouse, tracked, later).on_hand == 2

    deliver([MoveRequest(warehouse.id, tracked.id, Decimal(-5), "sale", reservation=(ORDER, 1))])

    assert balance(warehouse, tracked, soon).on_hand == 0
    assert balance(warehouse, tracked, later).on_hand == 0
    assert not StockBalance.objects.filter(reserved__gt=0).exists()
    assert verify_ledger().ok


def test_release_gives_back_part_of_a_line_all_of_it_or_the_whole_document(warehouse, sku):
    stock_in(warehouse, sku, 10)
    reserve(
        [
            ReserveRequest(
                line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4)
            ),
            ReserveRequest(
                line_id=2, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(3)
            ),
        ]
    )

    assert release(lines={1: Decimal(1)}) == 1
    assert balance(warehouse, sku).reserved == 6
    with pytest.raises(ValidationFailed) as over:
        release(lines={1: Decimal(4)})
    assert over.value.code == "not_reserved"
    assert balance(warehouse, sku).reserved == 6  # nothing changed
    assert release(lines={1: None}) == 3
    assert release() == 3  # what is left: line 2
    assert release() == 0
    rows = dict(Reservation.objects.values_list("line_id", "released"))
    assert rows == {1: 4, 2: 3}
    assert balance(warehouse, sku).reserved == 0
    assert verify_ledger().ok


def test_verify_ledger_finds_a_reserved_quantity_that_is_not_its_reservations(warehouse, sku):
    stock_in(warehouse, sku, 10)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )
    assert verify_ledger().ok  # positive control

    StockBalance.objects.filter(warehouse=warehouse, sku=sku).update(reserved=Decimal(1))

    [problem] = verify_ledger().discrepancies
    assert problem.problem == "reserved differs from the sum of its open reservations"
    assert (problem.expected, problem.actual) == ("4", "1")


def test_available_to_promise_per_warehouse_and_per_store(store, warehouse, other_warehouse, sku):
    second = factories.warehouse(store, code="WH01B")
    central = factories.warehouse(None, code="C01")
    tracked = factories.sku(code="MILK", tracking="batch")
    gone = get_or_create_batch(
        sku=tracked, batch_no="OLD", expiry_date=timezone.localdate() - datetime.timedelta(days=1)
    )
    stock_in(warehouse, sku, 10)
    stock_in(second, sku, 5)
    stock_in(other_warehouse, sku, 7)
    stock_in(central, sku, 1)
    stock_in(warehouse, tracked, 6, gone)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )

    rows = selectors.available_to_promise(user=None, sku_ids=[sku.id, tracked.id])
    got = {
        (r["sku_id"], r["warehouse_id"]): (r["qty_on_hand"], r["qty_reserved"], r["qty_promisable"])
        for r in rows
    }
    assert got == {
        (sku.id, warehouse.id): (10, 4, 6),
        (sku.id, second.id): (5, 0, 5),
        (sku.id, other_warehouse.id): (7, 0, 7),
        (sku.id, central.id): (1, 0, 1),
        (tracked.id, warehouse.id): (6, 0, 0),  # an expired batch is not promised
    }
    per_store = {
        (r["sku_id"], r["store_id"]): r["qty_promisable"]
        for r in selectors.available_to_promise(user=None, sku_ids=[sku.id], per="store")
    }
    assert per_store == {
        (sku.id, store.id): 11,
        (sku.id, other_warehouse.store_id): 7,
        (sku.id, None): 1,
    }
    keeper = factories.user("k2", stores=(store,))
    scoped = selectors.available_to_promise(user=keeper, sku_ids=[sku.id], per="store")
    assert [(r["store_id"], r["qty_promisable"]) for r in scoped] == [(store.id, 11)]


def test_stock_balances_api_shows_reserved_and_available(warehouse, sku, admin_user, client_for):
    stock_in(warehouse, sku, 10)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )

    response = client_for(admin_user).get("/api/v1/stock-balances/", {"sku": sku.id})

    assert response.status_code == 200
    [row] = response.json()["results"]
    assert (row["on_hand"], row["reserved"], row["available"]) == ("10.0000", "4.0000", "6.0000")


# ---------------------------------------------------------------- hypothesis

steps = st.lists(
    st.one_of(
        st.tuples(st.just("receive"), st.integers(0, 1), st.integers(1, 6)),
        st.tuples(st.just("reserve"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 6)),
        st.tuples(st.just("release"), st.integers(0, 3), st.integers(0, 6)),
        st.tuples(st.just("deliver"), st.integers(0, 1), st.integers(0, 3), st.integers(1, 6)),
        st.tuples(st.just("issue"), st.integers(0, 1), st.just(-1), st.integers(1, 6)),
    ),
    min_size=1,
    max_size=12,
)


def _free(warehouse, sku) -> Decimal:
    b = StockBalance.objects.filter(warehouse=warehouse, sku=sku).first()
    return (b.on_hand - b.reserved) if b else Decimal(0)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(steps=steps)
def test_random_reservations_keep_reserved_equal_to_open_reservations(steps, store):
    """Random receipts, reservations, releases, deliveries against reservations and plain
    issues in a warehouse that forbids negative stock (0) and one that allows it (1): after
    every step the ledger verifies (reserved = open reservations), each balance's reserved is
    what the model predicts, and available never goes below zero where it is forbidden."""
    with transaction.atomic():  # each example rolls back
        warehouses = [factories.warehouse(store, allow_negative_stock=n) for n in (False, True)]
        item = factories.sku()
        held: dict[int, Decimal] = {}  # line -> its open reserved quantity
        home: dict[int, int] = {}  # line -> the warehouse it reserves in
        for step in steps:
            kind = step[0]
            if kind == "receive":
                stock_in(warehouses[step[1]], item, step[2])
            elif kind == "reserve":
                _, w, line, q = step
                w = home.setdefault(line, w)
                free = _free(warehouses[w], item)
                try:
                    reserve([ReserveRequest(line, warehouses[w].id, item.id, Decimal(q))])
                except InsufficientStock:
                    assert free < q
                else:
                    assert free >= q
                    held[line] = held.get(line, Decimal(0)) + q
            elif kind == "release":
                _, line, q = step
                amount = min(Decimal(q), held.get(line, Decimal(0)))
                assert release(lines={line: amount}) == amount
                held[line] = held.get(line, Decimal(0)) - amount
            else:
                _, w, line, q = step
                delivers = kind == "deliver" and home.get(line) == w
                request = MoveRequest(
                    warehouses[w].id,
                    item.id,
                    -Decimal(q),
                    "sale",
                    reservation=(ORDER, line) if kind == "deliver" else None,
                )
                consumable = held.get(line, Decimal(0)) if delivers else Decimal(0)
                free = _free(warehouses[w], item)
                try:
                    deliver([request])
                except InsufficientStock:
                    assert w == 0
                    assert free + consumable < q
                else:
                    if delivers:
                        held[line] = consumable - min(consumable, Decimal(q))
            assert verify_ledger().ok
            for w, warehouse in enumerate(warehouses):
                b = StockBalance.objects.filter(warehouse=warehouse, sku=item).first()
                expected = sum((q for ln, q in held.items() if home.get(ln) == w), Decimal(0))
                assert (b.reserved if b else Decimal(0)) == expected
                if w == 0 and b is not None:
                    assert b.on_hand - b.reserved >= 0
        transaction.set_rollback(True)


# ---------------------------------------------------------------- PostgreSQL race


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_reservations_of_the_last_units_exactly_one_wins(monkeypatch):
    """Two orders reserve the last 5 units at once. The second waits on the first's balance
    lock (a watcher sees a backend waiting on a lock: the race happened), then sees 0
    available and is refused; the balance holds exactly one reservation."""
    store = factories.store("0001")
    warehouse = factories.warehouse(store, code="WH01")
    item = factories.sku(code="LAST5")
    stock_in(warehouse, item, 5)

    def reserve_last_units(index):
        return lambda: reserve(
            [
                ReserveRequest(
                    line_id=index + 1,
                    warehouse_id=warehouse.id,
                    sku_id=item.id,
                    quantity=Decimal(5),
                )
            ],
            document_id=index + 1,
        )

    hold_locks(monkeypatch, ledger, "_select_locked")
    with LockWaits() as waits:
        outcomes = race([reserve_last_units(0), reserve_last_units(1)])

    assert sorted(outcomes) == ["insufficient_stock", "ok"], outcomes
    assert waits.most >= 1  # one reservation really waited for the other's lock
    b = StockBalance.objects.get(warehouse=warehouse, sku=item)
    assert (b.on_hand, b.reserved) == (5, 5)
    winner = outcomes.index("ok") + 1
    assert list(Reservation.objects.values_list("line_id", "quantity")) == [(winner, 5)]
    assert verify_ledger().ok


AVAILABLE = "/api/v1/stock/available/"


def test_available_to_promise_api_per_warehouse_and_per_store(
    store, warehouse, other_warehouse, sku, admin_user, client_for
):
    second = factories.warehouse(store, code="WH01B")
    stock_in(warehouse, sku, 10)
    stock_in(second, sku, 5)
    stock_in(other_warehouse, sku, 7)
    reserve(
        [ReserveRequest(line_id=1, warehouse_id=warehouse.id, sku_id=sku.id, quantity=Decimal(4))]
    )
    api = client_for(admin_user)

    one = api.get(AVAILABLE, {"sku": sku.id, "warehouse": warehouse.id})
    assert one.status_code == 200, one.json()
    assert one.json() == [
        {
            "sku": sku.id,
            "warehouse": warehouse.id,
            "store": None,
            "on_hand": "10.0000",
            "reserved": "4.0000",
            "available": "6.0000",
        }
    ]
    stores = api.get(AVAILABLE, {"sku": sku.id, "per": "store"}).json()
    assert [(row["store"], row["available"]) for row in stores] == [
        (store.id, "11.0000"),
        (other_warehouse.store_id, "7.0000"),
    ]
    of_store = api.get(AVAILABLE, {"sku": sku.id, "store": store.id}).json()
    assert [(row["warehouse"], row["available"]) for row in of_store] == [
        (warehouse.id, "6.0000"),
        (second.id, "5.0000"),
    ]


def test_available_to_promise_api_keeps_to_the_users_scope(
    store, warehouse, other_warehouse, sku, client_for
):
    stock_in(warehouse, sku, 10)
    stock_in(other_warehouse, sku, 7)
    keeper = factories.user("k3", roles=("warehouse_keeper",), stores=(store,))
    api = client_for(keeper)

    rows = api.get(AVAILABLE, {"sku": sku.id}).json()
    assert [(row["warehouse"], row["available"]) for row in rows] == [(warehouse.id, "10.0000")]
    other = api.get(AVAILABLE, {"sku": sku.id, "warehouse": other_warehouse.id})
    assert (other.status_code, other.json()["code"]) == (403, "out_of_scope")
    other_store = api.get(AVAILABLE, {"sku": sku.id, "store": other_warehouse.store_id})
    assert (other_store.status_code, other_store.json()["code"]) == (403, "out_of_scope")


def test_available_to_promise_api_refuses_bad_input(sku, admin_user, client_for):
    api = client_for(admin_user)

    missing = api.get(AVAILABLE)
    assert (missing.status_code, list(missing.json()["fields"])) == (400, ["sku"])
    unknown = api.get(AVAILABLE, {"sku": 2**31 - 1})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "not_found")
    assert unknown.json()["fields"] == {"sku": ["Unknown SKU."]}
    bad_per = api.get(AVAILABLE, {"sku": sku.id, "per": "bin"})
    assert (bad_per.status_code, list(bad_per.json()["fields"])) == (400, ["per"])
    misspelt = api.get(AVAILABLE, {"sku": sku.id, "wharehouse": 1})
    assert (misspelt.status_code, misspelt.json()["code"]) == (400, "unknown_parameter")
    huge = api.get(AVAILABLE, {"sku": 2**31})
    assert (huge.status_code, list(huge.json()["fields"])) == (400, ["sku"])
