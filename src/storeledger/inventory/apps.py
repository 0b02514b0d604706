from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InventoryConfig(AppConfig):
    name = "storeledger.inventory"
    label = "inventory"
    verbose_name = _("Inventory")

    def ready(self) -> None:
        from storeledger.inventory.doctypes import register_inventory_documents

        register_inventory_documents()

    def role_permissions(self) -> dict[str, list[str]]:
        from storeledger.inventory.roles import role_permissions

        return role_permissions()

    def approval_rules(self) -> list[dict]:
        from storeledger.inventory.approvals import default_rules

        return default_rules()
