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

        # Returned goods count against a supplier's quality in the rating (once: ready() may
        # run twice in tests).
        from storeledger.purchasing import rating, selectors

        if selectors.returned_value not in rating._returned_value_sources:
            rating.register_returned_value(selectors.returned_value)

    def role_permissions(self) -> dict[str, list[str]]:
        from storeledger.purchasing.roles import role_permissions

        return role_permissions()
