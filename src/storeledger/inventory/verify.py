"""Ledger verification: recompute every balance from its moves and check every hash chain.

Balances and moves are streamed side by side, both ordered by balance id (moves by
(balance_id, id), which the `inventory_move_balance` index serves), so memory stays constant
whatever the number of moves."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, NamedTuple

from django.db.models import Sum

from storeledger.core.quantities import ZERO, money, qty
from storeledger.inventory.ledger import GENESIS_HASH, move_hash
from storeledger.inventory.models import Reservation, StockBalance, StockMove

CHUNK = 5000

_MOVE_FIELDS = (
    "id",
    "balance_id",
    "posting_id",
    "posted_at",
    "warehouse_id",
    "location_id",
    "sku_id",
    "batch_id",
    "move_type",
    "quantity",
    "unit_cost",
    "value",
    "balance_quantity",
    "balance_value",
    "line_id",
    "reverses_id",
    "prev_hash",
    "hash",
)


class _Move(NamedTuple):
    """A move row read as plain values (enough for `ledger.move_hash`)."""

    id: int
    balance_id: int
    posting_id: int
    posted_at: datetime.datetime
    warehouse_id: int
    location_id: int | None
    sku_id: int
    batch_id: int | None
    move_type: str
    quantity: Decimal
    unit_cost: Decimal
    value: Decimal
    balance_quantity: Decimal
    balance_value: Decimal
    line_id: int | None
    reverses_id: int | None
    prev_hash: str
    hash: str


@dataclass(frozen=True)
class Discrepancy:
    """One thing that does not add up, named so that a person can find it."""

    balance_id: int
    warehouse: str
    sku: str
    batch: str
    problem: str
    move_id: int | None = None
    expected: str = ""
    actual: str = ""

    def __str__(self) -> str:
        where = f"{self.warehouse} / {self.sku} / {self.batch or '-'} (balance {self.balance_id})"
        if self.move_id is not None:
            where += f" move {self.move_id}"
        text = f"{where}: {self.problem}"
        if self.expected or self.actual:
            text += f" (expected {self.expected}, found {self.actual})"
        return text


@dataclass
class VerifyResult:
    balances: int = 0
    moves: int = 0
    discrepancies: list[Discrepancy] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.discrepancies


def _balances(warehouse: str | None, sku: str | None) -> Iterator[Any]:
    queryset = StockBalance.objects.order_by("id")
    if warehouse:
        queryset = queryset.filter(warehouse__code=warehouse)
    if sku:
        queryset = queryset.filter(sku__code=sku)
    return queryset.values(
        "id",
        "warehouse_id",
        "sku_id",
        "batch_id",
        "on_hand",
        "reserved",
        "value",
        "allow_negative",
        "last_move_hash",
        "move_count",
        "warehouse__code",
        "sku__code",
        "batch__batch_no",
    ).iterator(chunk_size=CHUNK)


def _moves(warehouse: str | None, sku: str | None) -> Iterator[_Move]:
    queryset = StockMove.objects.order_by("balance_id", "id")
    if warehouse:
        queryset = queryset.filter(balance__warehouse__code=warehouse)
    if sku:
        queryset = queryset.filter(balance__sku__code=sku)
    for row in queryset.values_list(*_MOVE_FIELDS).iterator(chunk_size=CHUNK):
        yield _Move(*row)


def _reserved(warehouse: str | None, sku: str | None) -> Iterator[tuple[int, Decimal]]:
    """(balance id, sum of its open reservations), ordered by balance id."""
    queryset = Reservation.objects.filter(quantity__gt=0)
    if warehouse:
        queryset = queryset.filter(balance__warehouse__code=warehouse)
    if sku:
        queryset = queryset.filter(balance__sku__code=sku)
    rows = (
        queryset.values("balance_id")
        .annotate(total=Sum("quantity"))
        .order_by("balance_id")
        .values_list("balance_id", "total")
    )
    yield from rows.iterator(chunk_size=CHUNK)


def _fmt(value: Decimal) -> str:
    return f"{value.normalize():f}" if value else "0"


def verify_ledger(
    *, warehouse: str | None = None, sku: str | None = None, limit: int | None = None
) -> VerifyResult:
    """Check every balance (optionally of one warehouse code and/or SKU code) against its
    moves. `limit` stops collecting after that many discrepancies (the scan still ends)."""
    result = VerifyResult()
    moves = _moves(warehouse, sku)
    pending: _Move | None = next(moves, None)
    reservations = _reserved(warehouse, sku)
    reserved_next: tuple[int, Decimal] | None = next(reservations, None)

    def report(balance: dict, problem: str, move_id=None, expected="", actual="") -> None:
        if limit is not None and len(result.discrepancies) >= limit:
            return
        result.discrepancies.append(
            Discrepancy(
                balance_id=balance["id"],
                warehouse=balance["warehouse__code"],
                sku=balance["sku__code"],
                batch=balance["batch__batch_no"] or "",
                problem=problem,
                move_id=move_id,
                expected=str(expected),
                actual=str(actual),
            )
        )

    for balance in _balances(warehouse, sku):
        result.balances += 1
        # Moves pointing at balances outside this stream cannot exist (foreign key, same
        # filters), but skip defensively so the merge never stalls.
        while pending is not None and pending.balance_id < balance["id"]:
            pending = next(moves, None)
        quantity, value, count, prev = ZERO, ZERO, 0, GENESIS_HASH
        while pending is not None and pending.balance_id == balance["id"]:
            move = pending
            result.moves += 1
            count += 1
            quantity += move.quantity
            value += move.value
            if (move.warehouse_id, move.sku_id, move.batch_id) != (
                balance["warehouse_id"],
                balance["sku_id"],
                balance["batch_id"],
            ):
                report(balance, "move belongs to another warehouse/SKU/batch", move.id)
            if move.prev_hash != prev:
                report(
                    balance, "prev_hash does not continue the chain", move.id, prev, move.prev_hash
                )
            recomputed = move_hash(move.prev_hash, move)
            if recomputed != move.hash:
                report(
                    balance, "hash does not match the move's fields", move.id, recomputed, move.hash
                )
            if qty(move.balance_quantity) != qty(quantity):
                report(
                    balance,
                    "balance_quantity is not the running total",
                    move.id,
                    _fmt(quantity),
                    _fmt(move.balance_quantity),
                )
            if money(move.balance_value) != money(value):
                report(
                    balance,
                    "balance_value is not the running total",
                    move.id,
                    _fmt(value),
                    _fmt(move.balance_value),
                )
            prev = move.hash
            pending = next(moves, None)

        if qty(balance["on_hand"]) != qty(quantity):
            report(
                balance,
                "on_hand differs from the sum of its moves",
                None,
                _fmt(quantity),
                _fmt(balance["on_hand"]),
            )
        if money(balance["value"]) != money(value):
            report(
                balance,
                "value differs from the sum of its moves",
                None,
                _fmt(value),
                _fmt(balance["value"]),
            )
        if balance["move_count"] != count:
            report(balance, "move_count differs", None, count, balance["move_count"])
        expected_last = prev if count else ""
        if (balance["last_move_hash"] or "") != expected_last:
            report(
                balance,
                "last_move_hash is not the hash of the last move",
                None,
                expected_last or "(none)",
                balance["last_move_hash"] or "(none)",
            )
        if balance["on_hand"] < 0 and not balance["allow_negative"]:
            report(
                balance,
                "negative on hand where negative stock is forbidden",
                None,
                ">= 0",
                _fmt(balance["on_hand"]),
            )
        if balance["reserved"] < 0:
            report(balance, "negative reserved quantity", None, ">= 0", _fmt(balance["reserved"]))
        while reserved_next is not None and reserved_next[0] < balance["id"]:
            reserved_next = next(reservations, None)
        promised = ZERO
        if reserved_next is not None and reserved_next[0] == balance["id"]:
            promised = qty(reserved_next[1])
            reserved_next = next(reservations, None)
        if qty(balance["reserved"]) != promised:
            report(
                balance,
                "reserved differs from the sum of its open reservations",
                None,
                _fmt(promised),
                _fmt(balance["reserved"]),
            )
        if balance["on_hand"] == 0 and balance["value"] != 0:
            report(balance, "value left on an empty balance", None, "0", _fmt(balance["value"]))
    return result
