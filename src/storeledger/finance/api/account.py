"""The supplier account over the API (read-only, within the user's stores): balances per
supplier, the statement of account 往来对账单 of one supplier and period, the ageing of what
is owed, a supplier's open items (to allocate a payment) — the statement and the ageing also
as xlsx/csv/PDF through the reports' export machinery."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from storeledger.core.api.tabular import IgnoreFormatParam
from storeledger.core.api.views import APIView
from storeledger.core.errors import NotFound, ValidationFailed
from storeledger.core.quantities import MONEY_DIGITS, MONEY_PLACES
from storeledger.core.spreadsheets import DATE, MONEY, ReportColumn
from storeledger.finance import selectors
from storeledger.finance.account import Query
from storeledger.finance.roles import VIEW_ACCOUNT
from storeledger.org.models import Store
from storeledger.partners.models import Supplier
from storeledger.reports import exports
from storeledger.reports.api import FILE_RESPONSES, FORMAT_PARAM


def _money(**kwargs) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=MONEY_DIGITS, decimal_places=MONEY_PLACES, read_only=True, **kwargs
    )


def _supplier(pk: int) -> Supplier:
    supplier = Supplier.objects.filter(pk=pk).first()
    if supplier is None:
        raise NotFound(_("Supplier not found."), fields={"supplier": [_("Unknown supplier.")]})
    return supplier


def _check_day(day: datetime.date, field: str) -> None:
    if day > timezone.localdate():
        message = gettext("The date must not be after today.")
        raise ValidationFailed(message, fields={field: [message]})


class _AccountView(APIView):
    required_permission = VIEW_ACCOUNT
    query_serializer: type[serializers.Serializer]

    def query(self) -> dict:
        params = self.query_serializer(data=self.request.query_params)
        params.is_valid(raise_exception=True)
        return dict(params.validated_data)


# ---------------------------------------------------------------- balances


class BalanceQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text=_("Default: today."))
    store = serializers.IntegerField(required=False, min_value=1)


class SupplierBalanceSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    payment_terms_days = serializers.IntegerField()
    balance = _money(help_text=_("What is owed to the supplier (negative: paid in advance)."))


class SupplierBalancesView(_AccountView):
    """What is owed to each supplier (应付余额) on a day, within the user's stores."""

    query_serializer = BalanceQuery

    @extend_schema(parameters=[BalanceQuery], responses=SupplierBalanceSerializer(many=True))
    def get(self, request):
        query = self.query()
        if "as_of" in query:
            _check_day(query["as_of"], "as_of")
        balances = selectors.supplier_balances(
            request.user, as_of=query.get("as_of"), store_id=query.get("store")
        )
        suppliers = Supplier.objects.in_bulk(list(balances))
        rows = [
            {
                "supplier": pk,
                "supplier_code": suppliers[pk].code,
                "supplier_name": suppliers[pk].name,
                "payment_terms_days": suppliers[pk].payment_terms_days,
                "balance": amount,
            }
            for pk, amount in balances.items()
        ]
        rows.sort(key=lambda r: r["supplier_code"])
        return Response(SupplierBalanceSerializer(rows, many=True).data)


# ---------------------------------------------------------------- statement


class StatementQuery(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    date_from = serializers.DateField(
        required=False, help_text=_("First day (default: the 1st of this month).")
    )
    date_to = serializers.DateField(required=False, help_text=_("Last day, included (today)."))
    store = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        today = timezone.localdate()
        attrs.setdefault("date_to", today)
        attrs.setdefault("date_from", attrs["date_to"].replace(day=1))
        if attrs["date_from"] > attrs["date_to"]:
            message = gettext("The period must not end before it starts.")
            raise ValidationFailed(message, fields={"date_to": [message]})
        _check_day(attrs["date_to"], "date_to")
        return attrs


class StatementRowSerializer(serializers.Serializer):
    date = serializers.DateField()
    source = serializers.CharField(help_text=_("The kind of document (a source of the account)."))
    source_title = serializers.CharField()
    api_path = serializers.CharField()
    document_id = serializers.IntegerField()
    number = serializers.CharField()
    reference = serializers.CharField()
    reversal = serializers.BooleanField()
    store = serializers.IntegerField()
    increase = _money(help_text=_("What the document adds to the amount owed."))
    decrease = _money(help_text=_("What it takes off (payments, returns)."))
    balance = _money(help_text=_("The running balance after the document."))


class StatementSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    date_from = serializers.DateField()
    date_to = serializers.DateField()
    opening = _money()
    increase = _money()
    decrease = _money()
    closing = _money()
    rows = StatementRowSerializer(many=True)


def _statement(request, query: dict) -> selectors.Statement:
    return selectors.statement(
        request.user,
        supplier=_supplier(query["supplier"]),
        date_from=query["date_from"],
        date_to=query["date_to"],
        store_id=query.get("store"),
    )


class SupplierStatementView(_AccountView):
    """往来对账单: a supplier's opening balance, every document of the period in order with the
    running balance, and the closing balance."""

    query_serializer = StatementQuery

    @extend_schema(parameters=[StatementQuery], responses=StatementSerializer)
    def get(self, request):
        found = _statement(request, self.query())
        return Response(
            StatementSerializer(
                {
                    "supplier": found.supplier.id,
                    "supplier_code": found.supplier.code,
                    "supplier_name": found.supplier.name,
                    "date_from": found.date_from,
                    "date_to": found.date_to,
                    "opening": found.opening,
                    "increase": found.increase,
                    "decrease": found.decrease,
                    "closing": found.closing,
                    "rows": found.rows,
                }
            ).data
        )


def _store_filter(query: dict) -> list[tuple[str, str]]:
    if not query.get("store"):
        return []
    store = Store.objects.filter(pk=query["store"]).first()
    return [(gettext("Store"), str(store) if store else str(query["store"]))]


class SupplierStatementExportView(_AccountView):
    """The statement of account as xlsx, csv or PDF (`format`)."""

    content_negotiation_class = IgnoreFormatParam
    query_serializer = StatementQuery

    @extend_schema(parameters=[StatementQuery, FORMAT_PARAM], responses=FILE_RESPONSES)
    def get(self, request):
        fmt = exports.check_format(request.query_params.get("format", "xlsx"))
        query = self.query()
        found = _statement(request, query)
        get = lambda key: lambda row: row.get(key)  # noqa: E731
        columns = [
            ReportColumn("date", gettext("Date"), get("date"), DATE),
            ReportColumn("source_title", gettext("Document"), get("source_title"), width=14),
            ReportColumn("number", gettext("Number"), get("number"), width=22),
            ReportColumn("reference", gettext("Reference"), get("reference"), width=16),
            ReportColumn("increase", gettext("Increase"), get("increase"), MONEY),
            ReportColumn("decrease", gettext("Decrease"), get("decrease"), MONEY),
            ReportColumn("balance", gettext("Balance"), get("balance"), MONEY),
        ]
        opening = {"source_title": gettext("Opening balance"), "balance": found.opening}
        closing = {
            "source_title": gettext("Closing balance"),
            "increase": found.increase,
            "decrease": found.decrease,
            "balance": found.closing,
        }
        supplier = found.supplier
        exported = exports.Exported(
            title=gettext("Statement of account"),
            filename=f"statement-{supplier.code}",
            columns=columns,
            rows=[opening, *found.rows],
            filters=[
                (gettext("Supplier"), f"{supplier.code} {supplier.name}"),
                (
                    gettext("Period"),
                    f"{found.date_from.isoformat()} ~ {found.date_to.isoformat()}",
                ),
                *_store_filter(query),
            ],
            totals=closing,
        )
        return exports.response(exported, fmt)


# ---------------------------------------------------------------- ageing


class AgeingQuery(serializers.Serializer):
    as_of = serializers.DateField(required=False, help_text=_("Default: today."))
    supplier = serializers.IntegerField(required=False, min_value=1)
    store = serializers.IntegerField(required=False, min_value=1)

    def validate(self, attrs):
        attrs.setdefault("as_of", timezone.localdate())
        _check_day(attrs["as_of"], "as_of")
        return attrs


class AgeingRowSerializer(serializers.Serializer):
    supplier = serializers.IntegerField()
    supplier_code = serializers.CharField()
    supplier_name = serializers.CharField()
    not_due = _money(help_text=_("Not due yet."))
    days_0_30 = _money(help_text=_("0–30 days past the due date."))
    days_31_60 = _money()
    days_61_90 = _money()
    days_over_90 = _money()
    total = _money(help_text=_("The supplier's balance."))


class AgeingSerializer(serializers.Serializer):
    as_of = serializers.DateField()
    totals = AgeingRowSerializer()
    results = AgeingRowSerializer(many=True)


def _ageing(request, query: dict) -> tuple[list[dict], dict]:
    if query.get("supplier"):
        _supplier(query["supplier"])
    rows = selectors.ageing(
        request.user,
        as_of=query["as_of"],
        supplier_id=query.get("supplier"),
        store_id=query.get("store"),
    )
    totals: dict = {"supplier": 0, "supplier_code": "", "supplier_name": gettext("Total")}
    for key in (*selectors.BUCKETS, "total"):
        totals[key] = sum((row[key] for row in rows), Decimal(0))
    return rows, totals


class PayablesAgeingView(_AccountView):
    """Ageing of payables 应付账龄: per supplier, what is owed by days past the due date (the
    document date plus the supplier's payment terms)."""

    query_serializer = AgeingQuery

    @extend_schema(parameters=[AgeingQuery], responses=AgeingSerializer)
    def get(self, request):
        query = self.query()
        rows, totals = _ageing(request, query)
        return Response(
            AgeingSerializer({"as_of": query["as_of"], "totals": totals, "results": rows}).data
        )


class PayablesAgeingExportView(_AccountView):
    """The ageing of payables as xlsx, csv or PDF (`format`)."""

    content_negotiation_class = IgnoreFormatParam
    query_serializer = AgeingQuery

    @extend_schema(parameters=[AgeingQuery, FORMAT_PARAM], responses=FILE_RESPONSES)
    def get(self, request):
        fmt = exports.check_format(request.query_params.get("format", "xlsx"))
        query = self.query()
        rows, totals = _ageing(request, query)
        get = lambda key: lambda row: row.get(key)  # noqa: E731
        columns = [
            ReportColumn("supplier_code", gettext("Supplier code"), get("supplier_code")),
            ReportColumn("supplier_name", gettext("Supplier"), get("supplier_name"), width=28),
            ReportColumn("not_due", gettext("Not due"), get("not_due"), MONEY),
            ReportColumn("days_0_30", gettext("0–30 days"), get("days_0_30"), MONEY),
            ReportColumn("days_31_60", gettext("31–60 days"), get("days_31_60"), MONEY),
            ReportColumn("days_61_90", gettext("61–90 days"), get("days_61_90"), MONEY),
            ReportColumn("days_over_90", gettext("Over 90 days"), get("days_over_90"), MONEY),
            ReportColumn("total", gettext("Total"), get("total"), MONEY),
        ]
        filters = [(gettext("As of"), query["as_of"].isoformat()), *_store_filter(query)]
        if query.get("supplier"):
            supplier = _supplier(query["supplier"])
            filters.append((gettext("Supplier"), f"{supplier.code} {supplier.name}"))
        exported = exports.Exported(
            title=gettext("Ageing of payables"),
            filename="payables-ageing",
            columns=columns,
            rows=rows,
            filters=filters,
            totals=totals,
        )
        return exports.response(exported, fmt)


# ---------------------------------------------------------------- open items


class OpenItemsQuery(serializers.Serializer):
    supplier = serializers.IntegerField(min_value=1)
    store = serializers.IntegerField(required=False, min_value=1)
    exclude_payment = serializers.IntegerField(
        required=False,
        min_value=1,
        help_text=_("The draft payment being edited: its own claims are not counted."),
    )


class DraftClaimSerializer(serializers.Serializer):
    payment = serializers.IntegerField(source="payment_id")
    number = serializers.CharField()
    amount = _money()


class OpenItemSerializer(serializers.Serializer):
    kind = serializers.CharField(
        help_text=_("supplierinvoice, purchasereceipt (not invoiced) or supplierpayment.")
    )
    document_id = serializers.IntegerField()
    number = serializers.CharField()
    store = serializers.IntegerField(source="store_id")
    date = serializers.DateField()
    due_date = serializers.DateField()
    amount = _money(help_text=_("Still open (negative: a credit such as a payment on account)."))
    claimed = _money(help_text=_("What other draft payments already claim of it."))
    available = _money(help_text=_("What a payment can still allocate: open less claimed."))
    claims = DraftClaimSerializer(many=True, help_text=_("The draft payments that claim it."))


class SupplierOpenItemsView(_AccountView):
    """A supplier's open items within the user's stores: posted invoices and un-invoiced
    receipts not paid in full, and credits (payments on account) — what a payment can be
    allocated to; with what other draft payments already claim of each, and which."""

    query_serializer = OpenItemsQuery

    @extend_schema(parameters=[OpenItemsQuery], responses=OpenItemSerializer(many=True))
    def get(self, request):
        query = self.query()
        _supplier(query["supplier"])
        stores = selectors.store_ids(request.user, query.get("store"))
        found = selectors.supplier_open_items(
            Query(supplier_ids=[query["supplier"]], store_ids=stores)
        )
        claims = selectors.draft_claims(
            query["supplier"], stores, exclude_payment=query.get("exclude_payment")
        )
        rows = []
        for item in found:
            mine = claims.get(item.key, [])
            claimed = sum((c.amount for c in mine), Decimal(0))
            rows.append(
                {
                    "kind": item.kind,
                    "document_id": item.document_id,
                    "number": item.number,
                    "store_id": item.store_id,
                    "date": item.date,
                    "due_date": item.due_date,
                    "amount": item.amount,
                    "claimed": claimed,
                    "available": item.amount - claimed,
                    "claims": mine,
                }
            )
        return Response(OpenItemSerializer(rows, many=True).data)
