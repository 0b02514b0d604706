from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "storeledger.accounts"
    label = "accounts"
    verbose_name = _("Accounts")

    def ready(self) -> None:
        from storeledger.accounts import access
        from storeledger.accounts.roles import sync_roles_after_migrate

        access.connect_signals()

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="storeledger_sync_roles")

    def role_permissions(self) -> dict[str, list[str]]:
        """Head office's administrators keep the users (系统设置 → 用户) and see the roles;
        nobody else manages users (accounts.services, "user management")."""
        from storeledger.accounts.roles import VIEW, model_perms

        return {
            "admin": model_perms("auth", ("view", "add", "change"), ["user"])
            + model_perms("auth", VIEW, ["group"])
        }
