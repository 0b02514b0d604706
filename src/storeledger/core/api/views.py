"""Base classes shared by every API view."""

from __future__ import annotations

from rest_framework import exceptions, viewsets
from rest_framework import views as drf_views

from storeledger.core.api.params import QueryParamsMixin
from storeledger.core.idempotency import HEADER, MUTATING, run_idempotent

# Who a request was authenticated as, kept on the Django request by the Idempotency-Key
# look-up so that the real dispatch does not authenticate it a second time.
_AUTHENTICATED = "_storeledger_authenticated"


class IdempotentMixin:
    """Honour the Idempotency-Key header on every mutating request of the view."""

    # Actions that run one service and catch none of its errors: under a key, that service
    # joins the request's transaction without a savepoint (core.idempotency).
    single_service_actions: frozenset[str] = frozenset()

    def initialize_request(self, request, *args, **kwargs):
        drf_request = super().initialize_request(request, *args, **kwargs)
        known = getattr(request, _AUTHENTICATED, None)
        if known is not None:  # as DRF's own authentication would set them
            drf_request._authenticator, drf_request.user, drf_request.auth = known
        return drf_request

    def dispatch(self, request, *args, **kwargs):
        parent = super()
        if request.method in MUTATING and request.META.get(HEADER):
            user = self._authenticated_user(request, *args, **kwargs)
            action = getattr(self, "action_map", {}).get(request.method.lower())
            return run_idempotent(
                request,
                user,
                lambda: parent.dispatch(request, *args, **kwargs),
                single_service=action in self.single_service_actions,
            )
        return parent.dispatch(request, *args, **kwargs)

    def _authenticated_user(self, request, *args, **kwargs):
        """Who sends the request, without leaving a trace on it: DRF copies the user it
        authenticates onto the Django request, which would make the real dispatch treat a
        token request like a session one and demand a CSRF token."""
        had_user = "user" in request.__dict__
        saved = request.__dict__.get("user")
        try:
            drf_request = self.initialize_request(request, *args, **kwargs)
            user = drf_request.user
        except exceptions.APIException:
            return None  # the real dispatch authenticates again and answers the error
        finally:
            if had_user:
                request.user = saved
            else:
                request.__dict__.pop("user", None)
        setattr(request, _AUTHENTICATED, (drf_request._authenticator, user, drf_request.auth))
        return user


class ModelViewSet(QueryParamsMixin, IdempotentMixin, viewsets.ModelViewSet):
    pass


class ReadOnlyModelViewSet(QueryParamsMixin, IdempotentMixin, viewsets.ReadOnlyModelViewSet):
    pass


class GenericViewSet(QueryParamsMixin, IdempotentMixin, viewsets.GenericViewSet):
    pass


class APIView(QueryParamsMixin, drf_views.APIView):
    """A plain API view; its query parameters are checked when it declares a
    `query_serializer` or `extra_query_params` (a report, the dashboard, a list)."""
