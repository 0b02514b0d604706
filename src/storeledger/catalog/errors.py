"""Domain errors of the catalogue."""

from __future__ import annotations

from storeledger.core.errors import StateConflict


class LastSku(StateConflict):
    code = "last_sku"
