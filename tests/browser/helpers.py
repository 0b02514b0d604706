"""Constants and helpers shared by the browser tests."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
PASSWORD = "pass-1234-word"
DESKTOP = {"width": 1366, "height": 900}
PHONE = {"width": 375, "height": 812}


def shot(page, name: str, settle: bool = True) -> Path:
    """A full-page screenshot under test-artifacts/screenshots/, once requests and spinners are done."""
    if settle:
        page.wait_for_load_state("networkidle")
        page.locator(".ant-spin-spinning").first.wait_for(state="detached")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{re.sub(r'[^A-Za-z0-9_.-]+', '_', name)}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def login(page, base_url: str, username: str = "boss", password: str = PASSWORD) -> None:
    page.goto(f"{base_url}/")
    page.wait_for_url(re.compile(r"/login"))
    page.locator("#login-username").fill(username)
    page.locator("#login-password").fill(password)
    page.get_by_test_id("login-submit").click()
    page.get_by_test_id("user-menu").wait_for()
