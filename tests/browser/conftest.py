"""Fixtures of the browser tests: Debian's Chromium driven by Playwright for Python against
pytest-django's live server.

Run them with tests/browser/run.sh (it builds the bundle first and sets STORELEDGER_BROWSER_TESTS=1);
a plain `pytest` run of the whole tree leaves them out, since they need Chromium and the built
bundle.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.helpers import DESKTOP, PASSWORD, shot

# Playwright's sync API runs an event loop in this thread; the test's own ORM calls are still
# synchronous, so Django's async-safety check must not refuse them.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(config, items):
    if os.environ.get("STORELEDGER_BROWSER_TESTS") == "1":
        return
    browser_items = [item for item in items if item.get_closest_marker("browser")]
    if browser_items:
        config.hook.pytest_deselected(items=browser_items)
        items[:] = [item for item in items if not item.get_closest_marker("browser")]


@pytest.fixture(scope="session")
def playwright_driver():
    """Playwright's driver, one per session (its sync API cannot be started twice at once)."""
    from django.conf import settings
    from playwright.sync_api import sync_playwright

    if not (Path(settings.FRONTEND_DIST) / "index.html").is_file():
        pytest.fail(f"{settings.FRONTEND_DIST} is missing: run tests/browser/run.sh (it builds it)")
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def chromium(playwright_driver):
    browser = playwright_driver.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def launch_chromium(playwright_driver) -> Iterator:
    """launch_chromium(extra_args) → a Chromium of the test's own, started with more arguments
    (e.g. a fake camera); closed after the test. Open its pages with open_page(browser=...)."""
    browsers = []

    def launch(extra_args: list[str]):
        browser = playwright_driver.chromium.launch(
            executable_path=CHROMIUM, args=[*CHROMIUM_ARGS, *extra_args]
        )
        browsers.append(browser)
        return browser

    yield launch
    for browser in browsers:
        browser.close()


@pytest.fixture
def open_page(chromium, request) -> Iterator:
    """open_page(viewport=DESKTOP, lang="zh-CN", browser=chromium) → a new page in a fresh context."""
    contexts = []

    def make(viewport: dict | None = None, lang: str = "zh-CN", browser=None):
        context = (browser or chromium).new_context(
            viewport=viewport or DESKTOP,
            locale=lang,
            timezone_id="Asia/Shanghai",
            service_workers="block",
            reduced_motion="reduce",  # the app then turns Ant Design's animations off
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.js_errors = errors  # type: ignore[attr-defined]
        return page

    yield make
    failed = getattr(request.node, "rep_call", None)
    for index, context in enumerate(contexts):
        if failed is not None and failed.failed:
            for page in context.pages:
                shot(page, f"FAILED-{request.node.name}-{index}", settle=False)
        context.close()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call":
        item.rep_call = report
    return report


@pytest.fixture
def shop(transactional_db):
    """An admin of all stores, one store with a warehouse, and the unit 个."""
    from storeledger.testing import factories

    store = factories.store("0001", name="一号店")
    warehouse = factories.warehouse(store, code="WH01", name="一号店仓库")
    unit = factories.unit("pcs", "个")
    factories.unit("box", "箱")
    user = factories.user("boss", roles=("admin",), all_stores=True, password=PASSWORD)
    return {"store": store, "warehouse": warehouse, "unit": unit, "user": user}
