from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "storeledger.core"
    label = "core"
    verbose_name = _("Core")

    def ready(self) -> None:
        from storeledger.core import checks  # noqa: F401  (registers the SECRET_KEY check)

        _limit_integer_fields_to_64_bits()
        from storeledger.core.approvals import seed_rules_after_migrate

        post_migrate.connect(seed_rules_after_migrate, dispatch_uid="storeledger_approval_rules")

    def role_permissions(self) -> dict[str, list[str]]:
        """Administrators keep the approval rules and the document numbering; everyone else
        sees the rules."""
        from storeledger.accounts.roles import EDIT, VIEW, model_perms

        rules = ["approvalrule"]
        view = model_perms("core", VIEW, rules)
        return {
            "admin": model_perms("core", EDIT, rules)
            + model_perms("core", ("view", "change"), ["documentsequence"]),
            **dict.fromkeys(
                ("store_manager", "warehouse_keeper", "buyer", "finance", "viewer"), view
            ),
        }


def _limit_integer_fields_to_64_bits() -> None:
    """Every integer the API accepts (ids in bodies and query parameters) fits the database's
    64-bit columns: beyond that DRF's IntegerField answers its usual 400 `max_value` /
    `min_value` error, instead of the database failing (a 500 on SQLite, a silent empty
    match on PostgreSQL). Done once here rather than with `max_value` on every field, so the
    OpenAPI schema is unchanged."""
    from rest_framework import fields

    from storeledger.core.api.parsers import INT64_MAX, INT64_MIN

    original = fields.IntegerField.to_internal_value
    if getattr(original, "_int64", False):
        return

    def to_internal_value(self, data):
        value = original(self, data)
        if value > INT64_MAX:
            self.fail("max_value", max_value=INT64_MAX)
        if value < INT64_MIN:
            self.fail("min_value", min_value=INT64_MIN)
        return value

    to_internal_value._int64 = True  # type: ignore[attr-defined]
    # A deliberate patch of DRF's class (see the docstring); mypy refuses any method assignment.
    fields.IntegerField.to_internal_value = to_internal_value  # type: ignore[method-assign]
