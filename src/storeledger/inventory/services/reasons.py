"""The reason codes (出入库类别) of stock documents, kept by head office (系统设置 → 出入库类别).
A reason a document has used keeps its kind and code (they are printed on it); it can be
renamed or deactivated, never deleted (the documents' PROTECT: a 409 `in_use`)."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from storeledger.core.errors import ValidationFailed
from storeledger.core.services import service
from storeledger.inventory.models import ReasonCode, StockDocument


def is_used(reason: ReasonCode) -> bool:
    return StockDocument.objects.filter(reason=reason).exists()


@service
def save_reason_code(*, user, instance: ReasonCode | None, data: dict[str, Any]) -> ReasonCode:
    """Create a reason code, or change one (a used one keeps its kind and code)."""
    if instance is not None:
        instance = ReasonCode.objects.select_for_update().get(pk=instance.pk)
        changes = [
            name
            for name in ("kind", "code")
            if name in data and data[name] != getattr(instance, name)
        ]
        if changes and is_used(instance):
            raise ValidationFailed(
                code="reason_in_use",
                fields={
                    name: [_("Documents use this reason: its kind and code stay as they are.")]
                    for name in changes
                },
            )
    reason = instance or ReasonCode()
    for name, value in data.items():
        setattr(reason, name, value)
    reason.save()
    return reason


@service
def delete_reason_code(*, user, instance: ReasonCode) -> None:
    """Delete an unused reason code (a used one: 409 `in_use`, deactivate it instead)."""
    instance.delete()
