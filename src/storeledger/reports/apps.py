from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "storeledger.reports"
    label = "reports"
    verbose_name = _("Reports")

    def role_permissions(self) -> dict[str, list[str]]:
        # everyone keeps his own report subscriptions; an administrator lists everyone's
        return {"admin": ["reports.view_reportsubscription"]}

    def ready(self) -> None:
        from storeledger.inventory.signals import moves_posted
        from storeledger.reports import snapshots

        # A back-dated posting adds its moves to the month-end snapshots after its time.
        moves_posted.connect(snapshots.on_moves_posted, dispatch_uid="reports.snapshots")
