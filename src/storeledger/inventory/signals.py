"""Signals of the ledger, for the modules that keep figures derived from it."""

from django.dispatch import Signal

# Sent by `ledger.post_moves` inside the posting's transaction, after its moves and balances
# are written: posting=, moves= (the StockMove rows written), backdated= (a `posted_at` was
# given). A receiver that writes must do so in the same transaction (it is in it) and fast.
moves_posted = Signal()
