"""Bin locations on transfers: picked from a bin of the source, put away to bins of the
destination; the stock by location follows and adds up to the balances."""

from decimal import Decimal

import pytest

from storeledger.core.errors import ValidationFailed
from storeledger.inventory import selectors
from storeledger.inventory.models import StockBalance, StockMove
from storeledger.inventory.services import transfers as svc
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.documents import create_and_post_stock_document as post_doc
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import Location
from storeledger.printing import documents as sheets
from storeledger.printing import selectors as printing
from storeledger.testing import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def bins(warehouse, other_warehouse):
    """A-01 in WH01 (10 COLA on it, see `stocked`); B-01 and B-02 in WH02."""
    return (
        Location.objects.create(warehouse=warehouse, code="A-01"),
        Location.objects.create(warehouse=other_warehouse, code="B-01"),
        Location.objects.create(warehouse=other_warehouse, code="B-02"),
    )


@pytest.fixture
def stocked(admin_user, warehouse, sku, bins):
    post_doc(
        user=admin_user,
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[
            StockLineInput(
                sku_id=sku.id,
                quantity=Decimal(10),
                unit_cost=Decimal("2.00"),
                location_id=bins[0].id,
            )
        ],
    )


def by_location(user, sku) -> list[tuple[str, str | None, Decimal]]:
    return [
        (row["warehouse_code"], row["location_code"], row["qty_on_hand"])
        for row in selectors.stock_by_location(user=user, sku_id=sku.id)
    ]


def assert_locations_add_up(user) -> None:
    sums: dict[tuple, Decimal] = {}
    for row in selectors.stock_by_location(user=user):
        key = (row["warehouse_id"], row["sku_id"], row["batch_id"])
        sums[key] = sums.get(key, Decimal(0)) + row["qty_on_hand"]
    balances = {
        (b.warehouse_id, b.sku_id, b.batch_id): b.on_hand
        for b in StockBalance.objects.exclude(on_hand=0).exclude(warehouse__kind="transit")
    }
    assert sums == balances
    assert verify_ledger().ok


def shipped(user, source, destination, sku, quantity=6, **line):
    transfer = svc.create_transfer(
        user=user,
        from_warehouse_id=source.id,
        to_warehouse_id=destination.id,
        lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(quantity), **line)],
    )
    svc.ship_transfer(user=user, transfer_id=transfer.id)
    return transfer


def test_ship_from_a_bin_and_receive_into_bins(
    admin_user, stocked, bins, warehouse, other_warehouse, sku
):
    shelf_a, shelf_b1, shelf_b2 = bins
    transfer = shipped(admin_user, warehouse, other_warehouse, sku, from_location_id=shelf_a.id)
    line = transfer.lines.get()
    assert line.from_location == shelf_a
    out = StockMove.objects.get(warehouse=warehouse, move_type="transfer_out")
    assert (out.location_id, out.quantity) == (shelf_a.id, Decimal(-6))
    assert by_location(admin_user, sku) == [("WH01", "A-01", Decimal(4))]

    # 4 into B-02; then 1 without naming a bin: the line's bin (B-02) again
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(4), to_location_id=shelf_b2.id)],
    )
    line.refresh_from_db()
    assert line.to_location == shelf_b2
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(1))],
        close=True,
    )
    received = StockMove.objects.filter(warehouse=other_warehouse).order_by("id")
    assert [(m.location_id, m.quantity) for m in received] == [
        (shelf_b2.id, Decimal(4)),
        (shelf_b2.id, Decimal(1)),
    ]
    assert by_location(admin_user, sku) == [
        ("WH01", "A-01", Decimal(4)),
        ("WH02", "B-02", Decimal(5)),
    ]
    assert shelf_b1.code == "B-01"  # untouched bin of the destination: no row
    assert_locations_add_up(admin_user)

    # the reversal takes the stock back out of the same bins
    svc.reverse_transfer(user=admin_user, transfer_id=transfer.id)
    assert by_location(admin_user, sku) == [("WH01", "A-01", Decimal(10))]
    assert_locations_add_up(admin_user)


def test_one_line_put_away_to_two_bins(admin_user, stocked, bins, warehouse, other_warehouse, sku):
    _shelf_a, shelf_b1, shelf_b2 = bins
    transfer = shipped(admin_user, warehouse, other_warehouse, sku)
    line = transfer.lines.get()
    # the unpicked line leaves the source without a bin: the rest of A-01 stays there
    assert by_location(admin_user, sku) == [
        ("WH01", "A-01", Decimal(10)),
        ("WH01", None, Decimal(-6)),
    ]
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=shelf_b1.id)],
    )
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[
            ReceiveLineInput(line_id=line.id, quantity=Decimal(2)),  # the line's bin, B-01
            ReceiveLineInput(line_id=line.id, quantity=Decimal(3), to_location_id=shelf_b2.id),
        ],
    )
    line.refresh_from_db()
    assert (line.received_quantity, line.to_location) == (Decimal(6), shelf_b2)
    assert by_location(admin_user, sku)[2:] == [
        ("WH02", "B-01", Decimal(3)),
        ("WH02", "B-02", Decimal(3)),
    ]
    assert_locations_add_up(admin_user)


def test_a_bin_of_another_warehouse_is_refused_and_nothing_changes(
    admin_user, stocked, bins, warehouse, other_warehouse, sku
):
    shelf_a, shelf_b1, shelf_b2 = bins
    with pytest.raises(ValidationFailed) as wrong_source:
        svc.create_transfer(
            user=admin_user,
            from_warehouse_id=warehouse.id,
            to_warehouse_id=other_warehouse.id,
            lines=[
                TransferLineInput(sku_id=sku.id, quantity=Decimal(1), from_location_id=shelf_b1.id)
            ],
        )
    assert wrong_source.value.code == "wrong_location"
    assert wrong_source.value.fields == {
        "lines.0.from_location": ["Location B-01 is not a location of warehouse WH01."]
    }
    transfer = shipped(admin_user, warehouse, other_warehouse, sku)
    line = transfer.lines.get()
    moves = StockMove.objects.count()
    with pytest.raises(ValidationFailed) as wrong_receipt:
        svc.receive_transfer(
            user=admin_user,
            transfer_id=transfer.id,
            lines=[
                ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=shelf_b1.id),
                ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=shelf_a.id),
            ],
        )
    assert wrong_receipt.value.message == "Location A-01 is not a location of warehouse WH02."
    assert list(wrong_receipt.value.fields) == ["lines.1.to_location"]
    shelf_b1.active = False
    shelf_b1.save()
    with pytest.raises(ValidationFailed) as inactive:
        svc.receive_transfer(
            user=admin_user,
            transfer_id=transfer.id,
            lines=[
                ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=shelf_b1.id)
            ],
        )
    assert inactive.value.message == "Location B-01 of warehouse WH02 is inactive."
    with pytest.raises(ValidationFailed) as unknown:
        svc.receive_transfer(
            user=admin_user,
            transfer_id=transfer.id,
            lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=99999)],
        )
    assert unknown.value.message == "The chosen location does not exist."
    line.refresh_from_db()
    transfer.refresh_from_db()
    assert (transfer.status, line.received_quantity, StockMove.objects.count()) == (
        "shipped",
        Decimal(0),
        moves,
    )
    # positive control: a bin of the destination is taken
    svc.receive_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        lines=[ReceiveLineInput(line_id=line.id, quantity=Decimal(1), to_location_id=shelf_b2.id)],
    )
    assert StockMove.objects.count() == moves + 2


def test_draft_edits_keep_the_bin_until_the_source_changes(
    admin_user, bins, warehouse, other_warehouse, store, sku
):
    shelf_a, _shelf_b1, _shelf_b2 = bins
    transfer = svc.create_transfer(
        user=admin_user,
        from_warehouse_id=warehouse.id,
        to_warehouse_id=other_warehouse.id,
        lines=[TransferLineInput(sku_id=sku.id, quantity=Decimal(2), from_location_id=shelf_a.id)],
    )
    third = factories.warehouse(store, code="WH03")
    svc.update_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        version=transfer.version,
        to_warehouse_id=third.id,
        notes="later",
    )
    assert transfer.lines.get().from_location == shelf_a

    # another source: A-01 is not one of its bins, the line stays without one
    svc.update_transfer(
        user=admin_user,
        transfer_id=transfer.id,
        version=transfer.version + 1,
        from_warehouse_id=other_warehouse.id,
    )
    line = transfer.lines.get()
    assert (line.sku_id, line.quantity, line.from_location) == (sku.id, Decimal(2), None)


def test_the_transfer_slip_shows_bin_columns_only_when_a_line_has_one(
    admin_user, stocked, bins, warehouse, other_warehouse, sku
):
    shelf_a, shelf_b1, _shelf_b2 = bins
    plain = shipped(admin_user, warehouse, other_warehouse, sku, quantity=3)
    sheet = sheets.transfer_sheet(printing.transfer(user=admin_user, transfer_id=plain.id))
    assert "From location" not in [column.heading for column in sheet.columns]

    picked = shipped(
        admin_user, warehouse, other_warehouse, sku, quantity=3, from_location_id=shelf_a.id
    )
    svc.receive_transfer(
        user=admin_user,
        transfer_id=picked.id,
        lines=[
            ReceiveLineInput(
                line_id=picked.lines.get().id, quantity=Decimal(3), to_location_id=shelf_b1.id
            )
        ],
    )
    sheet = sheets.transfer_sheet(printing.transfer(user=admin_user, transfer_id=picked.id))
    headings = [column.heading for column in sheet.columns]
    assert headings[6:9] == ["Batch", "From location", "To location"]
    assert sheet.rows[0][7:9] == ["A-01", "B-01"]
    assert len(sheet.totals) == len(sheet.columns)
    assert sum(column.width for column in sheet.columns) == sum(
        column.width
        for column in sheets.transfer_sheet(
            printing.transfer(user=admin_user, transfer_id=plain.id)
        ).columns
    )


# ---------------------------------------------------------------- over the API


def test_transfer_with_bins_through_the_api(
    client_for, stocked, bins, keeper, manager, other_store, warehouse, other_warehouse, sku
):
    shelf_a, shelf_b1, _shelf_b2 = bins
    there = client_for(
        factories.user("keeper2", roles=("warehouse_keeper",), stores=(other_store,))
    )
    api = client_for(keeper)
    refused = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "6", "from_location": shelf_b1.id}],
        },
        format="json",
    )
    assert refused.status_code == 400
    assert refused.json()["code"] == "wrong_location"
    assert refused.json()["fields"] == {
        "lines.0.from_location": ["Location B-01 is not a location of warehouse WH01."]
    }

    created = api.post(
        "/api/v1/transfers/",
        {
            "from_warehouse": warehouse.id,
            "to_warehouse": other_warehouse.id,
            "lines": [{"sku": sku.id, "quantity": "6", "from_location": shelf_a.id}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    url = f"/api/v1/transfers/{created.json()['id']}/"
    line = created.json()["lines"][0]
    assert (line["from_location"], line["from_location_code"]) == (shelf_a.id, "A-01")
    assert (line["to_location"], line["to_location_code"]) == (None, None)
    # a version-checked edit that resends the lines keeps the bin
    edited = api.put(
        url,
        {
            "version": created.json()["version"],
            "lines": [{"sku": sku.id, "quantity": "6", "from_location": shelf_a.id}],
        },
        format="json",
    )
    assert edited.status_code == 200, edited.json()
    line = edited.json()["lines"][0]  # the lines were replaced
    assert line["from_location_code"] == "A-01"
    assert api.post(url + "submit/").status_code == 200
    assert client_for(manager).post(url + "approve/").status_code == 200
    assert api.post(url + "ship/").status_code == 200

    # the destination's keeper puts it away; a bin of the source is refused
    wrong = there.post(
        url + "receive/",
        {"lines": [{"line": line["id"], "quantity": "6", "to_location": shelf_a.id}]},
        format="json",
    )
    assert wrong.status_code == 400
    assert wrong.json()["fields"] == {
        "lines.0.to_location": ["Location A-01 is not a location of warehouse WH02."]
    }
    received = there.post(
        url + "receive/",
        {"lines": [{"line": line["id"], "quantity": "6", "to_location": shelf_b1.id}]},
        format="json",
    )
    assert received.status_code == 200, received.json()
    assert received.json()["status"] == "posted"
    assert received.json()["lines"][0]["to_location_code"] == "B-01"

    rows = client_for(keeper).get("/api/v1/stock-by-location/", {"sku": sku.id}).json()
    assert [(r["location_code"], r["on_hand"]) for r in rows["results"]] == [("A-01", "4.0000")]
    rows = there.get("/api/v1/stock-by-location/", {"sku": sku.id}).json()
    assert [(r["location_code"], r["on_hand"]) for r in rows["results"]] == [("B-01", "6.0000")]
