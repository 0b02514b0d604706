"""A hypothesis state machine over the inventory services: receipts, transfers (ship, receive
in parts, close with a write-off, reverse), stock counts (create, start, count, submit, post,
reverse) and reservations (reserve, release, deliver against them), in random order. After
every step the whole ledger verifies (sums, hash chains, reserved = open reservations) and no
balance promises more than it holds. Bounded so that CI stays fast."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.db import transaction
from django.db.models import F, Sum
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    consumes,
    initialize,
    invariant,
    rule,
    run_state_machine_as_test,
)

from storeledger.core.documents import DocumentStatus as S
from storeledger.core.errors import InsufficientStock
from storeledger.inventory import ledger
from storeledger.inventory.ledger import MoveRequest, ReserveRequest
from storeledger.inventory.models import Reservation, StockBalance, StockCount, Transfer
from storeledger.inventory.services import counts, documents, transfers
from storeledger.inventory.services.documents import StockLineInput
from storeledger.inventory.services.transfers import ReceiveLineInput, TransferLineInput
from storeledger.inventory.verify import verify_ledger
from storeledger.org.models import transit_warehouse
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

ORDER = "machine_order"
quantities = st.integers(min_value=1, max_value=6).map(Decimal)


class InventoryMachine(RuleBasedStateMachine):
    transfers_shipped = Bundle("transfers_shipped")
    transfers_posted = Bundle("transfers_posted")
    counts_posted = Bundle("counts_posted")

    def __init__(self):
        super().__init__()
        self._atomic = transaction.atomic()  # each run rolls back
        self._atomic.__enter__()
        store = factories.store()
        self.warehouses = [factories.warehouse(store, allow_negative_stock=False) for _ in range(2)]
        transit_warehouse()
        self.sku = factories.sku()
        self.boss = factories.user(factories.unique("boss"), roles=("admin",), all_stores=True)
        self.lines = 0
        self.deliveries = 0

    def teardown(self):
        transaction.set_rollback(True)
        self._atomic.__exit__(None, None, None)

    def _free(self, w: int) -> Decimal:
        b = StockBalance.objects.filter(warehouse=self.warehouses[w], sku=self.sku).first()
        return (b.on_hand - b.reserved) if b else Decimal(0)

    def _on_hand(self, w: int) -> Decimal:
        b = StockBalance.objects.filter(warehouse=self.warehouses[w], sku=self.sku).first()
        return b.on_hand if b else Decimal(0)

    @initialize()
    def opening_stock(self):
        for w in range(2):
            self.receive(w=w, quantity=Decimal(10))

    @rule(w=st.integers(0, 1), quantity=quantities)
    def receive(self, w, quantity):
        documents.create_and_post_stock_document(
            user=self.boss,
            kind="stock_in",
            warehouse_id=self.warehouses[w].id,
            lines=[StockLineInput(sku_id=self.sku.id, quantity=quantity, unit_cost=Decimal(2))],
        )

    # ------------------------------------------------------------ transfers

    @rule(target=transfers_shipped, w=st.integers(0, 1), quantity=quantities)
    def ship(self, w, quantity):
        transfer = transfers.create_transfer(
            user=self.boss,
            from_warehouse_id=self.warehouses[w].id,
            to_warehouse_id=self.warehouses[1 - w].id,
            lines=[TransferLineInput(sku_id=self.sku.id, quantity=quantity)],
        )
        free = self._free(w)
        try:
            transfers.ship_transfer(user=self.boss, transfer_id=transfer.id)
        except InsufficientStock:
            assert free < quantity  # refused only when it would take promised or missing stock
            return transfer.id  # a draft: later rules see it is not shipped
        assert free >= quantity
        return transfer.id

    @rule(
        target=transfers_posted, transfer_id=transfers_shipped, part=quantities, close=st.booleans()
    )
    def receive_transfer(self, transfer_id, part, close):
        """Receive part of what is in transit; the last part (or a close) posts the transfer."""
        transfer = Transfer.objects.get(pk=transfer_id)
        if transfer.status not in (S.SHIPPED, S.PARTIALLY_RECEIVED):
            return transfer_id
        line = transfer.lines.get()
        open_quantity = line.shipped_quantity - line.received_quantity
        take = min(part, open_quantity)
        transfers.receive_transfer(
            user=self.boss,
            transfer_id=transfer_id,
            lines=[ReceiveLineInput(line_id=line.id, quantity=take)],
            close=close,
        )
        done = close or take == open_quantity
        expected = S.POSTED if done else S.PARTIALLY_RECEIVED
        assert Transfer.objects.get(pk=transfer_id).status == expected
        return transfer_id

    @rule(transfer_id=consumes(transfers_posted))
    def reverse_transfer(self, transfer_id):
        if Transfer.objects.get(pk=transfer_id).status != S.POSTED:
            return
        try:
            transfers.reverse_transfer(user=self.boss, transfer_id=transfer_id)
        except InsufficientStock:
            # the received stock has left (or is promised): refused, nothing changed
            assert Transfer.objects.get(pk=transfer_id).status == S.POSTED

    # ------------------------------------------------------------ stock counts

    @rule(target=counts_posted, w=st.integers(0, 1), change=st.integers(-4, 4))
    def count(self, w, change):
        count = counts.create_stock_count(
            user=self.boss,
            warehouse_id=self.warehouses[w].id,
            approval_threshold=Decimal(10**9),  # posts without approval
        )
        count = counts.start_stock_count(user=self.boss, count_id=count.id)
        line = count.lines.filter(sku=self.sku).first()
        if line is None:  # nothing on hand: the sheet lists no line for the SKU
            assert self._on_hand(w) == 0
            counts.cancel_stock_count(user=self.boss, count_id=count.id)
            return count.id
        counted = max(line.book_quantity + change, Decimal(0))
        counts.set_line_count(user=self.boss, count_id=count.id, line_id=line.id, quantity=counted)
        counts.submit_stock_count(user=self.boss, count_id=count.id, uncounted_as_zero=True)
        # A count always posts, also when it finds less than is promised: the reservations
        # are cut back to what it found (the invariants checked after every step hold).
        counts.post_stock_count(user=self.boss, count_id=count.id)
        assert self._on_hand(w) == counted
        assert (
            Reservation.objects.filter(
                balance__warehouse=self.warehouses[w], quantity__gt=0
            ).aggregate(total=Sum("quantity"))["total"]
            or 0
        ) <= counted
        return count.id

    @rule(count_id=consumes(counts_posted))
    def reverse_count(self, count_id):
        if StockCount.objects.get(pk=count_id).status != S.POSTED:
            return
        try:
            counts.reverse_stock_count(user=self.boss, count_id=count_id)
        except InsufficientStock:
            # a reversed gain whose stock has left (or is promised) is refused
            assert StockCount.objects.get(pk=count_id).status == S.POSTED

    # ------------------------------------------------------------ reservations

    @rule(w=st.integers(0, 1), quantity=quantities)
    def reserve(self, w, quantity):
        self.lines += 1
        free = self._free(w)
        try:
            with transaction.atomic():
                ledger.reserve(
                    document_type=ORDER,
                    document_id=1,
                    lines=[
                        ReserveRequest(self.lines, self.warehouses[w].id, self.sku.id, quantity)
                    ],
                )
        except InsufficientStock:
            assert free < quantity
        else:
            assert free >= quantity

    @rule(pick=st.integers(0, 50), quantity=st.integers(0, 6).map(Decimal))
    def release(self, pick, quantity):
        held = list(Reservation.objects.filter(document_type=ORDER, quantity__gt=0))
        if not held:
            return
        row = held[pick % len(held)]
        with transaction.atomic():
            released = ledger.release(
                document_type=ORDER,
                document_id=1,
                lines={row.line_id: min(quantity, row.quantity)},
            )
        assert released == min(quantity, row.quantity)

    @rule(pick=st.integers(0, 50), quantity=quantities)
    def deliver(self, pick, quantity):
        held = list(
            Reservation.objects.filter(document_type=ORDER, quantity__gt=0).select_related(
                "balance"
            )
        )
        if not held:
            return
        row = held[pick % len(held)]
        self.deliveries += 1
        free = self._free(self.warehouses.index(row.balance.warehouse))
        try:
            with transaction.atomic():
                ledger.post_moves(
                    key=f"machine-delivery-{self.deliveries}",
                    document_type="machine_delivery",
                    document_id=self.deliveries,
                    document_number=f"MD{self.deliveries}",
                    event="post",
                    user=None,
                    moves=[
                        MoveRequest(
                            row.warehouse_id,
                            row.sku_id,
                            -quantity,
                            "sale",
                            reservation=(ORDER, row.line_id),
                        )
                    ],
                )
        except InsufficientStock:
            assert free + row.quantity < quantity
        else:
            row.refresh_from_db()
            assert row.consumed >= min(quantity, row.consumed + row.quantity)

    # ------------------------------------------------------------ after every step

    @invariant()
    def ledger_verifies(self):
        result = verify_ledger()
        assert result.ok, [str(d) for d in result.discrepancies]

    @invariant()
    def nothing_is_promised_twice(self):
        assert not StockBalance.objects.filter(reserved__gt=0, on_hand__lt=F("reserved")).exists()


def test_random_service_sequences_keep_the_ledger_true(db):
    run_state_machine_as_test(
        InventoryMachine,
        settings=settings(
            max_examples=12,
            stateful_step_count=12,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
