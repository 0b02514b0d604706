"""Sign-in for the web UI (session + CSRF) and tokens for integrations."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import authenticate, login, logout, update_session_auth_hash
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from storeledger.accounts import access, scope, tokens
from storeledger.accounts.admin_site import is_administrator
from storeledger.accounts.language import saved_language
from storeledger.accounts.models import ApiToken
from storeledger.accounts.services import change_password, set_email, set_language
from storeledger.core.api.views import APIView, IdempotentMixin
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.org.currency import currency_sign
from storeledger.org.models import Company, Store, Warehouse, WarehouseKind


class CsrfSerializer(serializers.Serializer):
    csrf_token = serializers.CharField()


class LoginSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class ScopeStoreSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    code = serializers.CharField()
    name = serializers.CharField()


class ScopeWarehouseSerializer(ScopeStoreSerializer):
    store = serializers.IntegerField(source="store_id", allow_null=True)


class ScopeSerializer(serializers.Serializer):
    all_stores = serializers.BooleanField()
    stores = ScopeStoreSerializer(many=True)
    warehouses = ScopeWarehouseSerializer(many=True)


class MeSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    username = serializers.CharField()
    full_name = serializers.CharField()
    email = serializers.CharField()
    is_superuser = serializers.BooleanField()
    roles = serializers.ListField(child=serializers.CharField())
    permissions = serializers.ListField(child=serializers.CharField())
    scope = ScopeSerializer()
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_null=True,
        help_text="The user's saved language; null: none chosen (the browser's language applies).",
    )
    currency = serializers.CharField(
        help_text="The company's currency (ISO 4217 code), in which every amount is kept."
    )
    currency_sign = serializers.CharField(
        help_text="The sign shown before an amount in that currency, as labels print it: ¥, $, HK$."
    )


class MeUpdateSerializer(serializers.Serializer):
    language = serializers.ChoiceField(
        choices=settings.LANGUAGES,
        allow_null=True,
        help_text="Save the user's language; null clears it.",
    )
    email = serializers.CharField(
        max_length=254,
        allow_blank=True,
        help_text="The user's own e-mail address (report subscriptions are mailed there); "
        "empty clears it.",
    )


class PasswordSerializer(serializers.Serializer):
    old_password = serializers.CharField(max_length=128, style={"input_type": "password"})
    new_password = serializers.CharField(max_length=128, style={"input_type": "password"})


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, required=False)
    password = serializers.CharField(max_length=128, required=False)
    name = serializers.CharField(
        max_length=100,
        required=False,
        help_text="What the token is for (e.g. the integration's name); default `api`.",
    )
    expires_in_days = serializers.IntegerField(
        min_value=1,
        max_value=settings.API_TOKEN_MAX_DAYS,
        required=False,
        help_text=f"Days until the token expires (default {settings.API_TOKEN_DAYS}).",
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    username = serializers.CharField(source="user.username", read_only=True)

    class Meta:
        model = ApiToken
        fields = ["id", "name", "prefix", "username", "created_at", "expires_at", "last_used_at"]


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(help_text="The key: shown only now, keep it secret.")
    id = serializers.IntegerField()
    name = serializers.CharField()
    expires_at = serializers.DateTimeField()


def me_payload(user) -> dict:
    stores = Store.objects.filter(active=True).only("id", "code", "name").order_by("code")
    warehouses = (
        Warehouse.objects.filter(active=True)
        .exclude(kind=WarehouseKind.TRANSIT)
        .only("id", "code", "name", "store_id")
        .order_by("code")
    )
    currency = Company.current().currency
    payload = {
        "id": user.pk,
        "username": user.get_username(),
        "full_name": user.get_full_name() or user.get_username(),
        "email": user.email,
        "is_superuser": user.is_superuser,
        "roles": access.role_names(user),
        "permissions": sorted(user.get_all_permissions()),
        "scope": {
            "all_stores": scope.is_unrestricted(user),
            "stores": list(scope.filter_stores(stores, user, "id")),
            "warehouses": list(scope.filter_warehouses(warehouses, user, "id")),
        },
        "language": saved_language(user) or None,
        "currency": currency,
        "currency_sign": currency_sign(currency),
    }
    return MeSerializer(payload).data


class CsrfView(APIView):
    """Set the `csrftoken` cookie; send its value back as the X-CSRFToken header."""

    permission_classes = [AllowAny]
    authentication_classes: list = []

    @extend_schema(responses=CsrfSerializer, auth=[])
    def get(self, request):
        return Response({"csrf_token": get_token(request)})


class LoginView(APIView):
    """Sign in with a username and password (session cookie)."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=LoginSerializer, responses=MeSerializer, auth=[])
    def post(self, request):
        SessionAuthentication().enforce_csrf(request)  # no login CSRF
        form = LoginSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        user = authenticate(
            request._request,
            username=form.validated_data["username"],
            password=form.validated_data["password"],
        )
        if user is None:
            raise ValidationFailed(
                _("The username or password is not correct."), code="invalid_credentials"
            )
        login(request._request, user)
        return Response(me_payload(user))


class LogoutView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def post(self, request):
        """Sign out: ends the session; with a token, revokes that token."""
        if isinstance(request.auth, ApiToken):
            request.auth.delete()
        logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


class MeView(IdempotentMixin, APIView):
    """Who is signed in: roles, permissions, data scope and saved language; PATCH changes
    the saved language and the user's own e-mail address."""

    permission_classes = [IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request):
        return Response(me_payload(request.user))

    @extend_schema(request=MeUpdateSerializer, responses=MeSerializer)
    def patch(self, request):
        form = MeUpdateSerializer(data=request.data, partial=True)
        form.is_valid(raise_exception=True)
        if "language" in form.validated_data:
            set_language(user=request.user, language=form.validated_data["language"])
        if "email" in form.validated_data:
            set_email(user=request.user, email=form.validated_data["email"])
        return Response(me_payload(request.user))


class PasswordView(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(request=PasswordSerializer, responses={204: None})
    def post(self, request):
        form = PasswordSerializer(data=request.data)
        form.is_valid(raise_exception=True)
        change_password(user=request.user, **form.validated_data)
        if request._request.session.session_key:
            update_session_auth_hash(request._request, request.user)
        return Response(status=status.HTTP_204_NO_CONTENT)


class TokenView(APIView):
    """A new API token for an integration or script (`Authorization: Token <key>`): for the
    signed-in user, or for the username and password given. Each call issues another token,
    named and expiring; list them at /auth/tokens/ and revoke one with DELETE there."""

    permission_classes = [AllowAny]
    throttle_classes = [AnonRateThrottle]

    @extend_schema(request=TokenRequestSerializer, responses=TokenSerializer)
    def post(self, request):
        options = TokenRequestSerializer(data=request.data)
        options.is_valid(raise_exception=True)
        user = request.user if request.user.is_authenticated else None
        if user is None:
            form = LoginSerializer(data=request.data)
            form.is_valid(raise_exception=True)
            user = authenticate(
                request._request,
                username=form.validated_data["username"],
                password=form.validated_data["password"],
            )
            if user is None:
                raise ValidationFailed(
                    _("The username or password is not correct."), code="invalid_credentials"
                )
        token, key = tokens.issue(
            user=user,
            name=options.validated_data.get("name") or "api",
            days=options.validated_data.get("expires_in_days"),
        )
        return Response(
            {"token": key, "id": token.pk, "name": token.name, "expires_at": token.expires_at}
        )


def _visible_tokens(user):
    queryset = ApiToken.objects.select_related("user").filter(expires_at__gt=timezone.now())
    return queryset if is_administrator(user) else queryset.filter(user=user)


class TokenListView(APIView):
    """The signed-in user's live API tokens (an administrator sees everyone's; `?user=<id>`
    narrows to one user). Keys are never shown again, only their first characters."""

    permission_classes = [IsAuthenticated]
    extra_query_params = ("user",)

    @extend_schema(
        responses=ApiTokenSerializer(many=True),
        parameters=[
            OpenApiParameter("user", int, description="Only this user's tokens (administrators)")
        ],
    )
    def get(self, request):
        queryset = _visible_tokens(request.user)
        user_id = request.query_params.get("user")
        if user_id:
            if not user_id.isdigit() or len(user_id) > 18:
                raise ValidationFailed(fields={"user": [_("A user id is a number.")]})
            queryset = queryset.filter(user_id=int(user_id))
        return Response(ApiTokenSerializer(queryset, many=True).data)


class TokenDetailView(APIView):
    """Revoke an API token: its owner or an administrator."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=None, responses={204: None})
    def delete(self, request, pk: int):
        token = _visible_tokens(request.user).filter(pk=pk).first()
        if token is None:
            raise NotFound(_("Token not found."))
        token.delete()
        return Response(status=status.HTTP_204_NO_CONTENT)
