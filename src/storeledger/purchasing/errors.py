"""Domain errors of purchasing."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from storeledger.core.errors import StateConflict


class PreferredConflict(StateConflict):
    """Two changes made different suppliers preferred for one SKU at the same moment."""

    code = "preferred_conflict"
    default_message = _(
        "Another supplier was made preferred for this SKU at the same time; reload and try again."
    )
