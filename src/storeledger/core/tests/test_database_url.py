"""DATABASE_URL → Django's DATABASES entry: PostgreSQL binds parameters on the server and
prepares a statement run 5 times on a connection unless the URL says otherwise (issue 9)."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection

from storeledger.env import database_from_url

BASE = Path("/srv/storeledger")


def test_postgres_defaults_bind_on_the_server_and_prepare_hot_statements():
    entry = database_from_url("postgres://app:s3cret@db.example:6543/shop", BASE)
    assert (entry["NAME"], entry["USER"], entry["PASSWORD"]) == ("shop", "app", "s3cret")
    assert (entry["HOST"], entry["PORT"], entry["CONN_MAX_AGE"]) == ("db.example", "6543", 60)
    assert entry["OPTIONS"] == {"server_side_binding": True, "prepare_threshold": 5}


@pytest.mark.parametrize(
    ("query", "options"),
    [
        ("prepare_threshold=none", {"server_side_binding": True, "prepare_threshold": None}),
        ("prepare_threshold=2", {"server_side_binding": True, "prepare_threshold": 2}),
        ("server_side_binding=false", {"server_side_binding": False, "prepare_threshold": None}),
        (
            "sslmode=require&conn_max_age=0",
            {"sslmode": "require", "server_side_binding": True, "prepare_threshold": 5},
        ),
    ],
)
def test_postgres_url_options_override_the_defaults(query, options):
    assert database_from_url(f"postgres://localhost/shop?{query}", BASE)["OPTIONS"] == options


def test_a_bad_flag_is_refused_with_its_name():
    with pytest.raises(ValueError, match="expected true or false, got 'maybe'"):
        database_from_url("postgres://localhost/shop?server_side_binding=maybe", BASE)


@pytest.mark.postgres
@pytest.mark.django_db
def test_the_test_database_prepares_a_statement_run_often():
    """The suite runs as deployed: the sixth run of a statement on a connection is prepared."""
    with connection.cursor() as cursor:
        raw = connection.connection
        for _ in range(6):
            cursor.execute("SELECT 1 + %s", [1])
        assert cursor.fetchone() == (2,)
    with raw.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        assert cursor.fetchone()[0] >= 1
