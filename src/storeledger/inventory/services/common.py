"""What inventory's document services (stock documents, transfers, stock counts) share beyond
the kernel: numbering a document posted in its creating transaction, the back-dating
permission, batch checks and posting a reversal through the ledger. The generic life cycle is
core.lifecycle; lines in any unit are catalog.units; warehouses and bins are org.selectors."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any, cast

from django.db import connection
from django.utils.translation import gettext as _

from storeledger.catalog.models import Category, Product, Sku, Tracking, Unit
from storeledger.core import doctypes
from storeledger.core.errors import PermissionDenied, ValidationFailed
from storeledger.core.lifecycle import line_error, new_number
from storeledger.core.models import DocumentSequence
from storeledger.core.rawsql import Columns, cache_related, convert
from storeledger.inventory.models import Batch, Posting, StockBalance
from storeledger.org.models import Store, Warehouse

# What a document's lines and answer use: the time stamps, search initials, attributes and
# description are left unread (a 5-line document read 60 time stamps it never used; issue 9).
_UNUSED = ("created_at", "updated_at")
_WAREHOUSE = Columns(Warehouse, "w", defer=_UNUSED)
_STORE = Columns(Store, "st", defer=_UNUSED)
_SKU = Columns(Sku, "s", defer=(*_UNUSED, "name_initials", "attributes"))
_PRODUCT = Columns(Product, "p", defer=(*_UNUSED, "name_initials", "description"))
_UNIT = Columns(Unit, "u", defer=_UNUSED)
_CATEGORY = Columns(Category, "c", defer=_UNUSED)

# A warehouse × SKU's stock: (on hand, value) summed over its balances with stock.
Stock = tuple[Decimal, Decimal]


def read_references(
    warehouse_id: int, sku_ids: Sequence[int], *, with_stock: bool = False
) -> tuple[Warehouse | None, dict[int, Sku], dict[int, Stock] | None]:
    """A document's warehouse (with its store) and its lines' SKUs (with product, base unit
    and category), in one query (request hot path); with `with_stock`, also each SKU's stock
    in the warehouse (what the approval facts value a line at). None: no such warehouse."""
    ids = sorted(set(sku_ids))
    quote = connection.ops.quote_name
    parts = [_WAREHOUSE, _STORE]
    select = [_WAREHOUSE.sql(), _STORE.sql()]
    joins = [f"LEFT JOIN {quote(Store._meta.db_table)} st ON st.id = w.store_id"]
    params: list = []
    if ids:
        parts += [_SKU, _PRODUCT, _UNIT, _CATEGORY]
        select += [_SKU.sql(), _PRODUCT.sql(), _UNIT.sql(), _CATEGORY.sql()]
        joins += [
            f"LEFT JOIN {quote(Sku._meta.db_table)} s ON s.id IN ({', '.join(['%s'] * len(ids))})",
            f"LEFT JOIN {quote(Product._meta.db_table)} p ON p.id = s.product_id",
            f"LEFT JOIN {quote(Unit._meta.db_table)} u ON u.id = p.base_unit_id",
            f"LEFT JOIN {quote(Category._meta.db_table)} c ON c.id = p.category_id",
        ]
        params += ids
        if with_stock:
            balances = quote(StockBalance._meta.db_table)
            for column in ("on_hand", "value"):
                select.append(
                    f"(SELECT SUM(b.{column}) FROM {balances} b WHERE b.warehouse_id = w.id "
                    "AND b.sku_id = s.id AND b.on_hand > 0)"
                )
    sql = (
        f"SELECT {', '.join(select)} FROM {quote(Warehouse._meta.db_table)} w "
        f"{' '.join(joins)} WHERE w.id = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, warehouse_id])
        rows = cursor.fetchall()
    if not rows:
        return None, {}, None
    skus: dict[int, Sku] = {}
    stock: dict[int, Stock] | None = {} if with_stock and ids else None
    # the warehouse and its store come with every row: made once, from the first
    first = rows[0]
    warehouse = cast(Warehouse, _WAREHOUSE.instance(first, 0))  # the row of `w.id = %s`
    cache_related(warehouse, "store", _STORE.instance(first, _WAREHOUSE.width))
    head = _WAREHOUSE.width + _STORE.width
    for row in rows:
        start = head
        made: list[Any] = []
        for columns in parts[2:]:
            made.append(columns.instance(row, start))
            start += columns.width
        if ids and made[0] is not None:
            sku, product, unit, category = made
            cache_related(product, "base_unit", unit)
            cache_related(product, "category", category)
            cache_related(sku, "product", product)
            skus[sku.pk] = sku
            if stock is not None:
                on_hand, value = row[start], row[start + 1]
                if on_hand is not None:
                    stock[sku.pk] = (
                        convert(StockBalance, "on_hand", on_hand),
                        convert(StockBalance, "value", value),
                    )
    return warehouse, skus, stock


def number_last(document, *, kind: str, document_type: str, **fields) -> None:
    """Number a document as the last step of the transaction that created and posted it: the
    number series row of its prefix, store and day is then locked only from here to the
    commit (not from the creation through the posting, which made every document of one kind
    in one store and day wait for the one before). Its postings take the number too;
    `fields` are written with the number (e.g. `posted_at`: the posting's time)."""
    for field, value in fields.items():
        setattr(document, field, value)
    meta = type(document)._meta
    columns = [meta.get_field(name) for name in fields]
    quote = connection.ops.quote_name
    table, posting_table = quote(meta.db_table), quote(Posting._meta.db_table)
    values = [f.get_db_prep_save(getattr(document, f.attname), connection) for f in columns]
    sets = "".join(f", {quote(f.column)} = %s" for f in columns)
    if connection.vendor == "postgresql":
        # One round trip: the series row's UPDATE … RETURNING formats the number, which the
        # document and its postings take in the same statement (writable CTEs).
        day = document.document_date
        head = f"{doctypes.prefix(kind)}-{document.store.code}-{day:%Y%m%d}-"
        sequence = quote(DocumentSequence._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"WITH n AS (UPDATE {sequence} SET last_number = last_number + 1 "
                "WHERE prefix = %s AND store_code = %s AND day = %s RETURNING %s || CASE "
                "WHEN last_number < 10000 THEN lpad(last_number::text, 4, '0') "
                "ELSE last_number::text END AS number), "
                f"d AS (UPDATE {table} SET number = n.number{sets} FROM n "
                f"WHERE {table}.{quote(meta.pk.column)} = %s), "
                f"p AS (UPDATE {posting_table} SET document_number = n.number FROM n "
                f"WHERE {posting_table}.document_type = %s AND {posting_table}.document_id = %s) "
                "SELECT number FROM n",
                [
                    doctypes.prefix(kind),
                    document.store.code,
                    day,
                    head,
                    *values,
                    document.pk,
                    document_type,
                    document.pk,
                ],
            )
            row = cursor.fetchone()
        if row is not None:
            document.number = row[0]
            return
        # the day's first document of this prefix and store: the series row is made below
    number = new_number(kind, document.store.code, document.document_date)
    document.number = number
    # Plain UPDATEs (the ORM's compile time is most of a statement's cost on this path).
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET number = %s{sets} WHERE {quote(meta.pk.column)} = %s",
            [number, *values, document.pk],
        )
        cursor.execute(
            f"UPDATE {posting_table} SET document_number = %s "
            "WHERE document_type = %s AND document_id = %s",
            [number, document_type, document.pk],
        )


BACKDATING_PERM = "inventory.post_backdated"


def check_backdating(user, *, post: bool) -> None:
    """Posting at a past time is for migrating history: a permission granted on purpose (no
    role has it), and only together with posting."""
    if not user.has_perm(BACKDATING_PERM):
        raise PermissionDenied(
            _("You may not post at a past time; that is for migrating history."),
            code="backdating_not_allowed",
        )
    if not post:
        raise ValidationFailed(
            _("A posting time is given only when the document is posted (post=true)."),
            code="posted_at_without_post",
            fields={"posted_at": [_("Give post=true, or leave the time out.")]},
        )


def load_batches(lines: Sequence) -> dict[int, Batch]:
    return Batch.objects.in_bulk({ln.batch_id for ln in lines if ln.batch_id})


def check_batch(index: int, sku: Sku, batch: Batch | None, batch_id: int | None) -> None:
    if batch_id is None:
        return
    if batch is None:
        raise line_error(
            index, "batch", _("Batch #%(id)s does not exist.") % {"id": batch_id}, "unknown_batch"
        )
    if batch.sku_id != sku.id:
        raise line_error(
            index,
            "batch",
            _("Batch %(batch)s is not a batch of SKU %(sku)s.")
            % {"batch": batch.batch_no, "sku": sku.code},
            "unknown_batch",
        )
    if sku.product.tracking != Tracking.BATCH:
        raise line_error(
            index,
            "batch",
            _("SKU %(sku)s is not batch-tracked: remove the batch.") % {"sku": sku.code},
            "batch_not_allowed",
        )
