"""The kinds of flow of the stock summary (进销存汇总表) and their SQL: shared by the summary
(`reports.selectors`) and the month-end snapshots (`reports.models`, `reports.snapshots`),
which carry each kind's cumulative quantity and value since the ledger's start."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from storeledger.inventory.models import MoveType

IN, OUT = "in", "out"


@dataclass(frozen=True)
class FlowKind:
    """A column of the summary: the move types it sums. `sign` splits a move type that can go
    either way (an adjustment, a transfer discrepancy) by the sign of the quantity."""

    key: str
    direction: str
    move_types: tuple[str, ...]
    sign: int = 0  # 0: every move of these types; 1: only inbound ones; -1: only outbound ones

    @property
    def quantity_column(self) -> str:
        return f"{self.key}_quantity"

    @property
    def value_column(self) -> str:
        return f"{self.key}_value"

    def sql_condition(self, move: str) -> str:
        """A SQL condition true for the moves (table alias `move`) of this kind."""
        types = ", ".join(f"'{t}'" for t in self.move_types)
        condition = f"{move}.move_type IN ({types})"
        if self.sign > 0:
            condition += f" AND {move}.quantity > 0"
        elif self.sign < 0:
            condition += f" AND {move}.quantity <= 0"
        return condition


# The kinds of 进销存: a move type always lands in the same column, whatever its sign, so a
# reversal (红冲) shows as a negative figure in the column of what it reverses. Kinds whose
# module is not built yet (sales, purchasing) read 0 until their move types appear.
FLOW_KINDS: tuple[FlowKind, ...] = (
    FlowKind("purchase_receipt", IN, (MoveType.PURCHASE_RECEIPT,)),
    FlowKind("transfer_in", IN, (MoveType.TRANSFER_IN,)),
    FlowKind("sales_return", IN, (MoveType.SALES_RETURN,)),
    FlowKind("count_gain", IN, (MoveType.COUNT_GAIN,)),
    FlowKind("other_in", IN, (MoveType.STOCK_IN,)),
    FlowKind("adjustment_in", IN, (MoveType.ADJUSTMENT, MoveType.TRANSFER_LOSS), sign=1),
    FlowKind("sale", OUT, (MoveType.SALE,)),
    FlowKind("transfer_out", OUT, (MoveType.TRANSFER_OUT,)),
    FlowKind("purchase_return", OUT, (MoveType.PURCHASE_RETURN,)),
    FlowKind("count_loss", OUT, (MoveType.COUNT_LOSS,)),
    FlowKind("scrap", OUT, (MoveType.SCRAP,)),
    FlowKind("other_out", OUT, (MoveType.STOCK_OUT,)),
    FlowKind("adjustment_out", OUT, (MoveType.ADJUSTMENT, MoveType.TRANSFER_LOSS), sign=-1),
)
IN_KINDS = [k.key for k in FLOW_KINDS if k.direction == IN]
OUT_KINDS = [k.key for k in FLOW_KINDS if k.direction == OUT]
KINDS_BY_KEY = {k.key: k for k in FLOW_KINDS}
# The snapshot's columns of cumulative flows, in FLOW_KINDS order, quantity then value.
KIND_COLUMNS: tuple[str, ...] = tuple(
    column for k in FLOW_KINDS for column in (k.quantity_column, k.value_column)
)


def kind_of(move_type: str, quantity: Decimal) -> str:
    """The summary column a move lands in."""
    for kind in FLOW_KINDS:
        if move_type in kind.move_types and (kind.sign == 0 or (kind.sign > 0) == (quantity > 0)):
            return kind.key
    raise ValueError(f"unknown move type {move_type}")


def kind_sql(move: str, sign: int = 1) -> list[str]:
    """Per column of KIND_COLUMNS, the SQL of a move's (table alias `move`) part in it: its
    quantity or value (times `sign`, ±1) if the move is of the column's kind, else 0. The
    ledger's sign is kept: an outflow's figures are negative."""
    factor = "" if sign == 1 else "-"
    return [
        f"CASE WHEN {kind.sql_condition(move)} THEN {factor}{move}.{field} ELSE 0 END"
        for kind in FLOW_KINDS
        for field in ("quantity", "value")
    ]
