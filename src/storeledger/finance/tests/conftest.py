import datetime
from decimal import Decimal

import pytest

from storeledger.partners.models import Supplier
from storeledger.purchasing.services import orders, receipts
from storeledger.purchasing.services.orders import OrderLineInput
from storeledger.purchasing.services.receipts import ReceiptLineInput
from storeledger.testing import factories


@pytest.fixture
def wahaha(db):
    return Supplier.objects.create(
        code="S001",
        name="杭州娃哈哈集团",
        payment_terms_days=30,
        tax_rate=Decimal(13),
        prices_include_tax=True,
    )


@pytest.fixture
def box(sku):
    return sku.units.get().unit  # the factory's 箱 of 12


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)


@pytest.fixture
def approver(db):
    return factories.user("approver", roles=("admin",), all_stores=True)


@pytest.fixture
def finance_user(db):
    return factories.user("fin", roles=("finance",), all_stores=True)


@pytest.fixture
def make_order(buyer, approver, wahaha, warehouse, sku, box):
    def make(
        boxes: int | str = 10,
        price: str = "24.00",
        day: datetime.date = datetime.date(2026, 10, 1),
        supplier=None,
        target_warehouse=None,
    ):
        order = orders.create_purchase_order(
            user=buyer,
            supplier_id=(supplier or wahaha).id,
            warehouse_id=(target_warehouse or warehouse).id,
            document_date=day,
            lines=[
                OrderLineInput(
                    sku_id=sku.id, quantity=Decimal(boxes), unit_id=box.id, price=Decimal(price)
                )
            ],
        )
        orders.submit_purchase_order(user=buyer, order_id=order.id)
        orders.approve_purchase_order(user=approver, order_id=order.id)
        return order

    return make


@pytest.fixture
def receive(approver, sku):
    def make(order, boxes: int | str, day: datetime.date):
        line = order.lines.get()
        return receipts.create_purchase_receipt(
            user=approver,
            order_id=order.id,
            document_date=day,
            lines=[ReceiptLineInput(order_line_id=line.id, quantity=Decimal(boxes))],
            post=True,
        )

    return make
