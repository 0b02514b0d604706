"""End-to-end: a saved purchase request line in cases of 10 (可乐) given another SKU (大米, 千克)
takes the new SKU's base unit — the form kept the old line's case and only the server refused it.
The quantity shows the unit it is in."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot
from tests.browser.test_line_quantity_checks import pick_sku

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_saved_request_line_given_another_sku_takes_its_base_unit(live_server, shop, open_page):
    from storeledger.purchasing.models import PurchaseRequest
    from storeledger.purchasing.services import requests
    from storeledger.purchasing.services.requests import RequestLineInput
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐", base_unit=shop["unit"], case_factor="10")
    kg = factories.unit("kg", "千克", precision=3)
    factories.sku(code="RICE", name="大米", base_unit=kg)
    case = cola.units.get().unit
    request = requests.create_purchase_request(
        user=shop["user"],
        warehouse_id=shop["warehouse"].pk,
        lines=[RequestLineInput(sku_id=cola.pk, unit_id=case.pk, quantity=Decimal("3"))],
    )
    page = open_page()
    login(page, live_server.url)
    page.goto(f"{live_server.url}/purchasing/requests/{request.pk}")
    page.get_by_test_id("draft-edit").click()
    line = page.get_by_test_id("request-line").first
    unit = line.locator(".ant-input-number-group-addon")
    expect(unit).to_have_text("箱")  # the quantity's unit, as saved
    pick_sku(page, line, "RICE")
    expect(unit).to_have_text("千克")
    page.get_by_test_id("request-qty-0").fill("2.5")
    expect(line.locator(".ant-form-item-explain-error")).to_have_count(0)
    page.get_by_test_id("request-save").click()
    expect(page.get_by_text("单据已保存").first).to_be_visible()
    saved = PurchaseRequest.objects.get().lines.get()
    assert (saved.sku.code, saved.unit_id or kg.pk, saved.quantity) == (
        "RICE",
        kg.pk,
        Decimal("2.5"),
    )
    shot(page, "request-line-new-sku-unit")
    assert page.js_errors == []
