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
