"""End-to-end: a first visit (nothing chosen on this device, signed out) starts in the browser's
language — English for any en-* preference, else Chinese — instead of always in Chinese. Once
signed in, the language saved on the user still wins."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import PASSWORD, login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login_page(page, base_url: str) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_url(re.compile(r"/login"))
    page.locator("#login-username").wait_for()


@pytest.mark.parametrize(
    ("locale", "lang", "submit", "other"),
    [
        ("en-US", "en", "Log in", "登录"),
        ("en-GB", "en", "Log in", "登录"),
        ("zh-CN", "zh-CN", "登录", "Log in"),
    ],
)
def test_a_first_visit_follows_the_browser_language(
    live_server, open_page, locale, lang, submit, other
):
    page = open_page(lang=locale)
    _login_page(page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    # Ant Design spaces out a two-character Chinese label (登 录)
    assert page.get_by_test_id("login-submit").inner_text().replace(" ", "") == submit.replace(
        " ", ""
    )
    expect(page.locator(".sl-login")).not_to_contain_text(other)
    assert page.js_errors == []


def test_the_saved_user_language_wins_over_the_browser(live_server, shop, open_page):
    from storeledger.accounts.models import Profile

    Profile.objects.update_or_create(user=shop["user"], defaults={"language": "zh-hans"})
    page = open_page(lang="en-US")
    _login_page(page, live_server.url)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    login(page, live_server.url, "boss", PASSWORD)
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_test_id("side-menu")).to_contain_text("商品")
    # and it is this device's choice from now on
    page.reload()
    page.get_by_test_id("side-menu").wait_for()
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert page.js_errors == []
