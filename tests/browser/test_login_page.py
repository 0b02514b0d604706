"""End-to-end: the login page's background fills the window on a PC and on a phone, with the
card in the middle (it stopped about 370 px down, white below). The dashboard says 商品, not SKU, in Chinese."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["pc", "phone"])
def test_login_background_fills_the_window(live_server, open_page, viewport):
    page = open_page(viewport)
    page.goto(f"{live_server.url}/")
    page.wait_for_url(re.compile(r"/login"))
    page.locator("#login-username").wait_for()
    box = page.locator(".sl-login").bounding_box()
    assert box is not None and box["height"] >= viewport["height"]
    card = page.locator(".sl-login .ant-card").bounding_box()
    assert card is not None and card["y"] > 0
    assert page.js_errors == []


def test_dashboard_says_products_in_chinese(live_server, shop, open_page):
    page = open_page()
    login(page, live_server.url)
    expect(page.get_by_text("有库存的商品")).to_be_visible()
    expect(page.locator(".sl-content")).not_to_contain_text("SKU")
