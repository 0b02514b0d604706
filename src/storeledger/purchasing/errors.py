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


class RevisionNotAllowed(StateConflict):
    """Only an approved, sent or partially received order is revised; a draft is edited, a
    received, closed or cancelled one is final."""

    code = "revision_not_allowed"
    default_message = _("This purchase order cannot be revised in its status.")


class RevisionBelowReceived(StateConflict):
    """A revised line cannot order less than has already been received on it."""

    code = "revision_below_received"
    default_message = _("A line cannot be revised below the quantity already received.")


class RevisionRemovesReceived(StateConflict):
    """A line goods were received on (or a receipt is written against) stays on the order."""

    code = "revision_removes_received"
    default_message = _("A line with received goods cannot be removed from the order.")
