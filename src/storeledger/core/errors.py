"""Domain errors with stable codes. The API maps them to HTTP answers (see core/api/errors.py)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class DomainError(Exception):
    """Base of every business-rule failure. `code` is stable; `message` is translated."""

    code = "error"
    status = 400
    default_message: Any = _("The operation failed.")

    def __init__(
        self,
        message: Any = None,
        *,
        code: str | None = None,
        fields: dict[str, list[str]] | None = None,
        details: dict[str, Any] | None = None,
    ) -> None:
        self.message = message if message is not None else self.default_message
        if code:
            self.code = code
        self.fields = fields or {}
        self.details = details or {}
        super().__init__(str(self.message))


class ValidationFailed(DomainError):
    code = "invalid"
    status = 400
    default_message = _("The input is not valid.")


class NotFound(DomainError):
    code = "not_found"
    status = 404
    default_message = _("Not found.")


class PermissionDenied(DomainError):
    code = "permission_denied"
    status = 403
    default_message = _("You do not have permission to do this.")


class OutOfScope(PermissionDenied):
    code = "out_of_scope"
    default_message = _("This store or warehouse is outside your data scope.")


class StateConflict(DomainError):
    code = "state_conflict"
    status = 409
    default_message = _("The document is not in a state that allows this.")


class ReversalOfReversal(StateConflict):
    """A reversing document (红冲) is final: undoing it would be a new document, not a reversal."""

    code = "reversal_of_reversal"
    default_message = _("A reversing document cannot itself be reversed.")


class InUse(StateConflict):
    """A record that other records still point at cannot be deleted."""

    code = "in_use"
    default_message = _("This record is still used by other records.")


class StaleVersion(StateConflict):
    code = "stale_version"
    default_message = _("Someone else changed this record; reload it and try again.")


class InsufficientStock(DomainError):
    code = "insufficient_stock"
    status = 409
    default_message = _("Not enough stock.")
