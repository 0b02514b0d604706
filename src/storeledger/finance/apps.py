from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FinanceConfig(AppConfig):
    name = "storeledger.finance"
    label = "finance"
    verbose_name = _("Finance")

    def ready(self) -> None:
        from storeledger.finance.account import register_builtin_sources
        from storeledger.finance.doctypes import register_finance_documents

        register_finance_documents()
        register_builtin_sources()

        from storeledger.finance.sheets import register_finance_templates

        register_finance_templates()

        from django.db.backends.signals import connection_created

        from storeledger.finance.aggregates import register_sqlite_functions

        connection_created.connect(register_sqlite_functions, dispatch_uid="finance_sqlite")

    def role_permissions(self) -> dict[str, list[str]]:
        from storeledger.finance.roles import role_permissions

        return role_permissions()
