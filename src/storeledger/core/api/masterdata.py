"""The base viewset of master-data resources: search, filters, ordering, saving through a
service, and a clear 409 when a record that is still used is deleted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db import transaction
from django.db.models import ProtectedError
from django.utils.translation import gettext_lazy as _
from django_filters.rest_framework import DjangoFilterBackend
from rest_framework.filters import OrderingFilter

from storeledger.core.api.search import TextSearchFilter
from storeledger.core.api.tabular import TabularMixin
from storeledger.core.api.views import ModelViewSet
from storeledger.core.errors import StateConflict


class InUse(StateConflict):
    code = "in_use"
    default_message = _("This record is still used by other records; deactivate it instead.")


class BaseMasterDataViewSet(ModelViewSet):
    """`save_service(*, user, instance, data)` and `delete_service(*, user, instance)`, when
    set, do the writes; otherwise the serializer saves (plain master data without rules)."""

    filter_backends = [DjangoFilterBackend, TextSearchFilter, OrderingFilter]
    save_service: Callable[..., Any] | None = None
    delete_service: Callable[..., Any] | None = None

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
            raise InUse(
                details={"used_by": sorted({type(o)._meta.label for o in error.protected_objects})}
            ) from error


class MasterDataViewSet(TabularMixin, BaseMasterDataViewSet):
    """A master-data resource with `export/` and `import/` (set `tabular_resource`)."""
