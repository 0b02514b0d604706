"""Typed helpers that read settings from environment variables."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse


def env_str(name: str, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name)
    if not value:
        return default
    return [item.strip() for item in value.split(",") if item.strip()]


def database_from_url(url: str, base_dir: Path) -> dict:
    """Turn `sqlite:///path` or `postgres://user:pw@host:port/name` into a Django DATABASES entry."""
    parsed = urlparse(url)
    scheme = parsed.scheme
    if scheme == "sqlite":
        # sqlite:///var/db.sqlite3 is relative to the project; sqlite:////abs/db.sqlite3 is absolute
        raw = unquote(parsed.path)
        db_path = Path(raw[1:]) if raw.startswith("//") else base_dir / raw.lstrip("/")
        return {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": str(db_path),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=FULL;PRAGMA foreign_keys=ON;"
                ),
            },
            # a file (not memory) so threads and a live server share it; one per main database
            "TEST": {"NAME": str(db_path.with_name(db_path.stem + "-test.sqlite3"))},
        }
    if scheme in {"postgres", "postgresql", "pgsql"}:
        options = _postgres_options(parse_qs(parsed.query))
        conn_max_age = int(options.pop("conn_max_age", "60"))
        return {
            "ENGINE": "django.db.backends.postgresql",
            "NAME": unquote(parsed.path.lstrip("/")) or "storeledger",
            "USER": unquote(parsed.username or ""),
            "PASSWORD": unquote(parsed.password or ""),
            "HOST": parsed.hostname or "",
            "PORT": str(parsed.port or ""),
            "CONN_MAX_AGE": conn_max_age,
            "OPTIONS": options,
        }
    raise ValueError(f"Unsupported DATABASE_URL scheme: {scheme!r}")


def _postgres_options(query: dict[str, list[str]]) -> dict:
    """The driver's options from the URL's query. Two differ from psycopg's and Django's
    defaults (issue 9): parameters are bound by the server (`server_side_binding`) and a
    statement run 5 times on a connection is prepared (`prepare_threshold`), so PostgreSQL
    neither parses nor plans the hot path's statements again and psycopg sends values
    without quoting them into the SQL text. `?prepare_threshold=none` turns preparing off
    (for a transaction pooler that does not track prepared statements, e.g. PgBouncer
    before 1.21); `?server_side_binding=false` returns to Django's client-side binding."""
    options: dict = {key: values[-1] for key, values in query.items()}
    options["server_side_binding"] = _flag(options.get("server_side_binding", "true"))
    threshold = str(options.get("prepare_threshold", "5")).strip().lower()
    options["prepare_threshold"] = None if threshold in {"", "none"} else int(threshold)
    if not options["server_side_binding"]:
        options["prepare_threshold"] = None  # client-side binding never prepares
    return options


def _flag(value: str) -> bool:
    if value.strip().lower() in {"1", "true", "yes", "on"}:
        return True
    if value.strip().lower() in {"0", "false", "no", "off"}:
        return False
    raise ValueError(f"DATABASE_URL: expected true or false, got {value!r}")
