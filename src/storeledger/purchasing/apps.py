from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PurchasingConfig(AppConfig):
    name = "storeledger.purchasing"
    label = "purchasing"
    verbose_name = _("Purchasing")

    def ready(self) -> None:
        from storeledger.purchasing.doctypes import register_purchasing_documents

        register_purchasing_documents()

        from storeledger.purchasing.sheets import register_purchasing_templates

        register_purchasing_templates()

    def role_permissions(self) -> dict[str, list[str]]:
        from storeledger.purchasing.roles import role_permissions

        return role_permissions()
