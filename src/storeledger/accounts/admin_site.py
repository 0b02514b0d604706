"""The Django admin is for administrators only: superusers and members of the `admin` role.

Every other user — store managers, keepers, buyers, whatever their `is_staff` flag says — is
sent to the admin's login page, and cannot sign in there. Where the admin shows store data it
applies the user's data scope (`ScopedAdminMixin`), the same scope as the API."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from storeledger.accounts import scope

ADMIN_ROLE = "admin"


def is_administrator(user) -> bool:
    """May use the Django admin: an active superuser or a member of the `admin` role."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_storeledger_is_admin", None)
    if cached is None:
        cached = user.groups.filter(name=ADMIN_ROLE).exists()
        user._storeledger_is_admin = cached
    return cached


class AdminLoginForm(AdminAuthenticationForm):
    error_messages = {
        **AdminAuthenticationForm.error_messages,
        "invalid_login": _(
            "Please enter the username and password of an administrator. Only administrators "
            "may use this site; everyone else works in the web UI."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        AuthenticationForm.confirm_login_allowed(self, user)
        if not is_administrator(user):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class AdminSite(admin.AdminSite):
    site_header = _("StoreLedger administration")
    site_title = _("StoreLedger administration")
    login_form = AdminLoginForm

    def has_permission(self, request) -> bool:
        return is_administrator(request.user)


class ScopedAdminMixin:
    """Rows and choices limited to the user's data scope, as in the API.

    `scope_warehouse` names the warehouse FK path of the row ("id" for warehouses themselves),
    `scope_store` the store FK path ("id" for stores); `scoped_queryset` may be overridden for
    anything else (e.g. transfers: source or destination in scope)."""

    scope_warehouse: str | None = None
    scope_store: str | None = None

    def scoped_queryset(self, queryset, user):
        if self.scope_warehouse is not None:
            queryset = scope.filter_warehouses(queryset, user, self.scope_warehouse)
        if self.scope_store is not None:
            queryset = scope.filter_stores(queryset, user, self.scope_store)
        return queryset

    def get_queryset(self, request):
        return self.scoped_queryset(super().get_queryset(request), request.user)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scoped_choice(db_field, request, super().formfield_for_foreignkey, kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        return _scoped_choice(db_field, request, super().formfield_for_manytomany, kwargs)


class ScopedInlineMixin:
    """Choices of an inline's store and warehouse fields limited to the user's scope."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        return _scoped_choice(db_field, request, super().formfield_for_foreignkey, kwargs)


def _scoped_choice(db_field: models.Field, request, parent, kwargs: dict):
    from storeledger.org.models import Location, Store, Warehouse

    model = db_field.remote_field.model if db_field.remote_field else None
    if model is Store:
        kwargs["queryset"] = scope.filter_stores(Store.objects.all(), request.user, "id")
    elif model is Warehouse:
        kwargs["queryset"] = scope.filter_warehouses(Warehouse.objects.all(), request.user, "id")
    elif model is Location:
        kwargs["queryset"] = scope.filter_warehouses(Location.objects.all(), request.user)
    return parent(db_field, request, **kwargs)
