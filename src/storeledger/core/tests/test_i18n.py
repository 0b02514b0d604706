"""The zh-Hans translation: complete, placeholder-safe, compiled, and served by the API."""

from __future__ import annotations

import ast
import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from storeledger.testing import factories

PO_PATH = Path(settings.LOCALE_PATHS[0]) / "zh_Hans" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
PLACEHOLDER = re.compile(r"%(?:\([^)]+\))?[-#0 +]*\d*(?:\.\d+)?[sdifr%]")


def parse_po(path: Path) -> list[dict]:
    """The entries of a .po file: msgid, msgid_plural, msgstr (list), flags, obsolete."""
    entries: list[dict] = []
    entry: dict | None = None
    key: str | None = None

    def new_entry() -> dict:
        return {
            "msgid": None,
            "msgid_plural": None,
            "msgstr": [],
            "flags": set(),
            "obsolete": False,
        }

    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        line = line.strip()
        if line.startswith("#~"):
            continue  # obsolete entries are not compiled
        starts_entry = line.startswith(("#", "msgctxt", "msgid ")) or not line
        if entry is not None and entry["msgstr"] and starts_entry:
            entries.append(entry)
            entry = None
        if not line:
            continue
        if entry is None:
            entry = new_entry()
        if line.startswith("#,"):
            entry["flags"].update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        else:
            match = re.match(r"^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d+\])?)\s+(\".*\")$", line)
            if match:
                key, text = match.group(1), ast.literal_eval(match.group(2))
                if key.startswith("msgstr"):
                    entry["msgstr"].append(text)
                elif key != "msgctxt":
                    entry[key] = text
            else:
                text = ast.literal_eval(line)
                if key and key.startswith("msgstr"):
                    entry["msgstr"][-1] += text
                elif key and key != "msgctxt":
                    entry[key] += text
    return [e for e in entries if e["msgid"]]  # the header has an empty msgid


ENTRIES = parse_po(PO_PATH)


def test_the_po_file_has_many_entries():
    assert len(ENTRIES) > 300
    assert "Plural-Forms: nplurals=1; plural=0;" in PO_PATH.read_text(encoding="utf-8")


def test_every_message_is_translated_and_checked():
    untranslated = [e["msgid"] for e in ENTRIES if not all(e["msgstr"]) or not e["msgstr"]]
    fuzzy = [e["msgid"] for e in ENTRIES if "fuzzy" in e["flags"]]
    assert untranslated == []
    assert fuzzy == []


GETTEXT_CALLS = {
    "_": 0,
    "gettext": 0,
    "gettext_lazy": 0,
    "gettext_noop": 0,
    "ngettext": 0,
    "ngettext_lazy": 0,
    "pgettext": 1,
    "pgettext_lazy": 1,
}


def source_messages() -> set[str]:
    """Every literal message the Python sources mark for translation (what makemessages finds,
    read with `ast` so the test needs no gettext tools)."""
    root = Path(settings.BASE_DIR) / "src" / "storeledger"
    found: set[str] = set()
    for path in root.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.Call):
                continue
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
            position = GETTEXT_CALLS.get(name or "")
            if position is None or len(node.args) <= position:
                continue
            argument = node.args[position]
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                found.add(argument.value)
    return found


def test_every_source_message_has_a_translation():
    translated = {e["msgid"] for e in ENTRIES}
    missing = sorted(source_messages() - translated)
    assert missing == []


def test_translations_keep_every_placeholder():
    broken = [
        e["msgid"]
        for e in ENTRIES
        if "python-format" in e["flags"]
        and any(
            sorted(PLACEHOLDER.findall(e["msgid"])) != sorted(PLACEHOLDER.findall(s))
            for s in e["msgstr"]
        )
    ]
    assert broken == []


def test_the_compiled_catalogue_matches_the_po_file():
    with MO_PATH.open("rb") as handle:
        catalogue = gettext.GNUTranslations(handle)
    stale = [
        e["msgid"]
        for e in ENTRIES
        if e["msgid_plural"] is None and catalogue.gettext(e["msgid"]) != e["msgstr"][0]
    ]
    assert stale == []


@pytest.mark.django_db
def test_login_error_follows_accept_language(api, settings):
    factories.user("clerk")
    data = {"username": "clerk", "password": "wrong"}
    zh = api.post("/api/v1/auth/login/", data, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans")
    en = api.post("/api/v1/auth/login/", data, format="json", HTTP_ACCEPT_LANGUAGE="en")
    settings.LANGUAGE_CODE = "zh-hans"  # the product default (the root conftest sets en)
    default = api.post("/api/v1/auth/login/", data, format="json")
    assert (zh.status_code, en.status_code, default.status_code) == (400, 400, 400)
    assert zh.json()["code"] == en.json()["code"] == "invalid_credentials"
    assert zh.json()["message"] == "用户名或密码不正确。"
    assert en.json()["message"] == "The username or password is not correct."
    assert default.json()["message"] == "用户名或密码不正确。"  # LANGUAGE_CODE is zh-hans


@pytest.mark.django_db
def test_insufficient_stock_message_is_chinese_with_its_values(client_for, keeper, warehouse, sku):
    api = client_for(keeper)
    line = {"sku": sku.id, "quantity": "4"}
    stock_in = api.post(
        "/api/v1/stock-ins/?post=true",
        {"warehouse": warehouse.id, "lines": [line]},
        format="json",
    )
    assert stock_in.status_code == 201
    body = {"warehouse": warehouse.id, "lines": [{**line, "quantity": "5"}]}
    zh = api.post(
        "/api/v1/stock-outs/?post=true", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    en = api.post("/api/v1/stock-outs/?post=true", body, format="json", HTTP_ACCEPT_LANGUAGE="en")
    assert (zh.status_code, en.status_code) == (409, 409)
    assert zh.json()["code"] == en.json()["code"] == "insufficient_stock"
    assert zh.json()["message"] == (
        "商品 SKU-COLA 可口可乐 330ml 在仓库 一号店仓库 库存不足：需要 5，可用 4。"
    )
    assert en.json()["message"] == (
        "Not enough stock of SKU-COLA 可口可乐 330ml in warehouse 一号店仓库: requested 5, available 4."
    )
