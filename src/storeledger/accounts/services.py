"""Account operations a user does for himself, and an administrator's password reset."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group, User
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from storeledger.accounts import scope
from storeledger.accounts.models import ApiToken, Profile, UserScope
from storeledger.accounts.roles import ROLE_NAMES, STORE_BOUND_ROLES
from storeledger.core.errors import NotFound, PermissionDenied, ValidationFailed
from storeledger.core.services import service
from storeledger.org.models import Store, Warehouse


@service
def set_password_by_admin(*, user, new_password: str | None) -> int:
    """An administrator sets (or, with None, disables) another user's password: like a change
    by the user, it revokes every API token the user holds. Returns how many were revoked."""
    if new_password is None:
        user.set_unusable_password()
    else:
        user.set_password(new_password)
    user.save(update_fields=["password"])
    return ApiToken.objects.filter(user=user).delete()[0]


@service
def change_password(*, user, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed(
            code="wrong_password",
            fields={"old_password": [_("The current password is not correct.")]},
        )
    try:
        validate_password(new_password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={"new_password": list(error.messages)}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # a new password ends every API token issued with the old one
    ApiToken.objects.filter(user=user).delete()


@service
def set_language(*, user, language: str | None) -> Profile:
    """Save the user's language (a code of settings.LANGUAGES); None or "" clears it, so
    the browser's language applies again."""
    language = language or ""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            code="invalid_language",
            fields={
                "language": [_("%(code)s is not a language of StoreLedger.") % {"code": language}]
            },
        )
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    user.profile = profile
    return profile


def set_email(*, user, email: str) -> None:
    """The user's own e-mail address (report subscriptions are mailed to it); "" clears it.
    400 `invalid_email` on `email` for an address that is not one."""
    email = (email or "").strip()
    if email:
        try:
            validate_email(email)
        except DjangoValidationError:
            raise ValidationFailed(
                _("Enter a valid e-mail address."),
                code="invalid_email",
                fields={"email": [_("Enter a valid e-mail address.")]},
            ) from None
        email = user.__class__.objects.normalize_email(email)
    user.email = email
    user.save(update_fields=["email"])


# ---------------------------------------------------------------- user management (系统设置)
#
# Head office keeps the users: the `auth.*_user` permissions (the admin role) AND a data
# scope of every store. A store manager does not manage users: whoever may set a data scope
# could give himself or others another store, so the decision stays with head office
# (docs/web-ui.md, "Settings"). Superusers are changed only by superusers; nobody makes a
# superuser here (the Django admin or `createsuperuser` does).


ADMIN_ROLE = "admin"


@dataclass(frozen=True)
class UserInput:
    """What an administrator sets on a user (None: unchanged, on an update)."""

    username: str | None = None
    full_name: str | None = None
    email: str | None = None
    roles: list[str] | None = None
    all_stores: bool | None = None
    stores: list[int] | None = None
    warehouses: list[int] | None = None


def ensure_user_manager(actor) -> None:
    """May `actor` manage users at all (beyond the role permission the API checks)?"""
    if not scope.is_unrestricted(actor):
        raise PermissionDenied(
            _("Only head office (a user of every store) manages users."),
            code="head_office_only",
        )


def _managed_user(actor, user_id: int) -> User:
    ensure_user_manager(actor)
    user = User.objects.select_for_update().filter(pk=user_id).first()
    if user is None:
        raise NotFound(_("User not found."))
    if user.is_superuser and not actor.is_superuser:
        raise PermissionDenied(
            _("Only a superuser may change a superuser."), code="superuser_protected"
        )
    return user


def _check_password(password: str, user: User | None, field: str = "password") -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={field: list(error.messages)}) from error


def _apply(user: User, values: UserInput) -> None:
    errors: dict[str, list[str]] = {}
    if values.username is not None:
        username = values.username.strip()
        taken = User.objects.filter(username__iexact=username).exclude(pk=user.pk).exists()
        if not username:
            errors["username"] = [_("This field may not be blank.")]
        elif taken:
            errors["username"] = [_("This username is already taken.")]
        elif username != user.username:
            # Django's rule (letters, digits, @/./+/-/_): "a b" or "😀" signed in here but
            # could not be saved again in the Django admin; a name kept unchanged is left alone
            try:
                User.username_validator(username)
            except DjangoValidationError as error:
                errors["username"] = list(error.messages)
        user.username = username
    if values.full_name is not None:
        user.first_name, user.last_name = values.full_name.strip(), ""
    if values.email is not None:
        user.email = values.email.strip()
    groups: list[Group] | None = None
    if values.roles is not None:
        groups = list(Group.objects.filter(name__in=values.roles))
        unknown = sorted(set(values.roles) - {g.name for g in groups})
        if unknown:
            errors["roles"] = [_("Unknown role: %(names)s.") % {"names": ", ".join(unknown)}]
    stores = warehouses = None
    if values.stores is not None:
        stores = list(Store.objects.filter(pk__in=values.stores))
        if len(stores) != len(set(values.stores)):
            errors["stores"] = [_("A store does not exist.")]
    if values.warehouses is not None:
        warehouses = list(Warehouse.objects.filter(pk__in=values.warehouses))
        if len(warehouses) != len(set(values.warehouses)):
            errors["warehouses"] = [_("A warehouse does not exist.")]
    if errors:
        raise ValidationFailed(fields=errors)
    data_scope = UserScope.objects.filter(user=user).first() if user.pk else None
    all_stores = (
        values.all_stores
        if values.all_stores is not None
        else bool(data_scope and data_scope.all_stores)
    )
    if all_stores:
        _refuse_stores_beside_all_stores(stores, warehouses)
        if values.all_stores:
            # head office's scope covers every store: no list is kept beside it
            stores, warehouses = [], []
    sets_access = values.roles is not None or values.all_stores is not None
    if sets_access or stores is not None or warehouses is not None:
        _refuse_empty_scope_of_store_bound_role(
            user,
            roles=values.roles if values.roles is not None else _role_names(user),
            all_stores=all_stores,
            has_stores=bool(stores) if stores is not None else _has(data_scope, "stores"),
            has_warehouses=(
                bool(warehouses) if warehouses is not None else _has(data_scope, "warehouses")
            ),
        )
    user.save()
    if groups is not None:
        user.groups.set(groups)
    if data_scope is None:
        data_scope, _created = UserScope.objects.get_or_create(user=user)
    if all_stores != data_scope.all_stores:
        data_scope.all_stores = all_stores
        data_scope.save(update_fields=["all_stores"])
    if stores is not None:
        data_scope.stores.set(stores)
    if warehouses is not None:
        data_scope.warehouses.set(warehouses)


def _role_names(user: User) -> list[str]:
    return list(user.groups.values_list("name", flat=True)) if user.pk else []


def _has(data_scope: UserScope | None, relation: str) -> bool:
    return data_scope is not None and getattr(data_scope, relation).exists()


def _refuse_stores_beside_all_stores(
    stores: list[Store] | None, warehouses: list[Warehouse] | None
) -> None:
    """All stores (head office) with a list of stores or warehouses beside it: which one the
    administrator meant is unclear, so neither is taken (400 `scope_contradiction`)."""
    errors: dict[str, list[str]] = {}
    if stores:
        errors["stores"] = [
            _(
                "Head office's scope (all stores) covers every store: leave the stores empty, "
                "or turn all stores off."
            )
        ]
    if warehouses:
        errors["warehouses"] = [
            _(
                "Head office's scope (all stores) covers every warehouse: leave the extra "
                "warehouses empty, or turn all stores off."
            )
        ]
    if errors:
        raise ValidationFailed(
            next(iter(errors.values()))[0], code="scope_contradiction", fields=errors
        )


def _refuse_empty_scope_of_store_bound_role(
    user: User, *, roles: list[str], all_stores: bool, has_stores: bool, has_warehouses: bool
) -> None:
    """A store-bound role (accounts.roles.STORE_BOUND_ROLES) with no store, no warehouse and
    not head office's scope would see nothing (400 `scope_required` on `stores`).
    Superusers and administrators are left alone, and so are roles of one's own."""
    if user.is_superuser or all_stores or has_stores or has_warehouses or ADMIN_ROLE in roles:
        return
    bound = [name for name in ROLE_NAMES if name in STORE_BOUND_ROLES and name in roles]
    if not bound:
        return
    message = ngettext(
        "The role %(roles)s needs a store (or a warehouse) or head office's scope (all "
        "stores): without one the user sees nothing.",
        "The roles %(roles)s need a store (or a warehouse) or head office's scope (all "
        "stores): without one the user sees nothing.",
        len(bound),
    ) % {"roles": ", ".join(str(ROLE_NAMES[name]) for name in bound)}
    raise ValidationFailed(message, code="scope_required", fields={"stores": [message]})


@service
def create_user(*, actor, values: UserInput, password: str) -> User:
    """A new user with roles and a data scope; the password must pass the validators."""
    ensure_user_manager(actor)
    if not (values.username or "").strip():
        raise ValidationFailed(fields={"username": [_("This field is required.")]})
    _check_password(password, User(username=values.username or "", email=values.email or ""))
    user = User(is_active=True)
    user.set_password(password)
    _apply(user, values)
    return user


@service
def update_user(*, actor, user_id: int, values: UserInput) -> User:
    """Change a user's name, e-mail, roles and data scope (each only when given)."""
    user = _managed_user(actor, user_id)
    if (
        user.pk == actor.pk
        and values.roles is not None
        and ADMIN_ROLE in set(user.groups.values_list("name", flat=True)) - set(values.roles)
    ):
        raise ValidationFailed(
            code="own_admin_role",
            fields={"roles": [_("You cannot take the administrator role from yourself.")]},
        )
    if user.pk == actor.pk and values.all_stores is False and scope.is_unrestricted(actor):
        raise ValidationFailed(
            code="own_scope",
            fields={"all_stores": [_("You cannot take head office's scope from yourself.")]},
        )
    _apply(user, values)
    return user


@service
def set_user_active(*, actor, user_id: int, active: bool) -> User:
    """Deactivate (cannot sign in; every API token revoked) or reactivate a user. Users are
    never deleted: documents and the ledger name who made them."""
    user = _managed_user(actor, user_id)
    if user.pk == actor.pk and not active:
        raise ValidationFailed(_("You cannot deactivate yourself."), code="deactivate_self")
    if user.is_active != active:
        user.is_active = active
        user.save(update_fields=["is_active"])
    if not active:
        ApiToken.objects.filter(user=user).delete()
    return user


@service
def reset_password(*, actor, user_id: int, password: str) -> int:
    """An administrator sets a user's new password (validated); like every password change it
    revokes the user's API tokens. Returns how many were revoked."""
    user = _managed_user(actor, user_id)
    if user.pk == actor.pk:
        raise ValidationFailed(
            _("Change your own password with your current one (the user menu)."),
            code="own_password",
        )
    _check_password(password, user)
    return set_password_by_admin(user=user, new_password=password)
