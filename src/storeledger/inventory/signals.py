"""Signals of the ledger, for the modules that keep figures derived from it."""

from django.dispatch import Signal

# Sent by `ledger.post_moves` inside the posting's transaction, after its moves and balances
# are written: posting=, moves= (the StockMove rows written), backdated= (a `posted_at` was
# given). A receiver that writes must do so in the same transaction (it is in it) and fast.
moves_posted = Signal()

# Sent by `ledger.shorten_reservations` inside a stock count's posting transaction when the count
# found less than was promised: reservations= (the Reservation rows cut, each with its
# `document_type`, `document_id`, `line_id` and the `shorted` total). The module that owns the
# document type (a sales order) tells its user that the line can no longer be delivered in full.
reservations_shortened = Signal()
