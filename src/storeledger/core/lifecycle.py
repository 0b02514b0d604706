"""The generic life cycle of every registered document type (core.doctypes): guarded
transitions whose "from" statuses and permissions come from the registry — draft edit and
delete, submit, approve (or skip it), cancel, the skeleton of a reversal — plus the helpers
every document service needs (numbering, a back-dated moment, line errors).

Inventory's stock documents, transfers and counts use it; purchasing and sales do too. The
approval engine hooks into `approve`: it is the one function every document's approval runs
through."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import Sequence

from django.utils import timezone
from django.utils.translation import gettext as _

from storeledger.core import approvals, doctypes
from storeledger.core.documents import DocumentStatus, ensure_reversible, transition
from storeledger.core.errors import (
    InsufficientStock,
    PermissionDenied,
    StaleVersion,
    StateConflict,
    ValidationFailed,
)
from storeledger.core.numbering import next_document_number

# ---------------------------------------------------------------- time and numbers


def check_posting_time(at: datetime.datetime) -> datetime.datetime:
    """A time given for a back-dated entry: with its time zone, and not in the future."""
    if timezone.is_naive(at):
        raise ValidationFailed(
            _("The time %(at)s has no time zone.") % {"at": at}, code="naive_time"
        )
    if at > timezone.now():
        raise ValidationFailed(
            _("The time %(at)s is in the future.")
            % {"at": timezone.localtime(at).strftime("%Y-%m-%d %H:%M:%S")},
            code="future_time",
        )
    return at


def moment(at: datetime.datetime | None) -> datetime.datetime:
    """The time a service stamps: `at` for a back-dated entry (history, imports; with its
    time zone, not in the future), else now."""
    return timezone.now() if at is None else check_posting_time(at)


def new_number(kind: str, store_code: str, day: datetime.date | None = None) -> str:
    """The next number of a document kind (its prefix from the registry) in a store and day."""
    return next_document_number(
        prefix=doctypes.prefix(kind), store_code=store_code, day=day or timezone.localdate()
    )


# A document created and posted in one transaction is numbered last; until then it holds a
# unique placeholder that no other transaction ever sees.
UNNUMBERED_PREFIX = "~"


def unnumbered() -> str:
    return f"{UNNUMBERED_PREFIX}{uuid.uuid4().hex}"


# ---------------------------------------------------------------- line errors


def line_error(index: int, field: str, message: str, code: str) -> ValidationFailed:
    """A 400 on `lines.<index>.<field>`."""
    return ValidationFailed(message, code=code, fields={f"lines.{index}.{field}": [message]})


def check_lines_present(lines: Sequence) -> None:
    if not lines:
        raise ValidationFailed(
            _("A document needs at least one line."),
            code="no_lines",
            fields={"lines": [_("Add at least one line.")]},
        )


def name_short_lines(error: InsufficientStock, lines: Sequence) -> InsufficientStock:
    """Put every short line of a refused posting on its field (`lines.<index>.quantity`,
    the index being the line's place in the document), so a client marks each one."""
    index_of = {line.id: index for index, line in enumerate(lines)}
    for shortage in error.details.get("shortages", ()):
        index = index_of.get(shortage["line_id"])
        if index is not None:
            error.fields.setdefault(f"lines.{index}.quantity", []).append(shortage["message"])
    return error


# ---------------------------------------------------------------- guards


def require_status(document, allowed: Sequence[str]) -> None:
    """409 state_conflict unless the document is in one of the `allowed` statuses."""
    if document.status not in allowed:
        raise StateConflict(
            _("A %(status)s document cannot do this.") % {"status": document.get_status_display()},
            details={"status": document.status, "allowed_from": list(allowed)},
        )


def check_version(document, expected: int | None) -> None:
    """409 stale_version when the client read another version (None: not checked)."""
    if expected is not None and expected != document.version:
        raise StaleVersion(details={"expected": expected, "current": document.version})


def require_permission(document, user, action: str, *, denied: str | None = None) -> None:
    """403 unless `user` has the registry's permission for `action` on this document type."""
    permission = doctypes.for_document(document).action(action).permission
    if not user.has_perm(permission):
        raise PermissionDenied(denied or _("You may not do this."))


# ---------------------------------------------------------------- draft life cycle


def save_draft(document, *, version: int, fields: dict, line_model=None, rows=None) -> None:
    """Write the header `fields` of a draft with a version-guarded UPDATE (409 stale_version
    when another request changed it first), then replace its lines by `rows` when given."""
    updated = (
        type(document)
        ._default_manager.filter(pk=document.pk, version=version)
        .update(**fields, version=version + 1)
    )
    if updated != 1:
        raise StaleVersion()
    document.version = version + 1
    if rows is not None:
        document.lines.all().delete()
        line_model.objects.bulk_create(rows)


def delete_draft(document) -> None:
    """Delete a draft and its lines (its number is not reused)."""
    require_status(document, [DocumentStatus.DRAFT])
    document.lines.all().delete()
    document.delete()


def stamp_created(rows, at: datetime.datetime | None, *, field: str = "created_at") -> None:
    """Back-dated rows (one or a list) were created at `at`: their creation time, stamped by
    the database field on insert, is set to it."""
    rows = rows if isinstance(rows, list) else [rows]
    if at is None or not rows:
        return
    type(rows[0])._default_manager.filter(pk__in=[row.pk for row in rows]).update(**{field: at})
    for row in rows:
        setattr(row, field, at)


# ---------------------------------------------------------------- transitions


def submit(document, user, *, at: datetime.datetime | None = None) -> None:
    """draft (or what the registry says) → submitted; the approval rules that match now
    become its approval steps (core.approvals)."""
    now = moment(at)
    transition(
        document,
        allowed_from=doctypes.for_document(document).allowed_from("submit"),
        to=DocumentStatus.SUBMITTED,
        user=user,
        at=now,
    )
    approvals.start(document, user, at=now)


def approve(
    document,
    user,
    *,
    denied: str | None = None,
    comment: str = "",
    at: datetime.datetime | None = None,
) -> None:
    """The one approval path of every document type: decides the pending level of the
    approval rules (core.approvals.decide: approver ≠ creator and submitter, one level per
    person; the last level moves the document to approved). Without rule levels, submitted →
    approved by the registry's approve permission (403 with `denied` without it); on a type
    registered with `approver_not_creator`, 403 own_document when the approver created it."""

    def permitted() -> None:
        # the document's own service checked the action's condition (e.g. its store) itself
        approvals.check_by_permission(document, user, denied=denied, condition=False)

    approvals.decide(
        document, user, approve=True, comment=comment, permitted=permitted, at=moment(at)
    )


def cancel(document, user, *, at: datetime.datetime | None = None) -> None:
    """Cancel a document from the statuses the registry allows (not posted or shipped); its
    open approval steps are closed."""
    now = moment(at)
    transition(
        document,
        allowed_from=doctypes.for_document(document).allowed_from("cancel"),
        to=DocumentStatus.CANCELLED,
        user=user,
        at=now,
    )
    approvals.withdraw(document, at=now)


def approved_or_skip(document, user, *, perm: str, denied: str, history: bool = False) -> list[str]:
    """The statuses a document may be posted (or shipped) from: approved, or also draft and
    submitted with the skip-approval `perm` (else 403 approval_required with `denied`) — but
    not when approval rules ask for approval (core.approvals, 403 approval_required), unless
    it is a back-dated posting of `history`."""
    allowed: list[str] = [DocumentStatus.APPROVED]
    if document.status in (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED):
        if not user.has_perm(perm):
            raise PermissionDenied(denied, code="approval_required")
        if not history:
            approvals.ensure_may_skip(document)
        approvals.close_skipped(document)
        allowed += [DocumentStatus.DRAFT, DocumentStatus.SUBMITTED]
    return allowed


# ---------------------------------------------------------------- reversal


def begin_reversal(original, *, kind: str, user, notes: str, at: datetime.datetime | None) -> dict:
    """The one reverse path of every document type: a reversing document cannot itself be
    reversed (409 reversal_of_reversal), the original goes posted → reversed (409
    state_conflict from any other status), and the answer is the header fields of its posted
    reversing document (see `reversal_fields`)."""
    ensure_reversible(original)
    now = moment(at)
    transition(
        original,
        allowed_from=doctypes.for_document(original).allowed_from("reverse"),
        to=DocumentStatus.REVERSED,
        user=user,
        at=now,
    )
    return reversal_fields(original, kind=kind, user=user, notes=notes, now=now)


def reversal_fields(original, *, kind: str, user, notes: str, now: datetime.datetime) -> dict:
    """Header fields of the posted reversing document (红冲) of `original`: its own number,
    the link to the original, posted `now` by `user`."""
    return {
        "number": new_number(kind, original.store.code, timezone.localdate(now)),
        "document_date": timezone.localdate(now),
        "status": DocumentStatus.POSTED,
        "notes": notes or _("Reversal of %(number)s") % {"number": original.number},
        "created_by": user,
        "posted_at": now,
        "posted_by": user,
        "reversal_of": original,
    }


def reversal_line_ids(original_lines, new_lines) -> dict[int | None, int]:
    """{original line id: reversing line id}, matched by line_no."""
    new_ids = dict(new_lines.values_list("line_no", "id"))
    return {line.id: new_ids[line.line_no] for line in original_lines}
