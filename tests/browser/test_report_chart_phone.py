"""End-to-end: on a phone the stock-status report's warehouse chart keeps its axis labels
apart — long warehouse names are cut short (full name in the tooltip) and the value axis shows
few, short numbers (12万 / 120k) — where they overlapped before. The chart is drawn as SVG, so the
labels are text elements whose boxes can be measured."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def stocked(shop):
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐 330ml", base_unit=shop["unit"])
    warehouses = [shop["warehouse"]] + [
        factories.warehouse(shop["store"], code=f"WH1{n}", name=f"华东区域配送中心第{n}号常温仓库")
        for n in range(1, 6)
    ]
    # large stocks, straight through the ledger (no approval rule in the way)
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


def _labels(chart) -> list[dict]:
    """The boxes of the chart's axis labels (SVG text), in page coordinates."""
    return chart.evaluate(
        """(node) => [...node.querySelectorAll('svg text')]
            .filter((t) => t.textContent.trim() !== '')
            .map((t) => { const b = t.getBoundingClientRect();
                          return {text: t.textContent, x: b.x, y: b.y, w: b.width, h: b.height}; })"""
    )


def _overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            if (
                a["x"] < b["x"] + b["w"] - 1
                and b["x"] < a["x"] + a["w"] - 1
                and a["y"] < b["y"] + b["h"] - 1
                and b["y"] < a["y"] + a["h"] - 1
            ):
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize(("viewport", "name"), [(PHONE, "phone"), (DESKTOP, "pc")])
def test_warehouse_chart_labels_do_not_overlap(live_server, stocked, open_page, viewport, name):
    page = open_page(viewport)
    login(page, live_server.url)
    page.goto(f"{live_server.url}/reports/stock-status")
    chart = page.get_by_test_id("chart").nth(1)  # by category, then by warehouse
    expect(chart.locator("svg text").filter(has_text="WH15")).to_have_count(1)
    labels = _labels(chart)
    box = chart.bounding_box()
    assert box is not None
    assert len(labels) >= 6 + 2, labels  # six warehouses and at least two values
    assert _overlaps(labels) == [], _overlaps(labels)
    for label in labels:  # and none is cut off by the chart's edges
        assert (
            box["x"] - 1 <= label["x"] and label["x"] + label["w"] <= box["x"] + box["width"] + 1
        ), label
    assert page.evaluate("document.documentElement.scrollWidth") <= viewport["width"]
    shot(page, f"stock-status-warehouse-chart-{name}")
    assert page.js_errors == []
