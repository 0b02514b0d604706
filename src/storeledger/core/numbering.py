"""Document numbers per prefix, store and day: RK-0001-20261129-0001.

A number is taken by one statement (`UPDATE … RETURNING`) on the series row of its prefix,
store and day, inside the caller's transaction: that row stays locked until the commit, and a
rolled-back document gives its number back, so the numbers of committed documents have no
gaps (a deleted draft keeps its number: it was committed). Services that create and post in
one transaction take the number as their last step (`inventory.services.common.number_last`),
so the lock is held from there to the commit only. See docs/api.md, "Document numbers"."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, connection, transaction

from storeledger.core.models import DocumentSequence


def _take(prefix: str, store_code: str, day: datetime.date) -> int | None:
    """The next number of an existing series (None: the series has no row yet)."""
    table = connection.ops.quote_name(DocumentSequence._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET last_number = last_number + 1 "  # noqa: S608 - table name
            "WHERE prefix = %s AND store_code = %s AND day = %s RETURNING last_number",
            [prefix, store_code, connection.ops.adapt_datefield_value(day)],
        )
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def next_document_number(*, prefix: str, store_code: str, day: datetime.date) -> str:
    """Hand out the next number; must run inside the caller's transaction so a rolled-back
    document gives its number back."""
    number = _take(prefix, store_code, day)
    if number is None:  # the day's first document of this prefix and store
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(
                    prefix=prefix, store_code=store_code, day=day, last_number=1
                )
            number = 1
        except IntegrityError:  # created concurrently: the update now finds it
            number = _take(prefix, store_code, day)
            assert number is not None
    return f"{prefix}-{store_code}-{day:%Y%m%d}-{number:04d}"
