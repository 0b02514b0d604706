"""What the purchasing document APIs share (orders, receipts, returns): the header of a
document between a supplier and one of a store's warehouses. The rest of a document resource —
header, state actions, reversal, deletion — is the kernel's (core.api.documents)."""

from __future__ import annotations

from rest_framework import serializers

from storeledger.core.api.documents import DOCUMENT_HEADER_FIELDS, DocumentHeaderSerializer
from storeledger.core.costs import CostFieldsMixin

# The header fields of a purchasing document after the kernel's (DOCUMENT_HEADER_FIELDS).
PURCHASE_HEADER_FIELDS = [
    *DOCUMENT_HEADER_FIELDS,
    "store",
    "store_code",
    "warehouse",
    "warehouse_code",
    "warehouse_name",
    "supplier",
    "supplier_code",
    "supplier_name",
]

# What a purchasing document queryset selects for that header (DocumentViewSet.header_related).
PURCHASE_HEADER_RELATED = ("store", "warehouse", "supplier")


# Base of the purchasing document serializers: the kernel's header, the store, the warehouse
# and the supplier by code and name; subclasses start Meta.fields from PURCHASE_HEADER_FIELDS
# and name their amounts in `cost_fields`. (No docstring: drf-spectacular would show it as the
# description of every purchasing document schema.)
class PurchaseHeaderSerializer(CostFieldsMixin, DocumentHeaderSerializer):
    store_code = serializers.CharField(source="store.code", read_only=True)
    warehouse_code = serializers.CharField(source="warehouse.code", read_only=True)
    warehouse_name = serializers.CharField(source="warehouse.name", read_only=True)
    supplier_code = serializers.CharField(source="supplier.code", read_only=True)
    supplier_name = serializers.CharField(source="supplier.name", read_only=True)
