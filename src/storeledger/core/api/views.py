"""Base classes shared by every API view."""

from __future__ import annotations

from rest_framework import exceptions, viewsets

from storeledger.core.idempotency import HEADER, MUTATING, run_idempotent


class IdempotentMixin:
    """Honour the Idempotency-Key header on every mutating request of the view."""

    def dispatch(self, request, *args, **kwargs):
        parent = super()
        if request.method in MUTATING and request.META.get(HEADER):
            probe = self.initialize_request(request, *args, **kwargs)
            try:
                user = probe.user
            except exceptions.APIException:
                user = None
            return run_idempotent(request, user, lambda: parent.dispatch(request, *args, **kwargs))
        return parent.dispatch(request, *args, **kwargs)


class ModelViewSet(IdempotentMixin, viewsets.ModelViewSet):
    pass


class ReadOnlyModelViewSet(IdempotentMixin, viewsets.ReadOnlyModelViewSet):
    pass


class GenericViewSet(IdempotentMixin, viewsets.GenericViewSet):
    pass
