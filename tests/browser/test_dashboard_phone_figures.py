"""End-to-end: on a phone (390×844) the home dashboard's money figures stay inside their cards —
a stock value of ¥12,701,500.00 shows short (¥1,270.15万 in Chinese, ¥12.7M in English) with the
full figure in its title; the 30-day trend's value axis has short ticks too."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE_390 = {"width": 390, "height": 844}

# every figure card: its content wider than the card, or its value past the card's right edge
OVERFLOWS = """() => [...document.querySelectorAll('[data-testid^="card-"].ant-card')].flatMap((card) => {
  const box = card.getBoundingClientRect();
  return [card, ...card.querySelectorAll('.ant-card-body, .ant-statistic, .ant-statistic-content')]
    .filter((el) => el.scrollWidth > el.clientWidth || el.getBoundingClientRect().right > box.right + 0.5)
    .map((el) => `${card.dataset.testid} ${el.className}: ${el.scrollWidth} > ${el.clientWidth}`);
})"""


@pytest.fixture
def rich_stock(shop):
    from storeledger.inventory.ledger import MoveRequest
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可乐 330ml", base_unit=shop["unit"])
    factories.posting(
        "opening",
        [
            MoveRequest(
                warehouse_id=shop["warehouse"].id,
                sku_id=cola.id,
                quantity=Decimal(950000),
                move_type="stock_in",
                unit_cost=Decimal("13.37"),
            )
        ],
    )  # ¥12,701,500.00


@pytest.mark.parametrize(
    ("lang", "short", "title"),
    [("zh-CN", "¥1,270.15万", "库存金额"), ("en-US", "¥12.7M", "Stock value")],
)
def test_dashboard_figures_fit_their_cards_on_a_phone(
    live_server, rich_stock, open_page, lang, short, title
):
    page = open_page(PHONE_390, lang=lang)
    login(page, live_server.url)
    if lang.startswith("en"):
        page.get_by_test_id("language-switch").get_by_text("EN", exact=True).click()
    page.goto(f"{live_server.url}/")
    card = page.get_by_test_id("card-stock-value")
    expect(card).to_contain_text(title)
    money = card.get_by_test_id("card-money")
    expect(money).to_have_text(short)
    expect(money).to_have_attribute("title", "¥12,701,500.00")  # the exact figure
    expect(page.get_by_test_id("card-sku-count")).to_be_visible()
    assert page.evaluate(OVERFLOWS) == []
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE_390["width"]
    # the trend chart's value axis: short ticks, no full number
    trend = page.get_by_test_id("chart-trend").get_by_test_id("chart")
    expect(
        trend.locator("svg text").filter(has_text="万" if lang == "zh-CN" else "M").first
    ).to_be_visible()
    ticks = trend.locator("svg text").evaluate_all("els => els.map((el) => el.textContent || '')")
    assert not [text for text in ticks if text.replace(",", "").isdigit() and len(text) > 5], ticks
    shot(page, f"dashboard-figures-phone-{lang}")
    assert page.js_errors == []
