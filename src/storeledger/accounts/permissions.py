"""Role permission for every API view: Django model permissions by action, plus named
permissions for state-changing actions (approve, post, reverse, ...)."""

from __future__ import annotations

from rest_framework.permissions import SAFE_METHODS, BasePermission

_ACTION_VERBS = {
    "list": "view",
    "retrieve": "view",
    "create": "add",
    "update": "change",
    "partial_update": "change",
    "destroy": "delete",
}
_METHOD_VERBS = {
    "GET": "view",
    "HEAD": "view",
    "OPTIONS": "view",
    "POST": "add",
    "PUT": "change",
    "PATCH": "change",
    "DELETE": "delete",
}


def required_permissions(view, request) -> list[str]:
    """`view.action_permissions` maps an action to perms; otherwise model perms by action."""
    action = getattr(view, "action", None)
    mapping = getattr(view, "action_permissions", {}) or {}
    if action in mapping:
        perms = mapping[action]
        return [perms] if isinstance(perms, str) else list(perms)
    if getattr(view, "required_permission", None):
        perm = view.required_permission
        return [perm] if isinstance(perm, str) else list(perm)
    queryset = getattr(view, "queryset", None)
    if queryset is None:
        return []
    model = queryset.model
    verb = _ACTION_VERBS.get(action) or _METHOD_VERBS.get(request.method, "change")
    if action and action not in _ACTION_VERBS:  # an extra @action without a mapping
        verb = "view" if request.method in SAFE_METHODS else "change"
    return [f"{model._meta.app_label}.{verb}_{model._meta.model_name}"]


class RolePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return user.has_perms(required_permissions(view, request))
