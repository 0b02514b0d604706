"""End-to-end: edit a saved draft return to a supplier from a warehouse, by batch (not from one
receipt): its batch line's quantity changes, a line of the SKU's other batch is added, the
reason changes; it saves with the draft's version (the database holds the new lines), and a
stale version shows the reload message and changes nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db.models import F
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def pick(page, test_id: str, text: str) -> None:
    page.get_by_test_id(test_id).click()
    dropdown = page.locator(".ant-select-dropdown:not(.ant-select-dropdown-hidden)")
    dropdown.locator(".ant-select-item-option").filter(has_text=text).click()
    expect(dropdown).to_be_hidden()


def test_edit_a_draft_return_by_batch(live_server, shop, open_page):
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import PurchaseReturn
    from storeledger.purchasing.services import receipts, returns
    from storeledger.testing import factories

    milk = factories.sku(code="MILK", name="纯牛奶 250ml", tracking="batch", base_unit=shop["unit"])
    mengniu = Supplier.objects.create(code="S002", name="蒙牛乳业")
    made = [
        receipts.create_purchase_receipt(
            user=shop["user"],
            supplier_id=mengniu.id,
            warehouse_id=shop["warehouse"].id,
            lines=[
                receipts.ReceiptLineInput(
                    sku_id=milk.id, quantity=Decimal(n), price=Decimal("2.00"), batch_no=batch_no
                )
            ],
            post=True,
        )
        for n, batch_no in ((10, "L2601"), (5, "L2602"))
    ]
    first_batch = made[0].lines.get().batch
    draft = returns.create_purchase_return(
        user=shop["user"],
        supplier_id=mengniu.id,
        warehouse_id=shop["warehouse"].id,
        reason="包装破损",
        lines=[returns.ReturnLineInput(batch_id=first_batch.id, quantity=Decimal(2))],
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/returns/{draft.id}")
    page.get_by_test_id("draft-edit").click()
    editor = page.get_by_test_id("draft-editor")
    expect(editor.get_by_test_id("batch-line-batch-0")).to_contain_text("L2601")
    expect(editor.get_by_test_id("batch-line-qty-0")).to_have_value("2")
    editor.get_by_test_id("batch-line-qty-0").fill("3")
    editor.get_by_test_id("batch-line-add").click()
    pick(page, "batch-line-sku-1", "MILK")
    pick(page, "batch-line-batch-1", "L2602")
    editor.get_by_test_id("batch-line-qty-1").fill("1")
    editor.get_by_test_id("return-reason").fill("临近保质期")
    shot(page, "purchase-return-batch-draft-edit")
    editor.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("draft-editor")).to_have_count(0)

    draft.refresh_from_db()
    assert (draft.version, draft.reason, draft.status) == (2, "临近保质期", "draft")
    assert sorted((line.batch.batch_no, line.base_quantity) for line in draft.lines.all()) == [
        ("L2601", Decimal(3)),
        ("L2602", Decimal(1)),
    ]

    # someone else saves in between: 409 stale_version → message, nothing changed
    page.get_by_test_id("draft-edit").click()
    page.get_by_test_id("draft-editor").get_by_test_id("batch-line-remove-1").click()
    PurchaseReturn.objects.filter(pk=draft.id).update(version=F("version") + 1)
    page.get_by_test_id("draft-save").click()
    expect(page.get_by_test_id("stale-version")).to_be_visible()
    assert draft.lines.count() == 2
    assert page.js_errors == []


def test_create_a_return_by_batch(live_server, shop, open_page):
    """采购退货 → 新建 → 按批次: supplier, warehouse, the SKU's batch and a quantity; saved as a
    draft to that supplier from that warehouse."""
    from storeledger.partners.models import Supplier
    from storeledger.purchasing.models import PurchaseReturn
    from storeledger.purchasing.services import receipts
    from storeledger.testing import factories

    milk = factories.sku(code="MILK", name="纯牛奶 250ml", tracking="batch", base_unit=shop["unit"])
    mengniu = Supplier.objects.create(code="S002", name="蒙牛乳业")
    receipts.create_purchase_receipt(
        user=shop["user"],
        supplier_id=mengniu.id,
        warehouse_id=shop["warehouse"].id,
        lines=[
            receipts.ReceiptLineInput(
                sku_id=milk.id, quantity=Decimal(8), price=Decimal("2.00"), batch_no="L2603"
            )
        ],
        post=True,
    )
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/returns/new")
    page.get_by_test_id("return-mode").get_by_text("按批次（供应商与仓库）").click()
    pick(page, "return-supplier", "蒙牛乳业")
    pick(page, "return-warehouse", shop["warehouse"].name)
    pick(page, "batch-line-sku-0", "MILK")
    pick(page, "batch-line-batch-0", "L2603")
    page.get_by_test_id("batch-line-qty-0").fill("2")
    page.get_by_test_id("return-reason").fill("胀包")
    page.get_by_test_id("return-save").click()
    expect(page.get_by_test_id("doc-status")).to_have_text("草稿")

    made = PurchaseReturn.objects.get()
    assert (made.supplier_id, made.receipt_id, made.reason) == (mengniu.id, None, "胀包")
    assert [(line.batch.batch_no, line.base_quantity) for line in made.lines.all()] == [
        ("L2603", Decimal(2))
    ]
    assert page.js_errors == []
