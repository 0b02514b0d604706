"""End-to-end: the destination keeper receives a shipped transfer by scanning. Nothing is
prefilled; each line names the batches shipped (batch number and expiry); a short line is
marked before confirming, the confirmation names the difference, and the short quantity is
recorded as a transfer discrepancy. Also: the detail page lists the batches sent."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def scan(page, code: str) -> None:
    field = page.locator(".ant-modal #scan-input")
    field.fill(code)
    field.press("Enter")


def test_receive_a_transfer_by_scanning(live_server, shop, open_page):
    from django.utils import timezone

    from storeledger.catalog.models import Tracking
    from storeledger.inventory.models import Transfer
    from storeledger.inventory.services import transfers as svc
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    user = shop["user"]
    milk = factories.sku(
        code="MILK",
        name="纯牛奶 250ml",
        barcode="6900000000031",
        tracking=Tracking.BATCH,
        base_unit=shop["unit"],
    )
    juice = factories.sku(
        code="JUICE", name="橙汁 1L", barcode="6900000000024", base_unit=shop["unit"]
    )
    today = timezone.localdate()
    for batch_no, days, quantity in (("M-LATE", 40, 5), ("M-EARLY", 10, 2)):
        create_and_post_stock_document(
            user=user,
            kind="stock_in",
            warehouse_id=shop["warehouse"].pk,
            lines=[
                StockLineInput(
                    sku_id=milk.pk,
                    quantity=Decimal(quantity),
                    unit_cost=Decimal("2"),
                    batch_no=batch_no,
                    expiry_date=today + datetime.timedelta(days=days),
                )
            ],
        )
    create_and_post_stock_document(
        user=user,
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=juice.pk, quantity=Decimal(3), unit_cost=Decimal("4"))],
    )
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    factories.user("keeper2", roles=("warehouse_keeper",), stores=(other.store,), password=PASSWORD)
    transfer = svc.create_transfer(
        user=user,
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[
            svc.TransferLineInput(sku_id=milk.pk, quantity=Decimal(4)),
            svc.TransferLineInput(sku_id=juice.pk, quantity=Decimal(3)),
        ],
    )
    svc.submit_transfer(user=user, transfer_id=transfer.pk)
    svc.approve_transfer(user=user, transfer_id=transfer.pk)
    svc.ship_transfer(user=user, transfer_id=transfer.pk)

    page = open_page()
    login(page, live_server.url, "keeper2")
    page.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}")
    early = (today + datetime.timedelta(days=10)).isoformat()
    # the batches sent, first expiry first, instead of "automatic (FEFO)"
    expect(page.get_by_test_id("shipped-batches-MILK")).to_contain_text("M-EARLY")
    expect(page.get_by_test_id("shipped-batches-MILK")).to_contain_text(early)
    expect(page.get_by_test_id("shipped-batches-MILK")).to_contain_text("M-LATE")

    page.get_by_test_id("action-receive").click()
    dialog = page.locator(".ant-modal").filter(has=page.locator("#scan-input"))
    expect(dialog.get_by_test_id("receive-MILK")).to_have_value("")
    expect(dialog.get_by_test_id("receive-JUICE")).to_have_value("")
    expect(dialog.get_by_test_id("receive-batches-MILK")).to_contain_text("M-EARLY")
    expect(dialog.get_by_test_id("receive-batches-MILK")).to_contain_text(early)
    expect(dialog.get_by_test_id("receive-diff-MILK")).to_have_text("未清点")

    for _ in range(4):
        scan(page, "6900000000031")
    for _ in range(2):
        scan(page, "6900000000024")
    expect(dialog.get_by_test_id("receive-MILK")).to_have_value("4")
    expect(dialog.get_by_test_id("receive-JUICE")).to_have_value("2")
    expect(dialog.get_by_test_id("receive-diff-MILK")).to_have_text("相符")
    expect(dialog.get_by_test_id("receive-diff-JUICE")).to_have_text("少 1")
    expect(dialog.locator("tr.sl-line-error")).to_have_count(1)
    expect(dialog.get_by_test_id("receive-summary")).to_contain_text("少收 1 行")
    scan(page, "6900000000099")
    expect(dialog.get_by_test_id("scan-status")).to_contain_text("6900000000099")
    shot(page, "transfer-receive-scan-zh-desktop")

    dialog.get_by_test_id("receive-confirm").click()
    confirm = page.get_by_test_id("receive-confirm-differences")
    expect(page.locator(".ant-modal-confirm")).to_contain_text("1 行少收或未清点")
    confirm.click()
    expect(page.get_by_test_id("doc-status")).to_have_text("已过账")

    line = Transfer.objects.get(pk=transfer.pk).lines.get(sku=juice)
    assert (line.received_quantity, line.discrepancy_quantity) == (Decimal(2), Decimal(1))
    milk_line = Transfer.objects.get(pk=transfer.pk).lines.get(sku=milk)
    assert (milk_line.received_quantity, milk_line.discrepancy_quantity) == (Decimal(4), 0)
    assert page.js_errors == []


def test_a_shipped_transfer_on_a_phone_shows_its_quantities(live_server, shop, open_page):
    """On a 375 px phone a transfer's line shows its quantity, shipped and in-transit figures in
    view (one cell per line), not behind the lines table's sideways scroll."""
    from storeledger.inventory.services import transfers as svc
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    juice = factories.sku(code="JUICE", name="橙汁 1L", base_unit=shop["unit"])
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].pk,
        lines=[StockLineInput(sku_id=juice.pk, quantity=Decimal(9), unit_cost=Decimal("2"))],
    )
    other = factories.warehouse(
        factories.store("0002", name="二号店"), code="WH02", name="二号店仓库"
    )
    transfer = svc.create_transfer(
        user=shop["user"],
        from_warehouse_id=shop["warehouse"].pk,
        to_warehouse_id=other.pk,
        lines=[svc.TransferLineInput(sku_id=juice.pk, quantity=Decimal(4))],
    )
    svc.ship_transfer(user=shop["user"], transfer_id=transfer.pk)

    page = open_page(PHONE, lang="en")
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text("EN").click()
    page.goto(f"{live_server.url}/inventory/transfers/{transfer.pk}")
    expect(page.get_by_test_id("quantity-JUICE")).to_have_text("Quantity 4 个")
    expect(page.get_by_test_id("shipped-JUICE")).to_contain_text("4")
    expect(page.get_by_test_id("in-transit-JUICE")).to_contain_text("4")
    for key in ("quantity", "shipped", "received", "in-transit"):
        box = page.get_by_test_id(f"{key}-JUICE").bounding_box()
        assert box is not None and box["x"] + box["width"] <= PHONE["width"], (key, box)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "transfer-detail-en-phone")
    assert page.js_errors == []
