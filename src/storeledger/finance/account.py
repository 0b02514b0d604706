"""The supplier's account (往来): what the company owes each supplier, derived from the posted
documents — never kept in a table of its own, so it cannot drift from them.

Each kind of source document contributes its entries through a small registration
(`register_source`): a function that, for the suppliers, stores and dates asked, returns one
`Entry` per document that changed the account. Built in (docs/finance.md §1):

| document | amount (what is owed) |
|---|---|
| purchase receipt 采购入库, posted | + accepted quantity × the order's price incl. tax |
| supplier invoice 发票, posted | + its amount − what the matched receipt lines are worth (the difference) |
| supplier payment 付款, posted | − its amount |
| purchase return 采购退货 (registered by purchasing once it has them) | − its amount |

A reversal (红冲) is a document of the same kind with the negated amount, so a reversed
document and its reversal cancel out (both stay on the statement).

Each entry also says which open items (`Part`) it adds to or settles — a receipt, an invoice,
a payment on account — with the due date of the item it opens: the ageing
(finance.selectors.ageing) sums the parts per item. The parts of an entry add up to its
amount, so the ageing's total is always the balance."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils.functional import Promise

from storeledger.core.quantities import ZERO, money

ItemKey = tuple[str, int]  # ("purchasereceipt", 12), ("supplierinvoice", 3), ...


@dataclass(frozen=True)
class Part:
    """The share of an entry that opens or settles one open item."""

    item: ItemKey
    amount: Decimal
    due_date: datetime.date | None = None  # set on the part that opens the item
    number: str = ""  # the item's document number (on the part that opens it)

    def __post_init__(self) -> None:
        _exact(self)


@dataclass(frozen=True)
class Entry:
    """One document on a supplier's account: + the company owes more, − less."""

    source: str  # the source's key
    document_id: int
    number: str
    date: datetime.date
    supplier_id: int
    store_id: int
    amount: Decimal
    parts: tuple[Part, ...]
    reference: str = ""  # the supplier's invoice number, the payment's bank reference...
    reversal: bool = False
    posted_at: datetime.datetime | None = None

    def __post_init__(self) -> None:
        _exact(self)


def _exact(row: Part | Entry) -> None:
    """Amounts at the ledger's money precision: a sum SQLite computes in floating point
    (12289.93000000000000) reads as the same figure PostgreSQL gives (12289.9300)."""
    object.__setattr__(row, "amount", money(row.amount))


@dataclass(frozen=True)
class Query:
    """Which entries: None = no restriction."""

    supplier_ids: Sequence[int] | None = None
    store_ids: Sequence[int] | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None


@dataclass(frozen=True)
class Source:
    key: str  # "purchase_receipt"
    title: str | Promise  # shown on statements: 采购入库
    entries: Callable[[Query], Iterable[Entry]]
    api_path: str = ""  # the resource of its documents (the web UI links there)
    extra: dict = field(default_factory=dict)


_SOURCES: dict[str, Source] = {}


def register_source(source: Source) -> Source:
    """Add a kind of document to the supplier account (idempotent for the same key)."""
    _SOURCES[source.key] = source
    return source


def sources() -> tuple[Source, ...]:
    return tuple(_SOURCES.values())


def source(key: str) -> Source:
    return _SOURCES[key]


def entries(query: Query) -> list[Entry]:
    """Every entry of every source matching `query`, in account order (date, then posting
    time, then number)."""
    found: list[Entry] = []
    for src in _SOURCES.values():
        found.extend(src.entries(query))
    far = datetime.datetime.max.replace(tzinfo=datetime.UTC)
    found.sort(key=lambda e: (e.date, e.posted_at or far, e.number))
    return found


def balance(entries_: Iterable[Entry]) -> Decimal:
    return sum((e.amount for e in entries_), ZERO)


def filter_query(queryset, query: Query, *, date_field: str = "document_date"):
    """Apply a `Query` to a queryset of documents with `supplier` and `store`."""
    if query.supplier_ids is not None:
        queryset = queryset.filter(supplier_id__in=list(query.supplier_ids))
    if query.store_ids is not None:
        queryset = queryset.filter(store_id__in=list(query.store_ids))
    if query.date_from is not None:
        queryset = queryset.filter(**{f"{date_field}__gte": query.date_from})
    if query.date_to is not None:
        queryset = queryset.filter(**{f"{date_field}__lte": query.date_to})
    return queryset


def register_builtin_sources() -> None:
    from storeledger.finance import sources as builtin

    builtin.register()


# ---------------------------------------------------------------- returns

# What has gone back to the supplier of each receipt line (in its base unit): a receipt line
# can be invoiced only for what was accepted and not returned. A returns module registers a
# function {receipt line id: returned base quantity} for the ids asked.
ReturnedQuantities = Callable[[Sequence[int]], dict[int, Decimal]]
_RETURNED: dict[str, ReturnedQuantities] = {}


def register_returned_quantities(key: str, func: ReturnedQuantities) -> None:
    _RETURNED[key] = func


def returned_quantities(receipt_line_ids: Sequence[int]) -> dict[int, Decimal]:
    total: dict[int, Decimal] = {}
    for func in _RETURNED.values():
        for line_id, quantity in func(receipt_line_ids).items():
            total[line_id] = total.get(line_id, ZERO) + quantity
    return total
