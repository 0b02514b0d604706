"""End-to-end: the report charts a new user found wanting — on a phone the head office's
"stock value by store" keeps its labels apart (short value ticks, fewer of them, names cut short)
and leaves out a store without stock or movement (a head office without a warehouse); the stock
summary's in/out chart names its two colours in a legend; the ageing chart's caption is above the
chart, not beside the export button; the turnover chart of rows that all turned over 0 says so
instead of drawing nothing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot
from tests.browser.test_report_chart_phone import _labels, _overlaps

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def chain(shop):
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐 330ml", base_unit=shop["unit"])
    warehouses = [shop["warehouse"]]
    for n in range(2, 6):
        store = factories.store(f"000{n}", name=f"上海浦东新区张江高科技园区第{n}号旗舰店")
        warehouses.append(factories.warehouse(store, code=f"WH0{n}", name=f"第{n}号店仓库"))
    factories.store("0009", name="鲜选总部")  # no warehouse: no stock, no movement
    factories.posting(
        "opening",
        [
            MoveRequest(
                warehouse_id=warehouse.id,
                sku_id=cola.id,
                quantity=Decimal(120000 + n * 35000),
                move_type="stock_in",
                unit_cost=Decimal("13.37"),
            )
            for n, warehouse in enumerate(warehouses)
        ],
    )
    return warehouses


def test_head_office_store_chart_on_a_phone(live_server, chain, open_page):
    page = open_page(PHONE)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/")
    chart = page.get_by_test_id("chart-stores").get_by_test_id("chart")
    expect(chart.locator("svg text").filter(has_text="一号店")).to_have_count(1)
    labels = _labels(chart)
    texts = " ".join(label["text"] for label in labels)
    assert "鲜选总部" not in texts, texts
    assert _overlaps(labels) == [], _overlaps(labels)
    flows = page.get_by_test_id("chart-store-flows").get_by_test_id("chart")
    expect(flows.locator("svg text").filter(has_text="一号店")).to_have_count(1)
    assert "鲜选总部" not in " ".join(label["text"] for label in _labels(flows))
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    shot(page, "dashboard-store-charts-phone")
    assert page.js_errors == []


def test_summary_legend_ageing_caption_and_empty_turnover(live_server, chain, open_page):
    page = open_page(DESKTOP)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/stock-summary")
    chart = page.get_by_test_id("chart").first
    expect(chart.locator("svg text").filter(has_text="入库")).to_have_count(1)  # the legend
    expect(chart.locator("svg text").filter(has_text="出库")).to_have_count(1)
    shot(page, "stock-summary-chart-legend")

    page.goto(f"{live_server.url}/reports/stock-status?tab=ageing")
    caption = page.get_by_test_id("ageing-chart").get_by_text("库龄分布")
    expect(caption).to_be_visible()
    export = page.locator(".ant-tabs-tabpane-active").get_by_test_id("export")
    caption_box, export_box = caption.bounding_box(), export.bounding_box()
    assert caption_box["y"] >= export_box["y"] + export_box["height"], (caption_box, export_box)
    shot(page, "stock-ageing-caption")

    # nothing was consumed: every row turned over 0 — said, not a blank chart
    page.goto(f"{live_server.url}/reports/turnover")
    expect(page.get_by_test_id("turnover-chart-empty")).to_be_visible()
    expect(page.get_by_test_id("chart")).to_have_count(0)
    shot(page, "turnover-chart-empty")
    assert page.js_errors == []
