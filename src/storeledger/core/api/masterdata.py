"""The base viewset of master-data resources: search, filters, ordering, saving through a
service, and a clear 409 when a record that is still used is deleted."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.http import QueryDict
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from rest_framework.filters import OrderingFilter

from storeledger.core.api.filters import FilterBackend
from storeledger.core.api.search import TextSearchFilter
from storeledger.core.api.tabular import TabularMixin
from storeledger.core.api.views import ModelViewSet
from storeledger.core.errors import InUse
from storeledger.core.spreadsheets import clean_text


def in_use_error(instance, error: ProtectedError) -> InUse:
    """Name the record and what still uses it; suggest deactivating where the model can."""
    counts = Counter(str(type(obj)._meta.verbose_name_plural) for obj in error.protected_objects)
    params = {
        "record": f"{capfirst(instance._meta.verbose_name)} {instance}",
        "uses": ", ".join(f"{name} ({number})" for name, number in sorted(counts.items())),
    }
    if any(field.name == "active" for field in instance._meta.fields):
        message = _("%(record)s cannot be deleted: it is used by %(uses)s. Deactivate it instead.")
    else:
        message = _("%(record)s cannot be deleted: it is used by %(uses)s.")
    return InUse(message % params, details={"used_by": sorted(counts)})


def clean_input(value: Any) -> Any:
    """A JSON body with control characters removed from every string (see
    spreadsheets.clean_text): names and codes are shown, printed and exported everywhere."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, dict):
        return {key: clean_input(item) for key, item in value.items()}
    if isinstance(value, list):
        return [clean_input(item) for item in value]
    return value


class BaseMasterDataViewSet(ModelViewSet):
    """`save_service(*, user, instance, data)` and `delete_service(*, user, instance)`, when
    set, do the writes; otherwise the serializer saves (plain master data without rules)."""

    filter_backends = [FilterBackend, TextSearchFilter, OrderingFilter]
    save_service: Callable[..., Any] | None = None
    delete_service: Callable[..., Any] | None = None

    def get_serializer(self, *args, **kwargs):
        data = kwargs.get("data")
        if isinstance(data, dict | list) and not isinstance(data, QueryDict):
            kwargs["data"] = clean_input(kwargs["data"])
        return super().get_serializer(*args, **kwargs)

    def _save(self, serializer, instance) -> None:
        service = type(self).save_service
        if service is None:
            serializer.save()
            return
        serializer.instance = service(
            user=self.request.user, instance=instance, data=dict(serializer.validated_data)
        )

    def perform_create(self, serializer) -> None:
        self._save(serializer, None)

    def perform_update(self, serializer) -> None:
        self._save(serializer, serializer.instance)

    def perform_destroy(self, instance) -> None:
        service = type(self).delete_service
        try:
            with transaction.atomic():
                if service is None:
                    instance.delete()
                else:
                    service(user=self.request.user, instance=instance)
        except ProtectedError as error:
            raise in_use_error(instance, error) from error


class MasterDataViewSet(TabularMixin, BaseMasterDataViewSet):
    """A master-data resource with `export/` and `import/` (set `tabular_resource`)."""
