"""Returns statistics against figures computed by hand.

This month: S001 delivers 100 COLA at 2.00 and 50 WATER at 1.00; S002 delivers 40 COLA at
3.00. Returned: 10 COLA to S001 (破损, 20.00), 5 WATER to S001 (临期, 5.00), 6 COLA to S002
(破损, 18.00), and 2 COLA to S002 (错发, 6.00) posted and then reversed (its reversing
document: −2, −6.00)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from storeledger.catalog.models import Category
from storeledger.partners.models import Supplier
from storeledger.purchasing.services import receipts
from storeledger.purchasing.services import returns as return_services
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.purchasing.services.returns import ReturnLineInput
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/reports/returns/"


def D(text) -> Decimal:
    return Decimal(str(text))


@pytest.fixture
def known(admin_user, warehouse):
    drinks = Category.objects.create(code="DR", name="饮料")
    cola = factories.sku(code="COLA", name="可乐")
    water = factories.sku(code="WATER", name="矿泉水")
    cola.product.category = water.product.category = drinks
    cola.product.save()
    water.product.save()
    s1 = Supplier.objects.create(code="S001", name="甲", prices_include_tax=False, tax_rate=0)
    s2 = Supplier.objects.create(code="S002", name="乙", prices_include_tax=False, tax_rate=0)

    def receive(supplier, *items):
        return receipts.create_purchase_receipt(
            user=admin_user,
            supplier_id=supplier.id,
            warehouse_id=warehouse.id,
            lines=[
                ReceiptLineInput(sku_id=sku.id, quantity=D(q), price=D(p)) for sku, q, p in items
            ],
            post=True,
        )

    r1 = receive(s1, (cola, 100, "2.00"), (water, 50, "1.00"))
    r2 = receive(s2, (cola, 40, "3.00"))

    def give_back(receipt, sku, quantity, reason):
        line = receipt.lines.get(sku=sku)
        return return_services.create_purchase_return(
            user=admin_user,
            receipt_id=receipt.id,
            reason=reason,
            lines=[ReturnLineInput(receipt_line_id=line.id, quantity=D(quantity))],
            post=True,
        )

    give_back(r1, cola, 10, "破损")
    give_back(r1, water, 5, " 临期")  # the reason as typed, with a space: grouped trimmed
    give_back(r2, cola, 6, "破损")
    wrong = give_back(r2, cola, 2, "错发")
    return_services.reverse_purchase_return(user=admin_user, return_id=wrong.id)
    return {"cola": cola, "water": water, "s1": s1, "s2": s2, "drinks": drinks}


def report(client, **query):
    response = client.get(URL, query)
    assert response.status_code == 200, response.content
    return response.json()


def test_per_reason(client_for, admin_user, known):
    data = report(client_for(admin_user), group_by="reason")
    rows = {r["reason"]: r for r in data["results"]}
    assert list(rows) == ["破损", "临期"]  # largest quantity first; 错发 was taken back
    assert (rows["破损"]["documents"], D(rows["破损"]["quantity"]), D(rows["破损"]["value"])) == (
        2,
        16,
        D("38.00"),
    )
    assert (D(rows["临期"]["quantity"]), D(rows["临期"]["value"])) == (5, D("5.00"))
    assert all(r["return_rate"] is None and r["base_quantity"] is None for r in rows.values())
    totals = data["totals"]
    assert (totals["lines"], D(totals["quantity"]), D(totals["value"])) == (3, 21, D("43.00"))


def test_per_supplier_with_the_return_rate(client_for, admin_user, known):
    data = report(client_for(admin_user), group_by="supplier")
    rows = {r["partner_code"]: r for r in data["results"]}
    s1, s2 = rows["S001"], rows["S002"]
    # S001: 15 of 150 received (10.0 %), 25.00 of 250.00; S002: 6 of 40 (15.0 %), 18 of 120
    assert (D(s1["quantity"]), D(s1["base_quantity"]), D(s1["return_rate"])) == (15, 150, D(10))
    assert (D(s1["value"]), D(s1["base_value"]), D(s1["return_rate_by_value"])) == (
        D(25),
        D(250),
        D(10),
    )
    assert (D(s2["quantity"]), D(s2["base_quantity"]), D(s2["return_rate"])) == (6, 40, D(15))
    assert D(s2["return_rate_by_value"]) == D(15)
    # the reversed 错发 return is taken back out of S002's documents and lines too
    assert (s2["documents"], s2["lines"], s1["documents"], s1["lines"]) == (1, 1, 2, 2)


def test_a_return_reversed_in_a_later_period_is_taken_back_then(client_for, admin_user, known):
    from storeledger.purchasing.models import PurchaseReturn

    original = PurchaseReturn.objects.get(reason="错发", status="reversed")
    earlier = timezone.now() - datetime.timedelta(days=40)
    PurchaseReturn.objects.filter(pk=original.pk).update(posted_at=earlier)
    client = client_for(admin_user)
    rows = {r["reason"]: r for r in report(client, group_by="reason")["results"]}
    taken_back = rows["错发"]
    assert (taken_back["documents"], taken_back["lines"]) == (-1, -1)
    assert (D(taken_back["quantity"]), D(taken_back["value"])) == (-2, D("-6.00"))
    day = timezone.localtime(earlier).date()
    before = report(client, group_by="reason", date_from=day.isoformat(), date_to=day.isoformat())
    [row] = before["results"]
    assert (row["reason"], row["documents"], D(row["quantity"])) == ("错发", 1, 2)


def test_per_sku_category_and_month(client_for, admin_user, known):
    client = client_for(admin_user)
    skus = {r["sku_code"]: r for r in report(client, group_by="sku")["results"]}
    # COLA 16 of 140 = 11.43 → 11.4 %; 38.00 of 320.00 = 11.875 → 11.9 %
    assert (D(skus["COLA"]["quantity"]), D(skus["COLA"]["return_rate"])) == (16, D("11.4"))
    assert D(skus["COLA"]["return_rate_by_value"]) == D("11.9")
    assert (D(skus["WATER"]["quantity"]), D(skus["WATER"]["return_rate"])) == (5, D(10))
    [category] = report(client, group_by="category")["results"]
    assert (category["category_code"], D(category["quantity"])) == ("DR", 21)
    # 21 of 190 = 11.05 → 11.1 %; 43 of 370 = 11.62 → 11.6 %
    assert (D(category["return_rate"]), D(category["return_rate_by_value"])) == (
        D("11.1"),
        D("11.6"),
    )
    data = report(client, group_by="month")
    [month] = data["results"]
    assert month["month"] == timezone.localdate().replace(day=1).isoformat()
    assert (D(month["quantity"]), D(month["return_rate"])) == (21, D("11.1"))
    assert [(m["month"], D(m["quantity"])) for m in data["by_month"]] == [(month["month"], 21)]


def test_filters_and_the_lines_behind_a_figure(client_for, admin_user, known):
    client = client_for(admin_user)
    only = report(client, group_by="sku", supplier=known["s2"].id)
    assert [(r["sku_code"], D(r["quantity"])) for r in only["results"]] == [("COLA", 6)]
    lines = client.get(URL + "lines/", {"reason": "破损"}).json()["results"]
    assert sorted((line["partner_code"], D(line["quantity"])) for line in lines) == [
        ("S001", 10),
        ("S002", 6),
    ]
    assert all(line["document_number"] and line["side"] == "purchase" for line in lines)
    reversed_pair = client.get(URL + "lines/", {"reason": "错发"}).json()["results"]
    assert sorted(D(line["quantity"]) for line in reversed_pair) == [-2, 2]


def test_no_values_without_the_cost_permission(client_for, store, known):
    keeper = factories.user("keeper-r", roles=("warehouse_keeper",), stores=(store,))
    data = report(client_for(keeper), group_by="supplier")
    assert data["show_cost"] is False
    assert data["totals"]["value"] is None
    for row in data["results"]:
        assert row["value"] is None and row["base_value"] is None
        assert row["return_rate_by_value"] is None
        assert row["return_rate"] is not None  # a rate of quantities stays
    file = client_for(keeper).get(URL + "export/", {"group_by": "supplier", "format": "csv"})
    text = b"".join(file.streaming_content).decode("utf-8-sig")
    assert "Return rate (%)" in text and "value" not in text.lower()


def test_other_stores_are_out_of_scope(client_for, known, warehouse, other_store):
    keeper = factories.user("keeper-b", roles=("warehouse_keeper",), stores=(other_store,))
    assert report(client_for(keeper), group_by="supplier")["results"] == []
    refused = client_for(keeper).get(URL, {"warehouse": warehouse.id})
    assert (refused.status_code, refused.json()["code"]) == (403, "out_of_scope")


def test_exports_and_bad_input(client_for, admin_user, known):
    client = client_for(admin_user)
    for fmt in ("xlsx", "csv", "pdf"):
        assert client.get(URL + "export/", {"format": fmt, "group_by": "sku"}).status_code == 200
    for query in ({"group_by": "colour"}, {"side": "sales"}, {"date_from": "2026-13-01"}):
        response = client.get(URL, query)
        assert (response.status_code, response.json()["code"]) == (400, "invalid")


def test_returns_without_a_reason_are_a_group_and_a_filter(client_for, admin_user, known):
    from storeledger.purchasing.models import PurchaseReceiptLine

    line = PurchaseReceiptLine.objects.get(sku=known["water"])
    return_services.create_purchase_return(
        user=admin_user,
        receipt_id=line.receipt_id,
        lines=[ReturnLineInput(receipt_line_id=line.id, quantity=D(3))],
        post=True,
    )
    client = client_for(admin_user)
    rows = {r["reason"]: r for r in report(client, group_by="reason")["results"]}
    assert D(rows[""]["quantity"]) == 3 and rows[""]["documents"] == 1
    lines = client.get(URL + "lines/", {"no_reason": "true"}).json()["results"]
    assert [(line["sku_code"], D(line["quantity"])) for line in lines] == [("WATER", 3)]
    csv = client.get(URL + "export/", {"group_by": "reason", "format": "csv"})
    assert "(no reason)" in b"".join(csv.streaming_content).decode("utf-8-sig")
