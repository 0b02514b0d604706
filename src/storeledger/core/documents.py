"""The document skeleton shared by every business document: number, state, who/when."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from storeledger.core.errors import ReversalOfReversal, StaleVersion, StateConflict


class DocumentStatus(models.TextChoices):
    """The kernel's vocabulary of status values (the generic life cycle moves documents
    between these). Each document type declares its own enum with only the statuses it has
    (inventory's StockDocumentStatus, TransferStatus, StockCountStatus; purchasing's and
    finance's), as the choices of its model's `status` field; `transition` refuses a status
    its type does not have."""

    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")
    APPROVED = "approved", _("Approved")
    COUNTING = "counting", _("Counting")
    SHIPPED = "shipped", _("Shipped")
    PARTIALLY_RECEIVED = "partially_received", _("Partially received")
    POSTED = "posted", _("Posted")
    REVERSED = "reversed", _("Reversed")
    CANCELLED = "cancelled", _("Cancelled")


# Which timestamp/user pair a transition into a status records.
_STAMPS: dict[str, str] = {
    DocumentStatus.SUBMITTED: "submitted",
    DocumentStatus.APPROVED: "approved",
    DocumentStatus.POSTED: "posted",
    DocumentStatus.REVERSED: "reversed",
    DocumentStatus.CANCELLED: "cancelled",
}


IDEMPOTENCY_KEY_LENGTH = 200


def idempotency_key_field() -> models.CharField:
    """The Idempotency-Key of the API request that created a document ("" without one):
    a document type whose create endpoint takes a key keeps it, unique per user
    (`idempotency_key_unique`), so one key can never make two documents."""
    return models.CharField(
        _("Idempotency-Key"),
        max_length=IDEMPOTENCY_KEY_LENGTH,
        blank=True,
        default="",
        editable=False,
        help_text=_("The Idempotency-Key of the request that created the document."),
    )


def idempotency_key_unique(name: str) -> models.UniqueConstraint:
    return models.UniqueConstraint(
        fields=["created_by", "idempotency_key"],
        condition=~models.Q(idempotency_key=""),
        name=name,
    )


# The most a document's notes may hold (the API refuses more; a line's notes hold 200).
NOTES_MAX_LENGTH = 1000


class Document(models.Model):
    number = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=20, choices=DocumentStatus.choices, default=DocumentStatus.DRAFT
    )
    document_date = models.DateField(_("document date"), default=timezone.localdate)
    notes = models.TextField(_("notes"), blank=True)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True
    )
    submitted_at = models.DateTimeField(null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    posted_at = models.DateTimeField(null=True, blank=True)
    posted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reversed_at = models.DateTimeField(null=True, blank=True)
    reversed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    reversal_of = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reversed_by_document",
        verbose_name=_("reversal of"),
    )

    class Meta:
        abstract = True
        ordering = ["-id"]

    def __str__(self) -> str:
        return self.number


def transition(
    document: Document,
    *,
    allowed_from: Iterable[str],
    to: str,
    user,
    expected_version: int | None = None,
    extra: dict | None = None,
    at: datetime.datetime | None = None,
) -> None:
    """Move a document to a new status with a guarded UPDATE: if another request changed it
    first, zero rows match and the caller gets a 409 instead of a lost update. The status's
    timestamp is `at` (a back-dated entry) or now."""
    allowed = list(allowed_from)
    statuses = type(document)._meta.get_field("status").choices
    if statuses and to not in {value for value, _label in statuses}:
        # A programming error, not a user's: the type's transition table has no such status.
        raise ValueError(f"{type(document).__name__} has no status {to!r}")
    if document.status not in allowed:
        raise StateConflict(
            _("A %(status)s document cannot do this.") % {"status": document.get_status_display()},
            details={"status": document.status, "allowed_from": allowed, "to": to},
        )
    now = at or timezone.now()
    changes: dict = {"status": to, "version": document.version + 1, **(extra or {})}
    stamp = _STAMPS.get(to)
    if stamp:
        changes[f"{stamp}_at"] = now
        changes[f"{stamp}_by"] = user
    query = type(document)._default_manager.filter(
        pk=document.pk, status__in=allowed, version=document.version
    )
    if expected_version is not None and expected_version != document.version:
        raise StaleVersion(details={"expected": expected_version, "current": document.version})
    if query.update(**changes) != 1:
        raise StaleVersion()
    for field, value in changes.items():
        setattr(document, field, value)


def ensure_reversible(document: Document) -> None:
    """409 reversal_of_reversal when `document` is itself a reversing document: every
    document type's reverse path starts here."""
    if document.reversal_of_id is not None:  # type: ignore[attr-defined]
        raise ReversalOfReversal(details={"reversal_of": document.reversal_of_id})  # type: ignore[attr-defined]
