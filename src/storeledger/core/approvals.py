"""The approval engine of every document type (segregation of duties).

Approval rules (core.models.ApprovalRule) say when a document of a registered type needs
approval and by whom: each rule names a document type (and optionally a kind), conditions
(amount above, quantity above, store, supplier, category — evaluated on the facts that the
type's `approval_facts` hook gives, see core.doctypes) and one or more levels, each a role
and a store scope. The levels of every matching rule are merged (in sequence order, a
role × scope pair once).

- On submit (`start`) the required levels become the steps of this submission (a "round"):
  the first pending, the others waiting their turn.
- `decide` records one approval or rejection with its comment: the approver is never the
  document's creator or submitter (409 approval_self), never someone who decided another level
  of the same submission (409 approval_twice), and must hold the level's role in its scope
  (403 approval_not_your_level). The last level approved moves the document to approved; a
  rejection sends it back to draft (the remaining levels are cancelled) — unless the type's
  `approval_outcome` hook leads elsewhere (a revised purchase order returns to the status it
  had, a rejected revision restores the previous one).
- A document that matches no rule is approved as before: once, by whoever has the type's
  approve permission (the creator included); that decision is recorded in the history too.
  A type registered with `inbox_without_rule` (transfers) puts that decision in the inbox:
  its submission gets one pending step without a role ("by permission"), which whoever may
  approve it (the type's approve permission and condition, in the document's store) decides
  there or on the document, and which skipping approval closes.
- A document that needs approval cannot be posted past it (the skip-approval permission
  does not apply: 403 approval_required), except a back-dated posting of history.
- Cancelling a document or submitting it again closes what was still open.

The decision is made under the document's row lock (the caller's service locks it) and the
step's status is changed by a guarded UPDATE: two approvers deciding the same step at once
give exactly one decision; the other gets 409 approval_decided."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Max, OuterRef, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from storeledger.core import doctypes
from storeledger.core.documents import DocumentStatus, transition
from storeledger.core.errors import NotFound, PermissionDenied, StateConflict, ValidationFailed
from storeledger.core.models import (
    ApprovalRule,
    ApprovalScope,
    ApprovalStep,
    ApprovalStepStatus,
)
from storeledger.core.services import service

OPEN = (ApprovalStepStatus.PENDING, ApprovalStepStatus.WAITING)


@dataclass(frozen=True)
class ApprovalFacts:
    """What the rules' conditions are evaluated on; a document type's `approval_facts` hook
    gives them. `category_ids` holds the categories of the lines with all their ancestors."""

    store_id: int | None
    kind: str = ""
    amount: Decimal | None = None
    quantity: Decimal | None = None
    supplier_id: int | None = None
    category_ids: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class RequiredLevel:
    sequence: int
    role: str
    scope: str
    rule: ApprovalRule


class ApprovalSelf(StateConflict):
    code = "approval_self"
    default_message = gettext_lazy(
        "You created or submitted this document: someone else must approve it."
    )


class ApprovalTwice(StateConflict):
    code = "approval_twice"
    default_message = gettext_lazy("You already decided another level of this document.")


class ApprovalDecided(StateConflict):
    code = "approval_decided"
    default_message = gettext_lazy("This approval step has already been decided.")


class NotYourLevel(PermissionDenied):
    code = "approval_not_your_level"
    default_message = gettext_lazy("This approval level is for another role or store.")


class ApprovalRequired(PermissionDenied):
    code = "approval_required"
    default_message = gettext_lazy("This document needs approval before it can be posted.")


# ---------------------------------------------------------------- rules


def rule_matches(rule: ApprovalRule, facts: ApprovalFacts) -> bool:
    if rule.document_kind and rule.document_kind != facts.kind:
        return False
    if rule.amount_above is not None and (
        facts.amount is None or facts.amount <= rule.amount_above
    ):
        return False
    if rule.quantity_above is not None and (
        facts.quantity is None or facts.quantity <= rule.quantity_above
    ):
        return False
    if rule.store_id is not None and rule.store_id != facts.store_id:
        return False
    if rule.supplier_id is not None and rule.supplier_id != facts.supplier_id:
        return False
    return rule.category_id is None or rule.category_id in facts.category_ids


_KEPT_RULES: dict[tuple[str, int], list[ApprovalRule]] = {}


def forget_kept_rules() -> None:
    """Tests: rolled-back test transactions hand out access versions again."""
    _KEPT_RULES.clear()


def _active_rules(type_key: str) -> list[ApprovalRule]:
    """The type's active rules with their levels, kept per process under the request's access
    version (accounts.access: a committed rule change raises it, so every process reloads)."""
    from storeledger.accounts import access

    version = access.request_version()
    kept = None if version is None else _KEPT_RULES.get((type_key, version))
    if kept is not None:
        return kept
    rules = list(
        ApprovalRule.objects.filter(document_type=type_key, active=True)
        .prefetch_related("levels")
        .order_by("id")
    )
    if version is not None:
        if len(_KEPT_RULES) >= 1000:
            _KEPT_RULES.clear()
        _KEPT_RULES[(type_key, version)] = rules
    return rules


def has_active_rules(model) -> bool:
    """Whether any active rule of the document model's type could apply (the facts are then
    worth gathering); no query while the rules are kept."""
    doctype = doctypes.for_model(model)
    return doctype.approval_facts is not None and bool(_active_rules(doctype.key))


def merge_levels(rules: Iterable[ApprovalRule]) -> list[RequiredLevel]:
    """The levels of the matching `rules`, a role × scope pair once, in sequence order."""
    levels: list[RequiredLevel] = []
    seen: set[tuple[str, str]] = set()
    candidates = [(level, rule) for rule in rules for level in rule.levels.all()]
    for level, rule in sorted(candidates, key=lambda pair: (pair[0].sequence, pair[1].id)):
        if (level.role, level.scope) in seen:
            continue
        seen.add((level.role, level.scope))
        levels.append(RequiredLevel(level.sequence, level.role, level.scope, rule))
    return levels


def evaluate(document) -> tuple[list[RequiredLevel], ApprovalFacts | None]:
    """The levels `document` needs now (none: no rule applies) and the facts they came from.
    Memoised on the document for the rest of the request."""
    memo = getattr(document, "_approval_required", None)
    if memo is not None:
        return memo
    doctype = doctypes.for_document(document)
    result: tuple[list[RequiredLevel], ApprovalFacts | None] = ([], None)
    if doctype.approval_facts is not None:
        rules = _active_rules(doctype.key)
        if rules:
            facts = doctype.approval_facts(document)
            result = (merge_levels(r for r in rules if rule_matches(r, facts)), facts)
    document._approval_required = result
    return result


def evaluate_many(documents: Sequence) -> None:
    """`evaluate` for the drafts among `documents` (a list page), memoised on each: one
    query for the rules of each type and the type's `approval_facts_many` for the facts."""
    by_type: dict[str, list] = {}
    for document in documents:
        if document.status == DocumentStatus.DRAFT and not hasattr(document, "_approval_required"):
            by_type.setdefault(doctypes.for_document(document).key, []).append(document)
    for key, rows in by_type.items():
        doctype = doctypes.document_type(key)
        if doctype.approval_facts is None:
            continue
        rules = _active_rules(key)
        if not rules:
            for row in rows:
                row._approval_required = ([], None)
            continue
        if doctype.approval_facts_many is not None:
            facts_of = doctype.approval_facts_many(rows)
        else:
            facts_of = {row.pk: doctype.approval_facts(row) for row in rows}
        for row in rows:
            facts = facts_of[row.pk]
            row._approval_required = (
                merge_levels(r for r in rules if rule_matches(r, facts)),
                facts,
            )


# ---------------------------------------------------------------- who may decide


def _roles(user) -> frozenset[str] | None:
    """The user's role names (None: a superuser, who holds every role)."""
    if user.is_superuser:
        return None
    cached = getattr(user, "_storeledger_roles", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._storeledger_roles = cached
    return cached


def _head_office_ids() -> frozenset[int]:
    from django.apps import apps

    store = apps.get_model("org", "Store")
    return frozenset(store.objects.filter(is_head_office=True).values_list("id", flat=True))


def in_level_scope(user, scope_name: str, store_id: int | None, document=None) -> bool:
    """Whether a level of `scope_name` in the store `store_id` (of `document`) is in the
    user's data scope: the document's store, or the warehouse its type acts by
    (`DocumentType.scope_warehouse_field`); a head-office level needs a head-office store."""
    from storeledger.accounts import scope

    stores = scope.store_ids(user)
    if stores is None:
        return True
    if scope_name == ApprovalScope.HEAD_OFFICE:
        return bool(stores & _head_office_ids())
    return store_id in stores or (document is not None and _by_warehouse(user, document))


def _by_warehouse(user, document) -> bool:
    """The document's type acts by a warehouse of it, and that one is in the user's scope."""
    from storeledger.accounts import scope

    field = doctypes.for_document(document).scope_warehouse_field
    warehouses = scope.warehouse_ids(user)
    return bool(field) and (warehouses is None or getattr(document, field) in warehouses)


def _by_warehouse_q(user) -> Q:
    """The DOCUMENT_STORE steps of the types that act by a warehouse, whose document's
    warehouse is in the user's scope (none: an empty Q matches nothing here)."""
    from storeledger.accounts import scope

    warehouses = scope.warehouse_ids(user) or frozenset()
    allowed = Q(pk__in=[])
    for doctype in doctypes.registered():
        field = doctype.scope_warehouse_field
        if not field or not warehouses:
            continue
        documents = doctype.model._default_manager.filter(  # type: ignore[attr-defined]
            **{f"{field}__in": list(warehouses)}
        ).values("pk")
        allowed |= Q(
            scope=ApprovalScope.DOCUMENT_STORE,
            document_type=doctype.key,
            document_id__in=documents,
        )
    return allowed


def check_decider(user, step: ApprovalStep, document) -> None:
    """The errors of `decide` for a user who may not decide `step` of `document`."""
    if user.pk in (document.created_by_id, document.submitted_by_id):
        raise ApprovalSelf()
    roles = _roles(user)
    if roles is not None and step.role not in roles:
        raise NotYourLevel(details={"role": step.role, "scope": step.scope})
    if not in_level_scope(user, step.scope, step.store_id, document):
        raise NotYourLevel(details={"role": step.role, "scope": step.scope})
    twice = ApprovalStep.objects.filter(
        document_type=step.document_type,
        document_id=step.document_id,
        round=step.round,
        decided_by=user,
    ).exclude(pk=step.pk)
    if twice.exists():
        raise ApprovalTwice()


def by_permission(step: ApprovalStep) -> bool:
    """A step without a role: decided by the type's approve permission (no rule applied)."""
    return not step.role


def check_by_permission(
    document, user, *, denied: str | None = None, condition: bool = True
) -> None:
    """The errors of approving `document` by the type's approve permission (no rule level):
    403 without the permission (`denied`) or, with `condition`, outside the approve action's
    condition (the document's own service checks that itself); 403 own_document when the
    type is registered with `approver_not_creator` and the user created it."""
    doctype = doctypes.for_document(document)
    action = doctype.action("approve")
    if not user.has_perm(action.permission) or (
        condition and action.condition is not None and not action.condition(document, user)
    ):
        raise PermissionDenied(denied or _("You may not do this."))
    if not doctype.may_approve(document, user):
        raise PermissionDenied(
            _("You may not approve a document you created; another user must approve it."),
            code="own_document",
        )


def may_decide(user, step: ApprovalStep, document, steps: Sequence[ApprovalStep]) -> bool:
    """`check_decider` without queries beyond the user's roles (for available actions)."""
    if by_permission(step):
        return doctypes.for_document(document).may_approve_by_permission(document, user)
    if user.pk in (document.created_by_id, document.submitted_by_id):
        return False
    roles = _roles(user)
    if roles is not None and step.role not in roles:
        return False
    if not in_level_scope(user, step.scope, step.store_id, document):
        return False
    return not any(
        s.round == step.round and s.decided_by_id == user.pk and s.pk != step.pk for s in steps
    )


# ---------------------------------------------------------------- history


def steps_of(type_key: str, document_ids: Iterable[int]) -> dict[int, list[ApprovalStep]]:
    """{document id: its steps, oldest first} in one query."""
    out: dict[int, list[ApprovalStep]] = {}
    rows = (
        ApprovalStep.objects.filter(document_type=type_key, document_id__in=list(document_ids))
        .select_related("decided_by", "requested_by")
        .order_by("document_id", "round", "sequence")
    )
    for step in rows:
        out.setdefault(step.document_id, []).append(step)
    return out


def remember_steps(document, steps: list[ApprovalStep]) -> None:
    """Set the document's memo of its steps (read by `document_steps`)."""
    document._approval_steps = steps


def document_steps(document) -> list[ApprovalStep]:
    """The document's steps (all submissions), memoised on it (a list page sets the memo of
    every row with one query, see core.api.documents)."""
    memo = getattr(document, "_approval_steps", None)
    if memo is None:
        key = doctypes.for_document(document).key
        memo = steps_of(key, [document.pk]).get(document.pk, [])
        remember_steps(document, memo)
    return memo


def open_steps(steps: Sequence[ApprovalStep]) -> list[ApprovalStep]:
    return [s for s in steps if s.status in OPEN]


def rule_steps(steps: Sequence[ApprovalStep]) -> list[ApprovalStep]:
    """The open steps a rule asked for (they stop posting past approval; a step by
    permission does not)."""
    return [s for s in open_steps(steps) if not by_permission(s)]


def current_step(steps: Sequence[ApprovalStep]) -> ApprovalStep | None:
    return next((s for s in steps if s.status == ApprovalStepStatus.PENDING), None)


def adjust_actions(document, user, actions: list[str]) -> list[str]:
    """The registry's available actions corrected by the approval state: `approve` only for
    who may decide the pending level; `post` (past approval) not while approval is needed."""
    if not {"approve", "post", "ship"} & set(actions):
        return actions
    out = list(actions)
    steps = document_steps(document)
    pending = current_step(steps)
    if "approve" in out and pending is not None and not may_decide(user, pending, document, steps):
        out.remove("approve")
    if document.status in (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED):
        needs = bool(rule_steps(steps)) if document.status == DocumentStatus.SUBMITTED else False
        if not needs and document.status == DocumentStatus.DRAFT:
            needs = bool(evaluate(document)[0])
        if needs:
            out = [a for a in out if a not in ("post", "ship")]
    return out


# ---------------------------------------------------------------- services (in the caller's transaction)


def _next_round(document, type_key: str) -> int:
    last = ApprovalStep.objects.filter(document_type=type_key, document_id=document.pk).aggregate(
        last=Max("round")
    )["last"]
    return (last or 0) + 1


def _close_open(type_key: str, document_id: int, now: datetime.datetime) -> None:
    ApprovalStep.objects.filter(
        document_type=type_key, document_id=document_id, status__in=OPEN
    ).update(status=ApprovalStepStatus.CANCELLED, decided_at=now)


def _forget(document) -> None:
    for attr in ("_approval_steps", "_approval_required"):
        if hasattr(document, attr):
            delattr(document, attr)


def start(document, user, *, at: datetime.datetime | None = None) -> list[ApprovalStep]:
    """On submit: close what an earlier submission left open and create the steps of this
    one from the rules that match now (none: the document is approved as before)."""
    doctype = doctypes.for_document(document)
    now = at or timezone.now()
    _close_open(doctype.key, document.pk, now)
    _forget(document)
    levels, facts = evaluate(document)
    if not levels or facts is None:
        if doctype.inbox_without_rule:
            return [_start_by_permission(document, user, facts, now)]
        return []
    round_no = _next_round(document, doctype.key)
    steps = [
        ApprovalStep(
            document_type=doctype.key,
            document_id=document.pk,
            document_kind=facts.kind,
            document_number=document.number,
            store_id=facts.store_id,
            amount=facts.amount,
            quantity=facts.quantity,
            round=round_no,
            sequence=index + 1,
            role=level.role,
            scope=level.scope,
            rule=level.rule,
            rule_name=level.rule.name,
            status=ApprovalStepStatus.PENDING if index == 0 else ApprovalStepStatus.WAITING,
            requested_by=user,
            requested_at=now,
        )
        for index, level in enumerate(levels)
    ]
    ApprovalStep.objects.bulk_create(steps)
    _forget(document)
    return steps


def _start_by_permission(
    document, user, facts: ApprovalFacts | None, now: datetime.datetime
) -> ApprovalStep:
    """No rule matched a type registered with `inbox_without_rule`: one pending step without
    a role, in the document's store, so the submission waits in the inbox of whoever may
    approve it by permission."""
    doctype = doctypes.for_document(document)
    if facts is None and doctype.approval_facts is not None:
        facts = doctype.approval_facts(document)
    if facts is None:
        facts = ApprovalFacts(
            store_id=getattr(document, "store_id", None), kind=doctype.kind(document)
        )
    step = ApprovalStep.objects.create(
        document_type=doctype.key,
        document_id=document.pk,
        document_kind=facts.kind or doctype.kind(document),
        document_number=document.number,
        store_id=facts.store_id,
        amount=facts.amount,
        quantity=facts.quantity,
        round=_next_round(document, doctype.key),
        sequence=1,
        role="",
        scope=ApprovalScope.DOCUMENT_STORE,
        status=ApprovalStepStatus.PENDING,
        requested_by=user,
        requested_at=now,
    )
    _forget(document)
    return step


def close_skipped(document, *, at: datetime.datetime | None = None) -> None:
    """Posting (or shipping) a submitted document past approval: what was still open is
    closed (cancelled) — a step by permission, or the steps of a back-dated posting of
    history. No query when nothing is open."""
    if document.status != DocumentStatus.SUBMITTED:
        return
    if open_steps(document_steps(document)):
        _close_open(doctypes.for_document(document).key, document.pk, at or timezone.now())
        _forget(document)


def withdraw(document, *, at: datetime.datetime | None = None) -> None:
    """On cancel: the open steps are closed (cancelled)."""
    _close_open(doctypes.for_document(document).key, document.pk, at or timezone.now())
    _forget(document)


def ensure_may_skip(document) -> None:
    """Posting (or shipping) a draft or submitted document past approval: refused (403
    approval_required) when rules ask for approval, whatever the user's permissions."""
    if document.status not in (DocumentStatus.DRAFT, DocumentStatus.SUBMITTED):
        return
    # a draft has no open step (a rejection or a cancel closes them): no query for those
    steps = [] if document.status == DocumentStatus.DRAFT else rule_steps(document_steps(document))
    levels = evaluate(document)[0] if not steps else []
    if steps or levels:
        roles = [s.role for s in steps] or [level.role for level in levels]
        raise ApprovalRequired(
            _("This document needs approval (%(roles)s) before it can be posted.")
            % {"roles": ", ".join(role_name(role) for role in roles)},
            details={"levels": roles},
        )


def ensure_no_rule_applies(document) -> None:
    """A document created and posted in one step (scanners, integrations) skips approval:
    refused (403 approval_required, nothing written) when rules ask for approval."""
    levels = evaluate(document)[0]
    if levels:
        roles = [level.role for level in levels]
        raise ApprovalRequired(
            _("This document needs approval (%(roles)s) before it can be posted.")
            % {"roles": ", ".join(role_name(role) for role in roles)},
            details={"levels": roles},
        )


def role_name(role: str) -> str:
    """A role's display name (the seeded roles' translated names; one's own as it is)."""
    from storeledger.accounts.roles import ROLE_NAMES

    return str(ROLE_NAMES.get(role, role))


def decide(
    document,
    user,
    *,
    approve: bool,
    comment: str = "",
    step_id: int | None = None,
    permitted: Callable[[], None] | None = None,
    at: datetime.datetime | None = None,
) -> ApprovalStep:
    """Approve or reject the pending level of a submitted `document` (locked by the caller),
    with a comment; `step_id` (when given) must be that level (409 approval_decided
    otherwise). Without rule levels `permitted` decides, as before the engine (it raises
    when the user may not approve; core.lifecycle.approve passes the registry's permission
    check); without it, only a rule level or a pending step by permission (decided by
    `check_by_permission`) can be decided (403)."""
    if not approve and not comment.strip():
        # the document goes back to its author, who has to know what to change
        message = _("Say why it is rejected: the comment goes back to whoever submitted it.")
        raise ValidationFailed(message, code="comment_required", fields={"comment": [message]})
    doctype = doctypes.for_document(document)
    allowed = doctype.allowed_from("approve")
    now = at or timezone.now()
    _forget(document)
    steps = list(
        ApprovalStep.objects.filter(document_type=doctype.key, document_id=document.pk).order_by(
            "round", "sequence"
        )
    )
    pending = current_step(steps)
    if step_id is not None and (pending is None or pending.pk != step_id):
        raise ApprovalDecided(details={"step": step_id})
    if document.status not in allowed:
        raise StateConflict(
            _("A %(status)s document cannot do this.") % {"status": document.get_status_display()},
            details={"status": document.status, "allowed_from": list(allowed)},
        )
    if pending is None:
        if permitted is None:
            raise PermissionDenied()
        permitted()
        step = _record_permission_decision(
            document, user, doctype.key, steps, approve, comment, now
        )
    else:
        if not by_permission(pending):
            check_decider(user, pending, document)
        elif permitted is not None:
            permitted()
        else:
            check_by_permission(document, user)
        decided = ApprovalStep.objects.filter(
            pk=pending.pk, status=ApprovalStepStatus.PENDING
        ).update(
            status=ApprovalStepStatus.APPROVED if approve else ApprovalStepStatus.REJECTED,
            decided_by=user,
            decided_at=now,
            comment=comment,
        )
        if decided != 1:
            raise ApprovalDecided(details={"step": pending.pk})
        step = pending
        later = [s for s in steps if s.round == pending.round and s.sequence > pending.sequence]
        if approve and later:
            ApprovalStep.objects.filter(pk=later[0].pk).update(status=ApprovalStepStatus.PENDING)
            _forget(document)
            return step
        if not approve:
            _close_open(doctype.key, document.pk, now)
    outcome = (
        doctype.approval_outcome(document, user, approve, now)
        if doctype.approval_outcome is not None
        else None
    )
    to, extra = outcome or (DocumentStatus.APPROVED if approve else DocumentStatus.DRAFT, None)
    transition(document, allowed_from=allowed, to=to, user=user, at=now, extra=extra)
    _forget(document)
    return step


def _record_permission_decision(
    document,
    user,
    type_key: str,
    steps: Sequence[ApprovalStep],
    approve: bool,
    comment: str,
    now: datetime.datetime,
) -> ApprovalStep:
    """No rule applies and the approve permission decided (as before the engine): the
    decision goes into the history."""
    return ApprovalStep.objects.create(
        document_type=type_key,
        document_id=document.pk,
        document_kind=doctypes.for_document(document).kind(document),
        document_number=document.number,
        store_id=getattr(document, "store_id", None),
        round=(max((s.round for s in steps), default=0)) + 1,
        sequence=1,
        role="",
        status=ApprovalStepStatus.APPROVED if approve else ApprovalStepStatus.REJECTED,
        requested_by_id=document.submitted_by_id,
        requested_at=document.submitted_at or now,
        decided_by=user,
        decided_at=now,
        comment=comment,
    )


# ---------------------------------------------------------------- inbox (selectors)


def pending_for(user) -> QuerySet[ApprovalStep]:
    """The pending steps `user` may decide now, in their store scope."""
    from storeledger.accounts import scope

    # who submitted may not decide a rule's level; a step by permission follows the type
    queryset = ApprovalStep.objects.filter(status=ApprovalStepStatus.PENDING).exclude(
        ~Q(role=""), requested_by=user
    )
    roles = _roles(user)
    if roles is not None:
        permitted = [
            doctype.key
            for doctype in doctypes.registered()
            if doctype.inbox_without_rule and user.has_perm(doctype.action("approve").permission)
        ]
        queryset = queryset.filter(
            Q(role__in=list(roles)) | Q(role="", document_type__in=permitted)
        )
    stores = scope.store_ids(user)
    if stores is not None:
        allowed = Q(scope=ApprovalScope.DOCUMENT_STORE, store_id__in=list(stores))
        allowed |= _by_warehouse_q(user)
        if stores & _head_office_ids():
            allowed |= Q(scope=ApprovalScope.HEAD_OFFICE)
        queryset = queryset.filter(allowed)
    decided_before = ApprovalStep.objects.filter(
        document_type=OuterRef("document_type"),
        document_id=OuterRef("document_id"),
        round=OuterRef("round"),
        decided_by=user,
    )
    queryset = queryset.exclude(Exists(decided_before))
    # the creator (not on the step) may not approve either
    creators = _created_by(queryset, user)
    if creators:
        queryset = queryset.exclude(pk__in=creators)
    return queryset.select_related("requested_by", "store").order_by("requested_at", "id")


def _created_by(queryset: QuerySet[ApprovalStep], user) -> list[int]:
    """The steps of `queryset` whose document `user` created and so may not decide (a step by
    permission: only on a type registered with `approver_not_creator`); one query per
    document type."""
    out: list[int] = []
    by_type: dict[str, dict[int, int]] = {}
    rows = queryset.values_list("pk", "document_type", "document_id", "role")
    for pk, type_key, document_id, role in rows:
        by_type.setdefault(type_key, {})[document_id] = pk
        if not role and not _creator_excluded(type_key):
            by_type[type_key].pop(document_id)
    for type_key, steps in by_type.items():
        if not steps:
            continue
        try:
            model = doctypes.document_type(type_key).model
        except KeyError:
            continue
        manager = model._default_manager  # type: ignore[attr-defined]
        mine = manager.filter(pk__in=list(steps), created_by=user).values_list("pk", flat=True)
        out.extend(steps[pk] for pk in mine)
    return out


def _creator_excluded(type_key: str) -> bool:
    """Whether a type's creator may not approve its documents by permission."""
    try:
        return doctypes.document_type(type_key).approver_not_creator
    except KeyError:
        return True


def load_document_for_step(step_id: int, user):
    """The pending step `step_id` and its document, locked, for `user` (404 when the step is
    unknown or outside the user's scope)."""
    step = ApprovalStep.objects.filter(pk=step_id).first()
    if step is None:
        raise NotFound(_("Approval step not found."))
    from storeledger.accounts import scope

    stores = scope.store_ids(user)
    head_office = step.scope == ApprovalScope.HEAD_OFFICE
    in_store = (
        stores is None
        or step.store_id in stores
        or bool(head_office and stores & _head_office_ids())
    )
    try:
        doctype = doctypes.document_type(step.document_type)
    except KeyError:
        raise NotFound(_("Approval step not found.")) from None
    if not in_store and (head_office or not doctype.scope_warehouse_field):
        raise NotFound(_("Approval step not found."))
    document = (
        doctype.model._default_manager.select_for_update(of=("self",))  # type: ignore[attr-defined]
        .filter(pk=step.document_id)
        .first()
    )
    if document is None or not (in_store or _by_warehouse(user, document)):
        raise NotFound(_("Approval step not found."))
    return step, document


# ---------------------------------------------------------------- built-in rules


def seed_rules() -> list[ApprovalRule]:
    """Create the built-in rules the apps declare (AppConfig.approval_rules(): dicts with
    key, document_type, document_kind, name, amount_above/quantity_above and levels) that
    this database does not have yet. One that exists is left as an administrator changed it;
    built-in rules are deactivated, never deleted, so a rule is created once."""
    from django.apps import apps

    from storeledger.core.models import ApprovalLevel

    created: list[ApprovalRule] = []
    for config in apps.get_app_configs():
        declare = getattr(config, "approval_rules", None)
        if not callable(declare):
            continue
        for spec in declare():
            spec = dict(spec)
            levels = spec.pop("levels")
            rule, made = ApprovalRule.objects.get_or_create(key=spec.pop("key"), defaults=spec)
            if made:
                ApprovalLevel.objects.bulk_create(
                    [ApprovalLevel(rule=rule, **level) for level in levels]
                )
                created.append(rule)
    return created


def seed_rules_after_migrate(sender, app_config=None, **kwargs) -> None:
    """post_migrate fires once per app: seed after the last one with models."""
    from django.apps import apps

    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if app_config is not None and with_models and app_config is with_models[-1]:
        seed_rules()


# ---------------------------------------------------------------- services (their own transaction)


@service
def decide_step(*, user, step_id: int, approve: bool, comment: str = "") -> ApprovalStep:
    """Approve or reject the approval step `step_id` from the inbox (the one path of a
    decision: the document's own approve action comes to `decide` too)."""
    step, document = load_document_for_step(step_id, user)
    decide(document, user, approve=approve, comment=comment, step_id=step.pk)
    step.refresh_from_db()
    return step


@dataclass(frozen=True)
class LevelInput:
    sequence: int
    role: str
    scope: str = ApprovalScope.DOCUMENT_STORE


def _check_rule(values: dict, levels: Sequence[LevelInput]) -> None:
    from django.contrib.auth.models import Group

    type_key = values.get("document_type", "")
    try:
        doctype = doctypes.document_type(type_key)
    except KeyError:
        doctype = None
    if doctype is None or doctype.approval_facts is None:
        raise ValidationFailed(
            _("Document type %(type)s has no approval rules.") % {"type": type_key},
            code="unknown_document_type",
            fields={"document_type": [_("Choose a document type that has approval rules.")]},
        )
    kind = values.get("document_kind", "")
    if kind and kind not in doctype.prefixes:
        raise ValidationFailed(
            _("%(kind)s is not a kind of %(type)s.") % {"kind": kind, "type": type_key},
            code="unknown_document_kind",
            fields={"document_kind": [_("Choose a kind of this document type, or none.")]},
        )
    if not levels:
        raise ValidationFailed(
            _("A rule needs at least one level."),
            code="no_levels",
            fields={"levels": [_("Add at least one level.")]},
        )
    sequences = [level.sequence for level in levels]
    if len(set(sequences)) != len(sequences):
        raise ValidationFailed(
            _("Two levels of a rule cannot have the same sequence."),
            code="duplicate_sequence",
            fields={"levels": [_("Give each level its own sequence.")]},
        )
    known = set(
        Group.objects.filter(name__in=[lv.role for lv in levels]).values_list("name", flat=True)
    )
    for index, level in enumerate(levels):
        if level.role not in known:
            raise ValidationFailed(
                _("Role %(role)s does not exist.") % {"role": level.role},
                code="unknown_role",
                fields={f"levels.{index}.role": [_("Choose an existing role.")]},
            )


@service
def save_rule(
    *, user, rule_id: int | None = None, values: dict, levels: Sequence[LevelInput] | None
) -> ApprovalRule:
    """Create (rule_id None) or change an approval rule; `levels` (when given) replaces its
    levels. Decisions already taken keep the rule's name in their history."""
    from storeledger.core.models import ApprovalLevel

    rule = ApprovalRule() if rule_id is None else _rule(rule_id, lock=True)
    merged = {
        "document_type": rule.document_type,
        "document_kind": rule.document_kind,
        **values,
    }
    current = (
        [LevelInput(lv.sequence, lv.role, lv.scope) for lv in rule.levels.all()] if rule.pk else []
    )
    _check_rule(merged, levels if levels is not None else current)
    for name, value in values.items():
        setattr(rule, name, value)
    rule.save()
    if levels is not None:
        rule.levels.all().delete()
        ApprovalLevel.objects.bulk_create(
            [
                ApprovalLevel(rule=rule, sequence=lv.sequence, role=lv.role, scope=lv.scope)
                for lv in levels
            ]
        )
    return rule


def _rule(rule_id: int, *, lock: bool = False) -> ApprovalRule:
    queryset = ApprovalRule.objects.select_for_update() if lock else ApprovalRule.objects
    rule = queryset.filter(pk=rule_id).first()
    if rule is None:
        raise NotFound(_("Approval rule not found."))
    return rule


@service
def delete_rule(*, user, rule_id: int) -> None:
    """Delete a rule of one's own; a built-in rule is deactivated instead (409 builtin_rule)."""
    rule = _rule(rule_id, lock=True)
    if rule.key:
        raise StateConflict(
            _("A built-in rule cannot be deleted; deactivate it instead."), code="builtin_rule"
        )
    rule.delete()
