"""Role permission for every API view: Django model permissions by action, plus named
permissions for state-changing actions (approve, post, reverse, ...)."""

from __future__ import annotations

import functools

from django.conf import settings
from django.contrib.auth import load_backend
from django.contrib.auth.backends import BaseBackend, ModelBackend
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


@functools.cache
def _model_backend_decides(backends: tuple[str, ...]) -> bool:
    """Do `backends` grant exactly what Django's ModelBackend grants? True when one is the
    ModelBackend itself and every other grants nothing (django-axes' backend has no
    permission methods); then a user's kept permissions (`_perm_cache`, accounts.access)
    answer `has_perms` without going through every backend for every permission."""
    model = False
    for path in backends:
        backend = type(load_backend(path))
        if backend is ModelBackend:
            model = True
        elif hasattr(backend, "has_perm") and not (
            backend.has_perm is BaseBackend.has_perm
            and backend.get_user_permissions is BaseBackend.get_user_permissions
            and backend.get_group_permissions is BaseBackend.get_group_permissions
        ):
            return False
    return model


def has_perms(user, perms: list[str]) -> bool:
    """`user.has_perms(perms)`; from the user's kept permissions when the request primed
    them (accounts.access) and the configured backends allow it (same answer, less work)."""
    kept = getattr(user, "_perm_cache", None)
    if kept is None or not _model_backend_decides(tuple(settings.AUTHENTICATION_BACKENDS)):
        return user.has_perms(perms)
    if not perms:
        return True  # as `has_perms` of nothing, whoever asks
    if not user.is_active:
        return False
    return user.is_superuser or all(perm in kept for perm in perms)


class RolePermission(BasePermission):
    def has_permission(self, request, view) -> bool:
        user = request.user
        if not user or not user.is_authenticated:
            return False
        return has_perms(user, required_permissions(view, request))
