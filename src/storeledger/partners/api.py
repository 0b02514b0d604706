"""Suppliers, customers/members and member levels."""

from __future__ import annotations

from decimal import Decimal

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from storeledger.core import tabular
from storeledger.core.api.masterdata import MasterDataViewSet
from storeledger.core.api.search import pinyin_q
from storeledger.partners.models import Customer, MemberLevel, Supplier

PARTNER_FIELDS = [
    "code",
    "name",
    "contact",
    "phone",
    "email",
    "address",
    "payment_terms_days",
    "tax_number",
    "notes",
    "active",
]


class PartnerSearchMixin:
    search_fields = ["code", "name", "contact", "phone"]
    ordering_fields = ["code", "name", "created_at"]

    def search_q(self, term):
        return pinyin_q(term)


def _save_plain(serializer_class, instance, data):
    """Plain master data without business rules: the serializer saves the validated row."""
    serializer = serializer_class(instance)
    if instance is None:
        return serializer.create(data)
    return serializer.update(instance, data)


SUPPLIER_FIELDS = [
    "lead_time_days",
    "bank_account",
    "payment_method",
    "contract_start",
    "contract_end",
    "prices_include_tax",
    "tax_rate",
    "over_receipt_tolerance",
]


class SupplierTermsMixin:
    """Payment terms and contract dates: a contract cannot end before it starts; at most
    ten years of payment terms or lead time (a typo, not a term)."""

    def validate_payment_terms_days(self, value: int) -> int:
        if value > 3650:
            raise serializers.ValidationError(_("At most 3650 days."))
        return value

    def validate_lead_time_days(self, value: int) -> int:
        if value > 3650:
            raise serializers.ValidationError(_("At most 3650 days."))
        return value

    def validate(self, attrs):
        instance = getattr(self, "instance", None)
        start = attrs.get("contract_start", getattr(instance, "contract_start", None))
        end = attrs.get("contract_end", getattr(instance, "contract_end", None))
        if start is not None and end is not None and end < start:
            raise serializers.ValidationError(
                {"contract_end": [_("The contract cannot end before it starts.")]}
            )
        return attrs


class SupplierSerializer(SupplierTermsMixin, serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [
            "id",
            *PARTNER_FIELDS,
            *SUPPLIER_FIELDS,
            "name_initials",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name_initials", "created_at", "updated_at"]


class SupplierImportSerializer(SupplierTermsMixin, serializers.ModelSerializer):
    class Meta:
        model = Supplier
        fields = [*PARTNER_FIELDS, *SUPPLIER_FIELDS]


class SupplierResource(tabular.TabularResource):
    model = Supplier
    filename = "suppliers"
    columns = [tabular.Column(n) for n in SupplierImportSerializer.Meta.fields]
    import_serializer = SupplierImportSerializer

    def save_row(self, *, instance, data):
        _save_plain(SupplierImportSerializer, instance, data)


class SupplierViewSet(PartnerSearchMixin, MasterDataViewSet):
    """Suppliers; `search=` matches code, name, contact, phone and pinyin initials."""

    queryset = Supplier.objects.all()
    serializer_class = SupplierSerializer
    filterset_fields = ["active", "payment_method"]
    tabular_resource = SupplierResource
    action_permissions = {"import_rows": ["partners.add_supplier", "partners.change_supplier"]}


class MemberLevelSerializer(serializers.ModelSerializer):
    discount = serializers.DecimalField(
        max_digits=5, decimal_places=4, min_value=Decimal(0), max_value=Decimal(1), required=False
    )

    class Meta:
        model = MemberLevel
        fields = ["id", "code", "name", "discount"]


class MemberLevelResource(tabular.TabularResource):
    model = MemberLevel
    filename = "member-levels"
    columns = [tabular.Column("code"), tabular.Column("name"), tabular.Column("discount")]
    import_serializer = MemberLevelSerializer

    def save_row(self, *, instance, data):
        _save_plain(MemberLevelSerializer, instance, data)


class MemberLevelViewSet(MasterDataViewSet):
    queryset = MemberLevel.objects.all()
    serializer_class = MemberLevelSerializer
    search_fields = ["code", "name"]
    ordering_fields = ["code", "name", "discount"]
    tabular_resource = MemberLevelResource
    action_permissions = {
        "import_rows": ["partners.add_memberlevel", "partners.change_memberlevel"]
    }


class CustomerSerializer(serializers.ModelSerializer):
    member_level_name = serializers.CharField(
        source="member_level.name", read_only=True, allow_null=True
    )
    credit_limit = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), required=False
    )

    class Meta:
        model = Customer
        fields = [
            "id",
            *PARTNER_FIELDS,
            "member_level",
            "member_level_name",
            "member_card_no",
            "credit_limit",
            "name_initials",
            "created_at",
            "updated_at",
        ]
        read_only_fields = ["name_initials", "created_at", "updated_at"]

    def validate_member_card_no(self, value):
        return value or None  # several customers without a card: NULL, not "" (unique)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if is_member(instance) and not (user and user.has_perm(MEMBER_DATA_PERM)):
            mask_member(data)
        return data


MEMBER_DATA_PERM = "partners.view_member_data"


def is_member(customer: Customer) -> bool:
    """A person with a member card or level (companies' names are not personal data)."""
    return bool(customer.member_card_no or customer.member_level_id)


def _mask_name(value: str) -> str:
    return value[:1] + "*" * min(len(value) - 1, 3) if value else value


def _mask_digits(value: str, keep_start: int, keep_end: int) -> str:
    if not value:
        return value
    if len(value) <= keep_start + keep_end:
        return "*" * len(value)
    return value[:keep_start] + "*" * (len(value) - keep_start - keep_end) + value[-keep_end:]


def mask_member(data: dict) -> None:
    """Members' personal data for roles without `partners.view_member_data` (PIPL-style data
    minimisation): 王** , 138****5678, card …1234, no address."""
    data["name"] = _mask_name(data.get("name") or "")
    data["contact"] = _mask_name(data.get("contact") or "")
    data["phone"] = _mask_digits(data.get("phone") or "", 3, 4)
    data["member_card_no"] = _mask_digits(data.get("member_card_no") or "", 0, 4) or None
    data["address"] = "***" if data.get("address") else ""


class CustomerImportSerializer(serializers.ModelSerializer):
    member_level = serializers.SlugRelatedField(
        slug_field="code", queryset=MemberLevel.objects.all(), required=False, allow_null=True
    )
    credit_limit = serializers.DecimalField(
        max_digits=18, decimal_places=2, min_value=Decimal(0), required=False
    )

    class Meta:
        model = Customer
        fields = [*PARTNER_FIELDS, "member_level", "member_card_no", "credit_limit"]

    def validate_member_card_no(self, value):
        return value or None


class CustomerResource(tabular.TabularResource):
    model = Customer
    filename = "customers"
    columns = [
        *(tabular.Column(n) for n in PARTNER_FIELDS),
        tabular.Column("member_level", "member_level.code"),
        tabular.Column("member_card_no"),
        tabular.Column("credit_limit"),
    ]
    import_serializer = CustomerImportSerializer

    def export_queryset(self, queryset):
        return queryset.select_related("member_level")

    def save_row(self, *, instance, data):
        _save_plain(CustomerImportSerializer, instance, data)


class CustomerViewSet(PartnerSearchMixin, MasterDataViewSet):
    """Customers and members; `search=` also matches the member card number."""

    queryset = Customer.objects.select_related("member_level")
    serializer_class = CustomerSerializer
    filterset_fields = ["active", "member_level"]
    tabular_resource = CustomerResource
    action_permissions = {
        "import_rows": ["partners.add_customer", "partners.change_customer"],
        # the export holds members' personal data in clear
        "export": ["partners.view_customer", MEMBER_DATA_PERM],
    }

    def search_q(self, term):
        return [Q(member_card_no=term), *pinyin_q(term)]
