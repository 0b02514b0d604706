"""The supplier account summed in SQL: balances per supplier and the ageing of open items per
supplier (or per store), in a constant number of queries whatever the history — the figures of
`account.entries` and `selectors.open_items`, without loading every document into Python.

The built-in sources (finance.sources) are read here directly, from one table (`PARTS`, a
row per kind of document row): each gives rows (supplier, store, open item, amount, due date
of the item it opens, document date) that one statement sums per open item and then per
supplier and bucket of due date, or per supplier for the balances. A receipt
line's amount is `valuation.line_gross` as an SQL expression (PostgreSQL) or the same Python
function registered on the SQLite connection, so both give the fen the Python code gives."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import (
    Case,
    CharField,
    DateField,
    DecimalField,
    Expression,
    ExpressionWrapper,
    F,
    Func,
    Model,
    OuterRef,
    Q,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from storeledger.core.quantities import ZERO, money
from storeledger.finance.account import Query
from storeledger.finance.models import (
    BOOKED_STATUSES,
    SupplierInvoice,
    SupplierInvoiceLine,
    SupplierPayment,
    SupplierPaymentAllocation,
)
from storeledger.finance.sources import INVOICE_ITEM, PAYMENT_ITEM, RECEIPT_ITEM
from storeledger.purchasing.models import (
    PurchaseReceipt,
    PurchaseReceiptCharge,
    PurchaseReceiptLine,
    PurchaseReceiptStatus,
    PurchaseReturnLine,
)

_MONEY = DecimalField(max_digits=30, decimal_places=10)
_LINE_GROSS_ARGS = (
    "base_quantity",
    "unit_cost",
    "order_line__gross_amount",
    "order_line__base_quantity",
    "receipt__supplier__tax_rate",
    "order_price",
    "order_line__price",
    "order_line__factor",
    "order_line__discount",
    "factor",
    "order_line__tax_rate",
    "order_line__order__prices_include_tax",
)
SQLITE_LINE_GROSS = "sl_receipt_line_gross"


def _decimal(value) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def sqlite_line_gross(
    base, unit_cost, order_gross, order_base, rate, order_price, price, order_factor, discount,
    factor, tax_rate, with_tax,
):  # fmt: skip
    """`valuation.line_gross` for SQLite (registered on each connection by the app)."""
    from storeledger.finance.valuation import gross_price_when_received, line_gross

    factor_ = _decimal(factor)
    result = line_gross(
        base_quantity=_decimal(base),
        unit_cost=_decimal(unit_cost),
        order_gross=_decimal(order_gross),
        order_base_quantity=_decimal(order_base),
        supplier_tax_rate=_decimal(rate),
        received_gross_price=gross_price_when_received(
            order_price=_decimal(order_price),
            price=_decimal(price),
            order_factor=_decimal(order_factor),
            discount=_decimal(discount),
            factor=factor_,
            tax_rate=_decimal(tax_rate),
            prices_include_tax=None if with_tax is None else bool(with_tax),
        ),
        factor=factor_,
    )
    return str(result)


def register_sqlite_functions(sender, connection, **kwargs) -> None:
    """connection_created receiver: the receipt line valuation as an SQLite function."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(
            SQLITE_LINE_GROSS, len(_LINE_GROSS_ARGS), sqlite_line_gross, deterministic=True
        )


class LineGross(Func):
    """What an accepted receipt line owes the supplier incl. tax (valuation.line_gross)."""

    function = SQLITE_LINE_GROSS
    output_field = _MONEY

    def __init__(self) -> None:
        super().__init__(*(F(name) for name in _LINE_GROSS_ARGS))

    def as_postgresql(self, compiler, connection, **extra):
        compiled = [compiler.compile(expression) for expression in self.source_expressions]
        if any(params for _sql, params in compiled):  # columns only: no parameters
            raise TypeError("LineGross takes columns, not values")
        (base, cost, gross, obase, rate, oprice, price, ofactor, disc, factor, trate, wtax) = (
            sql for sql, _params in compiled
        )
        # The order's price per the line's unit as order_unit_price computes it, to 0.0001 (a
        # tie rounds half-even there and half-up here: within half a unit counts as equal).
        unit_price = f"({price} * {factor} / {ofactor} * (100 - {disc}) / 100)"
        received = (
            f"CASE WHEN {oprice} IS NULL OR {price} IS NULL OR {ofactor} IS NULL"
            f" OR {disc} IS NULL THEN NULL"
            f" WHEN ABS({oprice} - {unit_price}) <= 0.00005 THEN NULL"
            f" WHEN {wtax} THEN {oprice}"
            f" ELSE {oprice} * (100 + COALESCE({trate}, 0)) / 100 END"
        )
        sql = (
            f"CASE WHEN {base} <= 0 THEN 0"
            f" WHEN ({received}) IS NOT NULL THEN ROUND(({received}) * {base} / {factor}, 2)"
            f" WHEN {gross} IS NOT NULL AND {obase} <> 0"
            f" THEN ROUND({gross} * {base} / {obase}, 2)"
            f" ELSE ROUND({cost} * {base} * (100 + {rate}) / 100, 2) END"
        )
        return sql, []


class AddDays(Func):
    """A date plus a number of days."""

    output_field = DateField()
    arity = 2

    def as_sql(self, compiler, connection, **extra):
        (day, day_params), (days, days_params) = (
            compiler.compile(e) for e in self.source_expressions
        )
        if connection.vendor == "sqlite":
            return f"date({day}, '+' || {days} || ' days')", [*day_params, *days_params]
        return f"({day} + {days})", [*day_params, *days_params]


# ---------------------------------------------------------------- open items


def _scoped(queryset, query: Query, prefix: str):
    """`filter_query` on a document reached through `prefix` (e.g. "receipt__")."""
    if query.supplier_ids is not None:
        queryset = queryset.filter(**{f"{prefix}supplier_id__in": list(query.supplier_ids)})
    if query.store_ids is not None:
        queryset = queryset.filter(**{f"{prefix}store_id__in": list(query.store_ids)})
    if query.date_from is not None:
        queryset = queryset.filter(**{f"{prefix}document_date__gte": query.date_from})
    if query.date_to is not None:
        queryset = queryset.filter(**{f"{prefix}document_date__lte": query.date_to})
    return queryset


_COLUMNS = ("k_supplier", "k_store", "k_kind", "k_item", "k_amount", "k_due", "k_day")
_NO_DATE = Cast(Value(None), DateField())
_POSTED = PurchaseReceiptStatus.POSTED


def _kind(key: str) -> Value:
    return Value(key, output_field=CharField())


@dataclass(frozen=True)
class PartSource:
    """One kind of row on the supplier account: `model`'s rows matching `where` each add
    `amount` to the open item (`kind`, `item`) of the supplier, in the store and on the date of
    the document reached through `document` ("" when the row is the document itself; the
    document has `supplier`, `store` and `document_date`). `due`: the due date on the row that
    opens its item (None elsewhere). The rows of one document add up to its entry's amount in
    `account.entries`, so the balances and the open items are sums over this table."""

    model: type[Model]
    where: Q
    kind: Expression
    item: Expression
    amount: Expression
    document: str = ""
    due: Expression = _NO_DATE


# What each payment leaves on account: its amount less what it allocates.
_ALLOCATED = Coalesce(
    Subquery(
        SupplierPaymentAllocation.objects.filter(payment_id=OuterRef("pk"))
        .order_by()
        .values("payment_id")
        .annotate(total=Sum("amount"))
        .values("total"),
        output_field=_MONEY,
    ),
    Value(ZERO, output_field=_MONEY),
)

# The built-in sources (finance.sources) as rows. A new kind of document on the supplier
# account adds its rows here (docs/finance.md §1a).
PARTS: tuple[PartSource, ...] = (
    # a posted receipt opens its item, due after the supplier's payment terms...
    PartSource(
        PurchaseReceipt,
        Q(status=_POSTED),
        kind=_kind(RECEIPT_ITEM),
        item=F("id"),
        amount=Value(ZERO, output_field=_MONEY),
        due=AddDays(F("document_date"), F("supplier__payment_terms_days")),
    ),
    # ... of what its accepted lines are worth incl. tax,
    PartSource(
        PurchaseReceiptLine,
        Q(receipt__status=_POSTED, base_quantity__gt=0),
        document="receipt",
        kind=_kind(RECEIPT_ITEM),
        item=F("receipt_id"),
        amount=LineGross(),
    ),
    # and its landed-cost charges payable to the supplier
    PartSource(
        PurchaseReceiptCharge,
        Q(receipt__status=_POSTED, payable_to_supplier=True),
        document="receipt",
        kind=_kind(RECEIPT_ITEM),
        item=F("receipt_id"),
        amount=F("amount") + F("tax_amount"),
    ),
    # a return (debit note) settles the receipts its lines came from
    PartSource(
        PurchaseReturnLine,
        Q(document__posted_at__isnull=False),
        document="document",
        kind=_kind(RECEIPT_ITEM),
        item=F("receipt_line__receipt_id"),
        amount=-F("gross_amount"),
    ),
    # an invoice opens its item (a reversal adds to its original's)...
    PartSource(
        SupplierInvoice,
        Q(status__in=BOOKED_STATUSES),
        kind=_kind(INVOICE_ITEM),
        item=Coalesce(F("reversal_of_id"), F("id")),
        amount=F("total_gross"),
        due=Case(When(reversal_of__isnull=True, then=F("due_date")), default=_NO_DATE),
    ),
    # ... and settles what its lines match of the receipts
    PartSource(
        SupplierInvoiceLine,
        Q(invoice__status__in=BOOKED_STATUSES),
        document="invoice",
        kind=_kind(RECEIPT_ITEM),
        item=F("receipt_id"),
        amount=-F("receipt_amount"),
    ),
    # a payment settles the invoices or receipts it is allocated to...
    PartSource(
        SupplierPaymentAllocation,
        Q(payment__status__in=BOOKED_STATUSES),
        document="payment",
        kind=Case(
            When(invoice_id__isnull=False, then=_kind(INVOICE_ITEM)), default=_kind(RECEIPT_ITEM)
        ),
        item=Coalesce(F("invoice_id"), F("receipt_id")),
        amount=-F("amount"),
    ),
    # ... and the rest is a credit on account, due (usable) from its date
    PartSource(
        SupplierPayment,
        Q(status__in=BOOKED_STATUSES),
        kind=_kind(PAYMENT_ITEM),
        item=Coalesce(F("reversal_of_id"), F("id")),
        amount=_ALLOCATED - F("amount"),
        due=Case(When(reversal_of__isnull=True, then=F("document_date")), default=_NO_DATE),
    ),
)


def _rows(part: PartSource, query: Query):
    """The rows of one `PartSource` in the scope of `query`, as `_COLUMNS`."""
    prefix = f"{part.document}__" if part.document else ""
    return (
        _scoped(part.model.objects.filter(part.where), query, prefix)
        .annotate(
            k_supplier=F(f"{prefix}supplier_id"),
            k_store=F(f"{prefix}store_id"),
            k_kind=part.kind,
            k_item=part.item,
            k_amount=ExpressionWrapper(part.amount, output_field=_MONEY),
            k_due=part.due,
            k_day=F(f"{prefix}document_date"),
        )
        .order_by()
        .values_list(*_COLUMNS)
    )


def _parts(query: Query) -> list:
    """Querysets of rows (supplier, store, kind, item, amount, due, day): the parts of every
    entry (account.Part) in the scope of `query`, with the due date on the part that opens
    its item and the date of its document."""
    return [_rows(part, query) for part in PARTS]


def _union(query: Query) -> tuple[str, list] | None:
    """The parts of `query` as one UNION ALL (None: none can match)."""
    union_sql, union_params = [], []
    for queryset in _parts(query):
        try:
            sql, params = queryset.query.get_compiler(connection=connection).as_sql()
        except EmptyResultSet:  # a filter that can match nothing (no stores, no suppliers)
            continue
        union_sql.append(f"SELECT {', '.join(_COLUMNS)} FROM ({sql}) AS part")
        union_params.extend(params)
    if not union_sql:
        return None
    return " UNION ALL ".join(union_sql), union_params


@dataclass(frozen=True)
class Bucket:
    """Open items whose due date is within [first, last] (None: open-ended)."""

    name: str
    first: datetime.date | None = None
    last: datetime.date | None = None


def open_item_sums(
    query: Query, buckets: Sequence[Bucket], *, group_by: str = "supplier"
) -> dict[int, dict[str, Decimal]]:
    """{supplier (or store) id: {bucket name: what is open in it, "total": all of it}}: every
    open item of `query` (as `selectors.open_items` finds them: its parts summed, due on the
    date its opening part gives, else its earliest document's date), summed per group and
    bucket of due date — in one SQL statement. Groups with nothing open are left out."""
    assert group_by in ("supplier", "store")
    union = _union(query)
    if union is None:
        return {}
    union_sql, union_params = union
    columns = []
    params: list = []
    adapt = connection.ops.adapt_datefield_value
    for bucket in buckets:
        conditions = []
        if bucket.first is not None:
            conditions.append("due >= %s")
            params.append(adapt(bucket.first))
        if bucket.last is not None:
            conditions.append("due <= %s")
            params.append(adapt(bucket.last))
        test = " AND ".join(conditions) or "1 = 1"
        columns.append(f"SUM(CASE WHEN {test} THEN amount ELSE 0 END)")
    group = "k_supplier" if group_by == "supplier" else "MIN(k_store)"
    sql = (
        f"SELECT grp, {', '.join([*columns, 'SUM(amount)'])} FROM ("
        f"SELECT {group} AS grp, SUM(k_amount) AS amount,"
        " COALESCE(MAX(k_due), MIN(k_day)) AS due"
        f" FROM ({union_sql}) AS parts"
        " GROUP BY k_supplier, k_kind, k_item HAVING SUM(k_amount) <> 0) AS items"
        " GROUP BY grp"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *union_params])
        found = cursor.fetchall()
    out: dict[int, dict[str, Decimal]] = {}
    for key, *sums in found:
        row = {b.name: _money(v) for b, v in zip(buckets, sums, strict=False)}
        row["total"] = _money(sums[-1])
        if row["total"] == 0 and all(v == 0 for v in row.values()):
            continue
        out[key] = row
    return out


def open_item_rows(query: Query) -> list[tuple]:
    """(supplier, store, kind, item, amount, date, due date) of every open item of `query`, as
    `selectors.open_items` finds them from the entries: the parts summed per item (items with
    nothing open left out), dated by the part that opens it (else its earliest part) and due
    on the date that part gives (else that earliest date) — in one SQL statement."""
    union = _union(query)
    if union is None:
        return []
    union_sql, params = union
    sql = (
        "SELECT k_supplier, MIN(k_store), k_kind, k_item, SUM(k_amount),"
        " COALESCE(MAX(CASE WHEN k_due IS NOT NULL THEN k_day END), MIN(k_day)),"
        " COALESCE(MAX(k_due), MIN(k_day))"
        f" FROM ({union_sql}) AS parts"
        " GROUP BY k_supplier, k_kind, k_item HAVING SUM(k_amount) <> 0"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found = cursor.fetchall()
    out = []
    for supplier, store, kind, item, amount, day, due in found:
        amount = _money(amount)
        if amount:
            out.append((supplier, store, kind, item, amount, _date(day), _date(due)))
    return out


def _date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _money(value) -> Decimal:
    return ZERO if value is None else money(Decimal(str(value)))


# ---------------------------------------------------------------- balances


def supplier_balances(query: Query) -> dict[int, Decimal]:
    """{supplier id: the sum of its entries' amounts in `query`} for suppliers with entries
    (as `account.entries` sums them): the parts (`PARTS`) summed per supplier in one query."""
    union = _union(query)
    if union is None:
        return {}
    union_sql, params = union
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT k_supplier, SUM(k_amount) FROM ({union_sql}) AS parts GROUP BY k_supplier",
            params,
        )
        return {pk: money(_decimal_or_zero(total)) for pk, total in cursor.fetchall()}


def _decimal_or_zero(value) -> Decimal:
    return ZERO if value is None else Decimal(str(value))
