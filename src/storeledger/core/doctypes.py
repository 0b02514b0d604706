"""The registry of document types: every app registers its own (model, number prefixes, the
actions of its life cycle — from which statuses, with which permission, under which extra
condition — and its print template), and the kernel answers from it: which actions a user may
take on a document now (`available_actions`, shown by the API and the web UI), which statuses
an action starts from (the services' guarded transitions), which prefix a kind numbers with.

A new document type (purchasing, sales) registers in its own app's `AppConfig.ready()`; nothing
outside that app changes."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist

if TYPE_CHECKING:
    from django.db import models

Condition = Callable[[Any, Any], bool]  # (document, user) -> may the user take the action now
# (user, kind, document id) -> (SKU id, unit id, quantity in that unit) of each line of a
# document in the user's scope, for barcode labels; raises NotFound / PermissionDenied.
LabelLines = Callable[[Any, str, int], list[tuple[int, int | None, Any]]]


@dataclass(frozen=True)
class Action:
    """One state action of a document type (an API endpoint `POST …/{id}/<name>/`)."""

    name: str
    allowed_from: tuple[str, ...]
    permission: str  # "app_label.codename"
    # Further rules the status alone does not decide (e.g. posting a draft needs the
    # skip-approval permission); the service checks them too, this only hides the button.
    condition: Condition | None = None
    # The reverse action: never offered on a reversing document (409 reversal_of_reversal).
    reverses: bool = False
    # The statuses the action may lead to (its row of the type's transition table; empty:
    # the type does not declare them). Checked against the type's statuses on registration.
    to: tuple[str, ...] = ()


@dataclass(frozen=True)
class DocumentType:
    key: str  # the model's name, as in permissions: "stockdocument", "transfer", "stockcount"
    model: type[models.Model]
    prefixes: dict[str, str]  # document kind -> number prefix ("stock_in" -> "RK")
    actions: tuple[Action, ...]
    print_template: str = ""  # the printing app's sheet for this type
    kind_of: Callable[[Any], str] | None = None  # a document's kind (default: the only one)
    # Four eyes: the user who created a document may not approve it (core.lifecycle.approve).
    approver_not_creator: bool = False
    # What approval rules are evaluated on (core.approvals.ApprovalFacts: store, kind,
    # amount, quantity, supplier, categories); None: the type has no approval rules.
    approval_facts: Callable[[Any], Any] | None = None
    # The same for many documents at once ({document id: facts}), so a list page evaluates
    # the rules of its drafts in a constant number of queries; None: one by one.
    approval_facts_many: Callable[[list], dict[int, Any]] | None = None
    # Where a final decision leads when it is not the plain submitted → approved (approve)
    # or → draft (reject): (document, user, approved, at) -> (status, extra header fields) or
    # None for the plain way. E.g. a revised purchase order returns to the status it had.
    approval_outcome: Callable[[Any, Any, bool, Any], tuple[str, dict] | None] | None = None
    # A submission that no rule matches still waits in the approvals inbox: one step without
    # a role, decided as before the engine by whoever may take the `approve` action (its
    # permission and condition; the creator too unless `approver_not_creator`), in the
    # document's store. Such a step does not stop skipping approval (the skip permission);
    # skipping it closes the step. False: without a rule the document is approved by
    # permission from its own page only.
    inbox_without_rule: bool = False
    # A user whose data scope is stores and extra warehouses acts on a document of this type
    # when this warehouse of it (a field of its model, e.g. a transfer's `from_warehouse_id`)
    # is in their scope, as its own actions' conditions say, and not only when its store is:
    # the approvals inbox and its decisions follow. Empty: by the document's store only.
    scope_warehouse_field: str = ""
    # Barcode labels for a document's lines (the printing app's label sheet); None: none.
    label_lines: LabelLines | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    def statuses(self) -> tuple[str, ...]:
        """Every status a document of this type may be in: the choices of its model's
        `status` field (each type declares its own enum, e.g. inventory's TransferStatus);
        empty for a stand-in model without one (tests)."""
        try:
            field = self.model._meta.get_field("status")
        except (AttributeError, LookupError, FieldDoesNotExist):
            return ()
        return tuple(value for value, _label in getattr(field, "choices", None) or ())

    def transitions(self) -> dict[str, tuple[tuple[str, ...], tuple[str, ...]]]:
        """The type's transition table: {action: (from statuses, to statuses)}."""
        return {action.name: (action.allowed_from, action.to) for action in self.actions}

    def undeclared_statuses(self) -> list[str]:
        """The statuses the actions start from or lead to that the type does not have
        (a transition table and a status enum that disagree): "<key>.<action>: <status>"."""
        known = set(self.statuses())
        if not known:
            return []
        return [
            f"{self.key}.{action.name}: {status}"
            for action in self.actions
            for status in (*action.allowed_from, *action.to)
            if status not in known
        ]

    def action(self, name: str) -> Action:
        for action in self.actions:
            if action.name == name:
                return action
        raise KeyError(f"{self.key} has no action {name!r}")

    def allowed_from(self, name: str) -> tuple[str, ...]:
        return self.action(name).allowed_from

    def available_actions(self, document, user) -> list[str]:
        """The actions `user` may take on `document` now, in life-cycle order."""
        out = []
        for action in self.actions:
            if document.status not in action.allowed_from:
                continue
            if action.reverses and getattr(document, "reversal_of_id", None) is not None:
                continue
            if not user.has_perm(action.permission):
                continue
            if action.condition is not None and not action.condition(document, user):
                continue
            if action.name == "approve" and not self.may_approve(document, user):
                continue
            out.append(action.name)
        from storeledger.core import approvals  # the engine reads this registry

        return approvals.adjust_actions(document, user, out)

    def resource(self, kind: str) -> str:
        """The API resource of a kind (`extra["api_paths"]`; empty when the type names none)."""
        return self.extra.get("api_paths", {}).get(kind, "")

    def may_approve(self, document, user) -> bool:
        """Four eyes: on a type registered with `approver_not_creator`, not its creator."""
        return not (self.approver_not_creator and document.created_by_id == user.pk)

    def may_approve_by_permission(self, document, user) -> bool:
        """Whether `user` may take the `approve` action on `document` as the registry says
        (permission, condition, four eyes), whatever the approval state."""
        action = self.action("approve")
        if not user.has_perm(action.permission):
            return False
        if action.condition is not None and not action.condition(document, user):
            return False
        return self.may_approve(document, user)

    def kind(self, document) -> str:
        if self.kind_of is not None:
            return self.kind_of(document)
        [only] = self.prefixes
        return only


_TYPES: dict[str, DocumentType] = {}
_BY_MODEL: dict[type, DocumentType] = {}
_PREFIXES: dict[str, str] = {}
_BY_KIND: dict[str, DocumentType] = {}


def register(doctype: DocumentType) -> DocumentType:
    """Add a document type (idempotent for the same definition: apps may be readied twice in
    tests). A prefix or key taken by another type is a programming error."""
    known = _TYPES.get(doctype.key)
    if known is not None and known.model is not doctype.model:
        raise ValueError(f"document type {doctype.key!r} is already registered")
    undeclared = doctype.undeclared_statuses()
    if undeclared:
        raise ValueError(f"actions name statuses their type does not have: {undeclared}")
    for kind, prefix in doctype.prefixes.items():
        owner = _PREFIXES.get(kind)
        if owner is not None and owner != prefix:
            raise ValueError(f"document kind {kind!r} already numbers with {owner!r}")
        taken = [k for k, p in _PREFIXES.items() if p == prefix and k != kind]
        if taken:
            raise ValueError(f"prefix {prefix!r} is already used by {taken[0]!r}")
    _TYPES[doctype.key] = doctype
    _BY_MODEL[doctype.model] = doctype
    _PREFIXES.update(doctype.prefixes)
    _BY_KIND.update(dict.fromkeys(doctype.prefixes, doctype))
    return doctype


def unregister(key: str) -> None:
    """Take a type out of the registry again (tests that register a stand-in type)."""
    doctype = _TYPES.pop(key, None)
    if doctype is None:
        return
    _BY_MODEL.pop(doctype.model, None)
    for kind in doctype.prefixes:
        _PREFIXES.pop(kind, None)
        _BY_KIND.pop(kind, None)


def document_type(key: str) -> DocumentType:
    return _TYPES[key]


def for_document(document) -> DocumentType:
    return _BY_MODEL[type(document)]


def for_model(model) -> DocumentType:
    return _BY_MODEL[model]


def for_kind(kind: str) -> DocumentType:
    """The type a document kind belongs to ("stock_in" -> stock documents); KeyError if none."""
    return _BY_KIND[kind]


def label_kinds() -> list[str]:
    """The document kinds whose lines can be printed as barcode labels."""
    return [kind for kind, doctype in _BY_KIND.items() if doctype.label_lines is not None]


def prefix(kind: str) -> str:
    """The number prefix of a document kind."""
    return _PREFIXES[kind]


def registered() -> Iterable[DocumentType]:
    return tuple(_TYPES.values())
