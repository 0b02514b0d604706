from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrintingConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "storeledger.printing"
    label = "printing"
    verbose_name = _("Printing")

    def ready(self) -> None:
        from storeledger.printing import checks  # noqa: F401  (registers the CJK font check)
        from storeledger.printing.documents import register_inventory_templates

        register_inventory_templates()
