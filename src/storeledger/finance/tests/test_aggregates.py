"""Balances and ageing summed in SQL (finance.aggregates) on a small data set with
hand-computed figures: the bucket edges (30/31, 60/61, 90/91 days past due), a pro-rata receipt
rounded to the fen, an invoice with a difference, a payment on account; the same figures as the
Python sums of the entries (account.entries + selectors.open_items), and a constant number of
queries whatever the number of documents."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.finance import account, selectors
from storeledger.finance.services import invoices, payments
from storeledger.finance.services.invoices import InvoiceLineInput
from storeledger.finance.services.payments import AllocationInput

D = Decimal
AS_OF = datetime.date(2026, 11, 30)


def back(days: int) -> datetime.date:
    return AS_OF - datetime.timedelta(days=days)


def python_ageing(as_of: datetime.date) -> dict[int, dict]:
    """The ageing as it was computed before: every entry loaded and summed in Python."""
    rows: dict[int, dict] = {}
    entries = account.entries(account.Query(date_to=as_of))
    for item in selectors.open_items(entries):
        row = rows.setdefault(
            item.supplier_id, {**dict.fromkeys(selectors.BUCKETS, D(0)), "total": D(0)}
        )
        row[selectors.bucket_of((as_of - item.due_date).days)] += item.amount
        row["total"] += item.amount
    return rows


def sql_ageing(user, as_of: datetime.date) -> dict[int, dict]:
    return {
        row["supplier"]: {k: row[k] for k in (*selectors.BUCKETS, "total")}
        for row in selectors.ageing(user, as_of=as_of)
    }


@pytest.fixture
def history(make_order, receive, wahaha, finance_user):
    """Receipts due (30 days' terms) exactly 30, 31, 60, 61, 90 and 91 days before AS_OF."""
    order = make_order(60, "24.00", day=back(200))
    for boxes, overdue in ((1, 30), (2, 31), (3, 60), (4, 61), (5, 90), (6, 91)):
        receive(order, boxes, back(overdue + 30))
    # 3 boxes at 3.3333 = 9.9999 → 10.00 incl. tax; 1 box received: 10.00 × 1/3 → 3.33
    odd = make_order(3, "3.3333", day=back(40))
    third = receive(odd, 1, back(5))  # due in 25 days: not due
    invoice = invoices.create_supplier_invoice(
        user=finance_user,
        supplier_id=wahaha.id,
        invoice_no="X-1",
        invoice_date=back(10),
        lines=[InvoiceLineInput(receipt_line_id=third.lines.get().id, price=D("3.36"))],
        post=True,  # 3.36 against 3.3333: within the 1 % tolerance
    )
    assert (invoice.total_gross, invoice.receipt_amount) == (D("3.36"), D("3.33"))
    payments.create_supplier_payment(  # 50.00 on the 91 days' receipt, 10.00 on account
        user=finance_user,
        supplier_id=wahaha.id,
        amount=D("60.00"),
        document_date=back(3),
        allocations=[AllocationInput(amount=D("50.00"), receipt_id=_receipt_due(wahaha, 91).id)],
        post=True,
    )
    return wahaha


def _receipt_due(supplier, overdue: int):
    from storeledger.purchasing.models import PurchaseReceipt

    return PurchaseReceipt.objects.get(supplier=supplier, document_date=back(overdue + 30))


def test_ageing_and_balance_in_sql_on_hand_computed_figures(history, finance_user):
    [row] = selectors.ageing(finance_user, as_of=AS_OF)
    assert {k: row[k] for k in (*selectors.BUCKETS, "total")} == {
        # the invoice (3.36 incl. tax, due in 20 days) − the payment on account (due today: 0)
        "not_due": D("3.36"),
        # 1 box due 30 days ago (24.00) − 10.00 on account, dated 3 days ago
        "days_0_30": D("24.00") + D("-10.00"),
        "days_31_60": D("48.00") + D("72.00"),  # 31 and 60 days
        "days_61_90": D("96.00") + D("120.00"),  # 61 and 90 days
        "days_over_90": D("144.00") - D("50.00"),  # 91 days, 50.00 paid
        "total": D("447.36"),
    }
    assert selectors.supplier_balances(finance_user) == {history.id: D("447.36")}
    # the same as the entries summed in Python, on other days too
    for as_of in (AS_OF, back(4), back(60), AS_OF + datetime.timedelta(days=45)):
        assert sql_ageing(finance_user, as_of) == python_ageing(as_of)
        entries = account.entries(account.Query(date_to=as_of))
        python_balance = {}
        for entry in entries:
            python_balance[entry.supplier_id] = (
                python_balance.get(entry.supplier_id, D(0)) + entry.amount
            )
        assert selectors.supplier_balances(finance_user, as_of=as_of) == python_balance
        query = account.Query(date_to=as_of)
        assert selectors.supplier_open_items(query) == selectors.open_items(entries)


def test_constant_queries_whatever_the_history(make_order, receive, finance_user):
    order = make_order(40, "24.00", day=back(100))
    receive(order, 1, back(60))

    def count() -> int:
        with CaptureQueriesContext(connection) as ran:
            selectors.ageing(finance_user, as_of=AS_OF)
            selectors.supplier_balances(finance_user, as_of=AS_OF)
        return len(ran)

    count()  # the user's permissions and stores are cached after the first call
    few = count()
    for n in range(2, 8):
        receive(order, 1, back(60 - n))
    assert count() == few


def test_line_gross_given_a_value_is_a_type_error():
    """LineGross writes its columns into the SQL text: a value (a query parameter) in their
    place is a programming error, refused as such."""
    from django.db.models import Value

    from storeledger.finance.aggregates import LineGross

    class Compiler:  # compiles a column as its name, a value as a parameter
        def compile(self, expression):
            if isinstance(expression, Value):
                return "%s", [expression.value]
            return expression.name, []

    expression = LineGross()
    assert expression.as_postgresql(Compiler(), connection)[1] == []  # columns only: fine
    expression.set_source_expressions([Value(D(1)), *expression.get_source_expressions()[1:]])
    with pytest.raises(TypeError, match="LineGross takes columns"):
        expression.as_postgresql(Compiler(), connection)
