"""End-to-end: every page of the side menu, as an admin, in English and in Chinese, on a PC and on
a phone: it opens without script errors or server errors, has its heading, speaks one language in
its own texts (headings, menu, table headers, buttons, labels, placeholders — data values may be
in any language) and does not scroll sideways on a phone; a record that does not exist shows
"not found" instead of a spinner.

The routes come from the menu the app renders, so a new page is covered without touching this test.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import DESKTOP, PHONE, login, shot

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The app's own texts: what a page says, not the data it shows.
UI_CHROME = ", ".join(
    [
        "[data-testid=side-menu] .ant-menu-title-content",
        ".sl-header .ant-breadcrumb",
        ".sl-content :is(h1, h2, h3, h4, h5, .ant-card-head-title):not(.ant-list *)",
        ".sl-content th",
        ".sl-content .ant-btn:not(.ant-table-tbody *)",
        ".sl-content label",
        ".sl-content .ant-select-selection-placeholder",
        ".sl-content .ant-empty-description",
        ".sl-content .ant-tabs-tab-btn",
        ".sl-content .ant-statistic-title",
        ".sl-content .ant-descriptions-item-label",
        ".sl-content .ant-pagination-options",
        ".sl-content .ant-alert-message",
    ]
)
UI_TEXTS_JS = """(selector) => {
  const texts = [...document.querySelectorAll(selector)].map((e) => e.innerText.trim());
  for (const input of document.querySelectorAll('input[placeholder], textarea[placeholder]')) {
    texts.push(input.placeholder);
  }
  return texts.filter(Boolean);
}"""
CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef]")
# Words a Chinese UI keeps in Latin letters.
ALLOWED_LATIN = {"ID", "PDF", "EXCEL", "CSV", "API", "EAN", "EN", "QR"}


@pytest.fixture
def stock(shop):
    """A SKU with a Chinese name received into the warehouse, so the lists have rows."""
    from storeledger.inventory.services.documents import (
        StockLineInput,
        create_and_post_stock_document,
    )
    from storeledger.testing import factories

    cola = factories.sku(code="COLA", name="可口可乐 330ml", base_unit=shop["unit"])
    create_and_post_stock_document(
        user=shop["user"],
        kind="stock_in",
        warehouse_id=shop["warehouse"].id,
        lines=[StockLineInput(sku_id=cola.id, quantity=Decimal("12"), unit_cost=Decimal("2.50"))],
    )
    return shop


class Watch:
    """What went wrong on a page since the last look: script errors, console errors, 5xx."""

    def __init__(self, page):
        self.problems: list[str] = []
        self.pending: set = set()
        page.on("pageerror", lambda exc: self.problems.append(f"page error: {exc}"))
        page.on(
            "console",
            lambda msg: msg.type == "error" and self.problems.append(f"console: {msg.text}"),
        )
        page.on("request", lambda r: self.pending.add(r))
        page.on("requestfinished", lambda r: self.pending.discard(r))
        page.on("requestfailed", lambda r: self.pending.discard(r))
        page.on(
            "response",
            lambda r: r.status >= 500 and self.problems.append(f"HTTP {r.status} {r.url}"),
        )

    def settle(self, page) -> None:
        """Until no request is in flight and no spinner turns (quicker than "networkidle")."""
        quiet = 0
        for _ in range(150):
            page.wait_for_timeout(80)
            busy = self.pending or page.locator(".ant-spin-spinning, .ant-skeleton").count()
            quiet = 0 if busy else quiet + 1
            if quiet >= 3:
                return
        raise AssertionError(f"{page.url} still loading: {[r.url for r in self.pending]}")

    def take(self) -> list[str]:
        problems, self.problems = self.problems, []
        return problems


def menu_routes(page) -> list[str]:
    """The paths of the side menu (desktop: every group is open on the home page)."""
    links = page.locator("[data-testid=side-menu] a[href]")
    links.first.wait_for()
    paths = list(dict.fromkeys(links.evaluate_all("els => els.map((e) => e.getAttribute('href'))")))
    assert "/" in paths and len(paths) >= 10, paths
    return paths


def go(page, path: str) -> None:
    """Client-side navigation (as a menu click does), without reloading the bundle."""
    page.evaluate(
        "(path) => { history.pushState(null, '', path); dispatchEvent(new PopStateEvent('popstate')); }",
        path,
    )


def foreign_texts(texts: list[str], lang: str) -> list[str]:
    if lang == "en":
        return [text for text in texts if CJK.search(text)]
    return [
        text
        for text in texts
        if any(word.upper() not in ALLOWED_LATIN for word in re.findall(r"[A-Za-z]{2,}", text))
    ]


def walk(page, watch: Watch, routes: list[str], lang: str, viewport: str, user) -> list[str]:
    """Every route's problems, as "viewport path: problem" lines (the user's name is data)."""
    found: list[str] = []
    for path in routes:
        go(page, path)
        page.wait_for_url(lambda url, path=path: url.endswith(path))
        watch.settle(page)
        problems = watch.take()
        heading = page.locator(".sl-content :is(h1, h2, h3, h4, h5, .ant-card-head-title)").first
        if not heading.is_visible() or not heading.inner_text().strip():
            problems.append("no heading")
        name = user.get_full_name() or user.username  # the dashboard greets the user by name
        texts = [text.replace(name, "") for text in page.evaluate(UI_TEXTS_JS, UI_CHROME)]
        problems += [
            f"{lang} UI text in another language: {t!r}" for t in foreign_texts(texts, lang)
        ]
        if viewport == "phone":
            widths = page.evaluate("[document.documentElement.scrollWidth, innerWidth]")
            if widths[0] > widths[1]:
                problems.append(f"scrolls sideways: {widths[0]} px wide on a {widths[1]} px screen")
        if problems:
            shot(page, f"all-pages-{lang}-{viewport}{path.replace('/', '-')}", settle=False)
        found += [f"{viewport} {path}: {problem}" for problem in problems]
    return found


@pytest.mark.parametrize(("lang", "label"), [("en", "EN"), ("zh-CN", "中文")])
def test_every_menu_page_on_a_pc_and_a_phone(live_server, stock, open_page, lang, label):
    page = open_page(DESKTOP)
    watch = Watch(page)
    login(page, live_server.url)
    page.get_by_test_id("language-switch").get_by_text(label, exact=True).click()
    page.wait_for_function("(lang) => document.documentElement.lang === lang", arg=lang)
    routes = menu_routes(page)
    watch.take()  # the sign-in page's "who am I?" answered 401: expected there

    problems = walk(page, watch, routes, lang, "pc", stock["user"])
    page.set_viewport_size(PHONE)
    problems += walk(page, watch, routes, lang, "phone", stock["user"])

    assert problems == [], "\n".join(problems)


def test_a_missing_record_says_so_instead_of_loading_forever(live_server, shop, open_page):
    page = open_page(DESKTOP)
    login(page, live_server.url)
    for path in ("/inventory/stock-ins/999999", "/inventory/stock-counts/999999"):
        go(page, path)
        expect(page.get_by_test_id("load-failed")).to_contain_text("未找到")
        expect(page.locator(".ant-spin-spinning")).to_have_count(0)
    assert page.js_errors == []
