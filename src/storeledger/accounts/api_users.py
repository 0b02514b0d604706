"""系统设置 over the API: the users head office keeps (/api/v1/users/: create, change roles
and data scope, deactivate, reset a password) and the roles with their permissions
(/api/v1/roles/, read-only: the roles are defined in code, accounts/roles.py and each app's
roles.py, and synced after every migrate)."""

from __future__ import annotations

import django_filters
from django.contrib.auth.models import Group, Permission, User
from django.db.models import Count, Prefetch, Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.filters import OrderingFilter
from rest_framework.response import Response

from storeledger.accounts import services
from storeledger.accounts.models import UserScope
from storeledger.accounts.roles import ROLE_NAMES
from storeledger.core.api.filters import FilterBackend
from storeledger.core.api.masterdata import clean_input
from storeledger.core.api.routers import Router
from storeledger.core.api.views import GenericViewSet

router = Router()

# ---------------------------------------------------------------- roles

VERBS = {
    "view": gettext_lazy("View"),
    "add": gettext_lazy("Add"),
    "change": gettext_lazy("Change"),
    "delete": gettext_lazy("Delete"),
    "submit": gettext_lazy("Submit"),
    "approve": gettext_lazy("Approve"),
    "post": gettext_lazy("Post"),
    "reverse": gettext_lazy("Reverse"),
    "skip_approval": gettext_lazy("Post without approval"),
    "ship": gettext_lazy("Ship"),
    "receive": gettext_lazy("Receive"),
    "count": gettext_lazy("Count"),
}


def permission_label(permission: Permission) -> tuple[str, str]:
    """(what it allows, on what) in the request's language: "查看" + "库存流水"; a
    permission of its own (e.g. reports.view_cost) by its translated name."""
    model = permission.content_type.model_class()
    # A model without its own verbose_name (a document's line, Posting) or a library's model
    # (django-axes' access log) has an English name: its translation is in our catalogue.
    subject = (
        _(str(model._meta.verbose_name)) if model is not None else permission.content_type.model
    )
    verb, _sep, rest = permission.codename.partition("_")
    if rest != permission.content_type.model:  # skip_approval_stockdocument, view_cost
        for known in VERBS:
            if permission.codename == f"{known}_{permission.content_type.model}":
                verb, rest = known, permission.content_type.model
                break
    if rest == permission.content_type.model and verb in VERBS:
        return str(VERBS[verb]), subject
    return _(permission.name), subject


class RolePermissionSerializer(serializers.Serializer):
    code = serializers.CharField(help_text=gettext_lazy("app_label.codename"))
    action = serializers.CharField(help_text=gettext_lazy("What it allows, translated."))
    subject = serializers.CharField(help_text=gettext_lazy("On what (the model), translated."))


class RoleSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text=gettext_lazy("The role's key, e.g. store_manager."))
    label = serializers.CharField(help_text=gettext_lazy("The role's name, translated."))
    seeded = serializers.BooleanField(
        help_text=gettext_lazy(
            "Defined in code and synced after every migrate (permissions read-only)."
        )
    )
    users = serializers.IntegerField(help_text=gettext_lazy("Active users with this role."))
    permissions = RolePermissionSerializer(many=True)


def role_payload(group: Group) -> dict:
    perms = []
    for permission in group.permissions.all():
        verb, subject = permission_label(permission)
        perms.append(
            {
                "code": f"{permission.content_type.app_label}.{permission.codename}",
                "action": verb,
                "subject": subject,
            }
        )
    perms.sort(key=lambda p: (p["subject"], p["code"]))
    label = ROLE_NAMES.get(group.name)
    return {
        "id": group.pk,
        "name": group.name,
        "label": str(label) if label is not None else group.name,
        "seeded": group.name in ROLE_NAMES,
        "users": group.active_users,  # type: ignore[attr-defined]
        "permissions": perms,
    }


class RoleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """The roles and what each may do (read-only: the seeded roles are defined in code; roles
    of one's own are made in the Django admin)."""

    queryset = (
        Group.objects.annotate(active_users=Count("user", filter=Q(user__is_active=True)))
        .prefetch_related(
            Prefetch("permissions", queryset=Permission.objects.select_related("content_type"))
        )
        .order_by("id")
    )
    serializer_class = RoleSerializer
    pagination_class = None
    filter_backends: list = []

    def list(self, request, *args, **kwargs):
        order = {name: index for index, name in enumerate(ROLE_NAMES)}
        groups = sorted(self.get_queryset(), key=lambda g: (order.get(g.name, 99), g.name))
        return Response(RoleSerializer([role_payload(g) for g in groups], many=True).data)

    def retrieve(self, request, *args, **kwargs):
        return Response(RoleSerializer(role_payload(self.get_object())).data)


# ---------------------------------------------------------------- users


class UserSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="get_full_name", read_only=True)
    roles = serializers.SerializerMethodField()
    all_stores = serializers.SerializerMethodField()
    stores = serializers.SerializerMethodField()
    warehouses = serializers.SerializerMethodField()

    class Meta:
        model = User
        fields = [
            "id",
            "username",
            "full_name",
            "email",
            "is_active",
            "is_superuser",
            "roles",
            "all_stores",
            "stores",
            "warehouses",
            "last_login",
            "date_joined",
        ]
        read_only_fields = fields

    def _scope(self, user) -> UserScope | None:
        try:
            return user.scope
        except UserScope.DoesNotExist:
            return None

    def get_roles(self, user) -> list[str]:
        return sorted(group.name for group in user.groups.all())

    def get_all_stores(self, user) -> bool:
        data_scope = self._scope(user)
        return user.is_superuser or bool(data_scope and data_scope.all_stores)

    def get_stores(self, user) -> list[int]:
        data_scope = self._scope(user)
        return sorted(s.pk for s in data_scope.stores.all()) if data_scope else []

    def get_warehouses(self, user) -> list[int]:
        data_scope = self._scope(user)
        return sorted(w.pk for w in data_scope.warehouses.all()) if data_scope else []


def _ids(**kwargs) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1), max_length=1000, **kwargs
    )


class UserWriteSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    full_name = serializers.CharField(max_length=150, required=False, allow_blank=True)
    email = serializers.EmailField(required=False, allow_blank=True)
    roles = serializers.ListField(
        child=serializers.CharField(max_length=150), max_length=50, required=False
    )
    all_stores = serializers.BooleanField(
        required=False,
        help_text=gettext_lazy(
            "Head office: every store and warehouse. Stores and warehouses are then left "
            "empty (cleared when all_stores is turned on); a list beside it is a 400 "
            "scope_contradiction."
        ),
    )
    stores = _ids(
        required=False,
        help_text=gettext_lazy(
            "Stores the user sees (ids). A store-bound role (store manager, warehouse keeper, "
            "cashier, finance, viewer) needs a store, a warehouse or all_stores: 400 "
            "scope_required on stores otherwise."
        ),
    )
    warehouses = _ids(
        required=False,
        help_text=gettext_lazy("Warehouses beyond those stores', e.g. a central one (ids)."),
    )

    def validate_username(self, value: str) -> str:
        if not value.strip():
            raise serializers.ValidationError(_("This field may not be blank."))
        return value.strip()


class UserCreateSerializer(UserWriteSerializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class PasswordResetSerializer(serializers.Serializer):
    password = serializers.CharField(max_length=128, style={"input_type": "password"})


class PasswordResetResultSerializer(serializers.Serializer):
    revoked_tokens = serializers.IntegerField()


class UserFilterSet(django_filters.FilterSet):
    search = django_filters.CharFilter(method="filter_search", max_length=100)
    role = django_filters.CharFilter(field_name="groups__name", max_length=150)
    store = django_filters.NumberFilter(field_name="scope__stores")
    is_active = django_filters.BooleanFilter()

    class Meta:
        model = User
        fields = ["search", "role", "store", "is_active"]

    def filter_search(self, queryset, name, value):
        return queryset.filter(
            Q(username__icontains=value)
            | Q(first_name__icontains=value)
            | Q(last_name__icontains=value)
            | Q(email__icontains=value)
        )


def _input(data: dict) -> services.UserInput:
    return services.UserInput(
        username=data.get("username"),
        full_name=data.get("full_name"),
        email=data.get("email"),
        roles=data.get("roles"),
        all_stores=data.get("all_stores"),
        stores=data.get("stores"),
        warehouses=data.get("warehouses"),
    )


class UserViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, GenericViewSet):
    """Users (head office): roles, data scope, active or not. Users are deactivated, never
    deleted (documents name who made them)."""

    queryset = (
        User.objects.select_related("scope")
        .prefetch_related("groups", "scope__stores", "scope__warehouses")
        .distinct()
    )
    serializer_class = UserSerializer
    filter_backends = [FilterBackend, OrderingFilter]
    filterset_class = UserFilterSet
    ordering_fields = ["username", "date_joined", "last_login"]
    ordering = ["username"]
    action_permissions = {
        "deactivate": "auth.change_user",
        "activate": "auth.change_user",
        "set_password": "auth.change_user",
    }

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        services.ensure_user_manager(request.user)

    def _answer(self, user_id: int, code: int = status.HTTP_200_OK) -> Response:
        return Response(UserSerializer(self.get_queryset().get(pk=user_id)).data, code)

    def _write(self, serializer_class, request, partial: bool) -> dict:
        data = request.data
        if isinstance(data, dict):
            data = clean_input(data)
        form = serializer_class(data=data, partial=partial)
        form.is_valid(raise_exception=True)
        return dict(form.validated_data)

    @extend_schema(request=UserCreateSerializer, responses={201: UserSerializer})
    def create(self, request, *args, **kwargs):
        data = self._write(UserCreateSerializer, request, partial=False)
        password = data.pop("password")
        user = services.create_user(actor=request.user, values=_input(data), password=password)
        return self._answer(user.pk, status.HTTP_201_CREATED)

    @extend_schema(request=UserWriteSerializer, responses=UserSerializer)
    def partial_update(self, request, *args, **kwargs):
        data = self._write(UserWriteSerializer, request, partial=True)
        self.get_object()  # 404 for an unknown id
        user = services.update_user(
            actor=request.user, user_id=int(kwargs["pk"]), values=_input(data)
        )
        return self._answer(user.pk)

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        """Cannot sign in any more; every API token is revoked."""
        self.get_object()
        services.set_user_active(actor=request.user, user_id=int(pk), active=False)
        return self._answer(int(pk))

    @extend_schema(request=None, responses=UserSerializer)
    @action(detail=True, methods=["post"])
    def activate(self, request, pk=None):
        self.get_object()
        services.set_user_active(actor=request.user, user_id=int(pk), active=True)
        return self._answer(int(pk))

    @extend_schema(request=PasswordResetSerializer, responses=PasswordResetResultSerializer)
    @action(detail=True, methods=["post"], url_path="set-password")
    def set_password(self, request, pk=None):
        """Set a new password (it must pass the password rules); revokes the user's API
        tokens, like a change by the user."""
        data = self._write(PasswordResetSerializer, request, partial=False)
        self.get_object()
        revoked = services.reset_password(
            actor=request.user, user_id=int(pk), password=data["password"]
        )
        return Response({"revoked_tokens": revoked})


router.register("roles", RoleViewSet, basename="role")
router.register("users", UserViewSet, basename="user")
