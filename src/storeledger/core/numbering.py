"""Document numbers per prefix, store and day: RK-0001-20261129-0001.

A number is taken by one statement (`UPDATE … RETURNING`) on the series row of its prefix,
store and day, inside the caller's transaction: that row stays locked until the commit, and a
rolled-back document gives its number back, so the numbers of committed documents have no
gaps (a deleted draft keeps its number: it was committed). Head office sees the series and
may move a series' next number up (`set_next_number`), never down. Services that create and post in
one transaction take the number as their last step (`inventory.services.common.number_last`),
so the lock is held from there to the commit only. See docs/api.md, "Document numbers"."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from storeledger.core import doctypes
from storeledger.core.errors import ValidationFailed
from storeledger.core.models import DocumentSequence
from storeledger.core.services import service


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


# ---------------------------------------------------------------- number formats (系统设置)

PATTERN = "{prefix}-{store}-{yyyymmdd}-{nnnn}"


@dataclass(frozen=True)
class Series:
    """One number series as 系统设置 → 单据编号 shows it: a document kind in a store and day."""

    kind: str
    document_type: str
    label: str
    prefix: str
    pattern: str
    store: int
    store_code: str
    store_name: str
    day: datetime.date
    last_number: int

    @property
    def next_number(self) -> int:
        return self.last_number + 1

    @property
    def next(self) -> str:
        return f"{self.prefix}-{self.store_code}-{self.day:%Y%m%d}-{self.next_number:04d}"


def _kinds() -> list[tuple[str, Any, str]]:
    """(kind, document type, label) of every registered document kind."""
    out = []
    for doctype in doctypes.registered():
        choices: dict[str, Any] = {}
        kind_field = next((f for f in doctype.model._meta.fields if f.name == "kind"), None)
        if kind_field is not None and kind_field.choices:
            choices = dict(kind_field.choices)
        for kind in doctype.prefixes:
            label = choices.get(kind, doctype.model._meta.verbose_name)
            out.append((kind, doctype, str(label)))
    return out


def series(*, user, day: datetime.date, store_id: int | None = None) -> list[Series]:
    """Every document kind's series of `day` in the user's stores (or one store)."""
    from storeledger.accounts import scope
    from storeledger.org.models import Store

    queryset = scope.filter_stores(Store.objects.filter(active=True), user, "id").order_by("code")
    if store_id is not None:
        queryset = queryset.filter(pk=store_id)
    stores = list(queryset)
    kinds = _kinds()
    last = {
        (row.prefix, row.store_code): row.last_number
        for row in DocumentSequence.objects.filter(
            day=day,
            prefix__in=[doctypes.prefix(kind) for kind, _t, _l in kinds],
            store_code__in=[store.code for store in stores],
        )
    }
    return [
        Series(
            kind=kind,
            document_type=doctype.key,
            label=label,
            prefix=doctypes.prefix(kind),
            pattern=PATTERN.replace("{prefix}", doctypes.prefix(kind)),
            store=store.pk,
            store_code=store.code,
            store_name=store.name,
            day=day,
            last_number=last.get((doctypes.prefix(kind), store.code), 0),
        )
        for store in stores
        for kind, doctype, label in kinds
    ]


def _highest_used(doctype, prefix: str, store_code: str, day: datetime.date) -> int:
    """The highest number of the series any document of the type already has (documents
    are the truth: the series row could have been reset by hand)."""
    start = f"{prefix}-{store_code}-{day:%Y%m%d}-"
    highest = 0
    for number in doctype.model._default_manager.filter(number__startswith=start).values_list(
        "number", flat=True
    ):
        tail = number[len(start) :]
        if tail.isdigit():
            highest = max(highest, int(tail))
    return highest


@service
def set_next_number(
    *, user, kind: str, store_id: int, day: datetime.date, next_number: int
) -> Series:
    """Make the next number of a series `next_number` (e.g. to continue from a former system's
    numbers): only upward — above every number handed out and every document's number of the
    series — so no number is ever given twice."""
    from storeledger.accounts import scope
    from storeledger.org.models import Store

    known = {k: (doctype, label) for k, doctype, label in _kinds()}
    if kind not in known:
        raise ValidationFailed(fields={"kind": [_("Unknown document kind.")]})
    store = Store.objects.filter(pk=store_id).first()
    if store is None:
        raise ValidationFailed(fields={"store": [_("This store does not exist.")]})
    scope.ensure_stores(user, [store.pk])
    doctype, _label = known[kind]
    prefix = doctypes.prefix(kind)
    row, _created = DocumentSequence.objects.get_or_create(
        prefix=prefix, store_code=store.code, day=day, defaults={"last_number": 0}
    )
    row = DocumentSequence.objects.select_for_update().get(pk=row.pk)
    floor = max(row.last_number, _highest_used(doctype, prefix, store.code, day))
    if next_number <= floor:
        raise ValidationFailed(
            _("The next number must be above %(last)s, the last one used; numbers only go up.")
            % {"last": floor},
            code="number_not_above",
            fields={"next_number": [_("Must be above %(last)s.") % {"last": floor}]},
            details={"last_number": floor},
        )
    row.last_number = next_number - 1
    row.save(update_fields=["last_number"])
    return next(s for s in series(user=user, day=day, store_id=store.pk) if s.kind == kind)
