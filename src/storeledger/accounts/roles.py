"""The seeded roles (Django groups) and their permissions. Synced after every migrate, so a
new permission reaches the roles, and one taken away leaves them, without a manual step.
Admins may add their own groups (left alone by the sync).

Each app may contribute the permissions of its own models and actions: an AppConfig with a
`role_permissions()` method ({role: [permission, ...]}) is merged into the roles here, so a
new module grants its permissions from its own app."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.utils.translation import gettext_lazy as _

MASTER_DATA = ["org", "catalog", "partners"]
VIEW, EDIT = ("view",), ("view", "add", "change", "delete")

ROLE_NAMES = {
    "admin": _("Administrator"),
    "store_manager": _("Store manager"),
    "warehouse_keeper": _("Warehouse keeper"),
    "cashier": _("Cashier"),
    "buyer": _("Buyer"),
    "finance": _("Finance"),
    "viewer": _("Viewer"),
}

# The seeded roles whose work is the data of stores: documents, stock, sales, supplier
# invoices — all kept per store and warehouse and shown through the user's data scope. Such a
# user needs a store, a warehouse or head office's scope (all stores), or he sees nothing of
# his work (accounts.services refuses the empty scope). Head office's own roles (admin, buyer)
# change chain-wide data — the catalog, suppliers, the supplier catalogue (security probe
# S10) — and are of use without a store; so are roles of one's own (groups made in the Django
# admin), which are left alone.
STORE_BOUND_ROLES = frozenset({"store_manager", "warehouse_keeper", "cashier", "finance", "viewer"})

# Members' names, phone numbers and addresses in clear, and the customer export (security
# probe S11): office roles that serve or bill members; others see them masked.
MEMBER_DATA = ["partners.view_member_data"]


def model_perms(app: str, verbs: tuple[str, ...], models: list[str] | None = None) -> list[str]:
    perms = []
    for perm in Permission.objects.filter(content_type__app_label=app).select_related(
        "content_type"
    ):
        model = perm.content_type.model
        if models is not None and model not in models:
            continue
        verb = perm.codename.split("_", 1)[0]
        if perm.codename == f"{verb}_{model}" and verb in verbs:
            perms.append(f"{app}.{perm.codename}")
    return perms


def role_permissions() -> dict[str, list[str]]:
    view_all = [p for app in MASTER_DATA for p in model_perms(app, VIEW)]
    # Costs, stock values and margins in reports: not for keepers, cashiers and viewers.
    cost = ["reports.view_cost"]
    roles = {
        "admin": [p for app in MASTER_DATA for p in model_perms(app, EDIT)]
        + cost
        + MEMBER_DATA
        # sign-in lockouts (django-axes): see them, and unlock by deleting the attempts
        + model_perms("axes", ("view", "delete")),
        # the catalog (products, SKUs, prices) is chain-wide: head office (admin, buyer)
        # changes it, a store manager reads it (security probe S10)
        "store_manager": cost
        + view_all
        + MEMBER_DATA
        + model_perms("partners", EDIT)
        + model_perms("org", EDIT, ["location"]),
        "warehouse_keeper": view_all,
        "cashier": model_perms("catalog", VIEW)
        + model_perms("partners", VIEW)
        + model_perms("org", VIEW),
        "buyer": view_all
        + model_perms("partners", EDIT, ["supplier"])
        + model_perms("catalog", EDIT)
        + cost,
        "finance": view_all + cost + MEMBER_DATA,
        "viewer": view_all,
    }
    # Copies: roles may share a list above (keeper and viewer both start from view_all), and
    # one app's grant to a role must not reach the other.
    roles = {role: list(perms) for role, perms in roles.items()}
    for part in _contributions():
        for role, perms in part.items():
            roles.setdefault(role, []).extend(perms)
    return roles


def _contributions() -> list[dict[str, list[str]]]:
    """Every app's own part of the roles (AppConfig.role_permissions)."""
    from django.apps import apps

    return [
        config.role_permissions()
        for config in apps.get_app_configs()
        if callable(getattr(config, "role_permissions", None))
    ]


def sync_roles() -> None:
    perms_by_role = role_permissions()
    wanted = {p for perms in perms_by_role.values() for p in perms}
    lookup = {
        f"{p.content_type.app_label}.{p.codename}": p
        for p in Permission.objects.select_related("content_type")
        if f"{p.content_type.app_label}.{p.codename}" in wanted
    }
    for role, perms in perms_by_role.items():
        group, _created = Group.objects.get_or_create(name=role)
        # exactly these: a permission taken from a seeded role is removed from existing
        # databases too (groups of one's own are left alone)
        group.permissions.set([lookup[p] for p in perms if p in lookup])


def sync_roles_after_migrate(sender, app_config=None, **kwargs) -> None:
    """post_migrate fires once per app; sync after the last one, when all permissions exist."""
    from django.apps import apps

    # Django sends post_migrate only for apps with a models module, so compare with the last
    # of those (an app without models, e.g. `web`, would never match).
    with_models = [c for c in apps.get_app_configs() if c.models_module is not None]
    if app_config is not None and with_models and app_config is with_models[-1]:
        sync_roles()
