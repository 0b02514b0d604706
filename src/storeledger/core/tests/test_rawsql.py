"""core.rawsql writes rows with the values Django's own path would give the driver: its short
path for the common value types (`row_params`) must agree with `field.get_db_prep_save` on
every field of the rows the hot paths write, on this test run's database."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from storeledger.core import rawsql
from storeledger.inventory.models import Posting, StockBalance, StockMove
from storeledger.purchasing.models import PurchaseOrderLine, PurchaseReceiptLine
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

AT = datetime.datetime(2026, 12, 6, 8, 30, 15, 123456, tzinfo=datetime.UTC)
LOCAL_AT = timezone.localtime(AT)


def sample_values(field) -> list:
    """Values a field of this kind holds, None among them where the column allows it."""
    internal = field.get_internal_type()
    if field.is_relation or internal.endswith("AutoField"):
        values: list = [7, 2**40]
    elif "Integer" in internal:
        values = [0, 3, 2**40 if "Big" in internal else 12]
    elif internal == "DecimalField":
        values = [Decimal("0.0000"), Decimal("-0.0000"), Decimal("12.3456"), Decimal("3"),
                  Decimal("-1000000.5"), "2.5", 4]  # fmt: skip
    elif internal in ("CharField", "TextField"):
        values = ["", "abc", "中文 text"]
    elif internal == "BooleanField":
        values = [True, False]
    elif internal == "DateTimeField":
        values = [AT, LOCAL_AT]
    elif internal == "DateField":
        values = [datetime.date(2026, 12, 6)]
    else:
        pytest.fail(f"no sample values for {internal} ({field})")
    return [*values, None] if field.null else values


@pytest.mark.parametrize(
    "model", [StockMove, StockBalance, Posting, PurchaseReceiptLine, PurchaseOrderLine]
)
def test_row_params_agree_with_get_db_prep_save(model):
    fields = [f for f in model._meta.concrete_fields if not getattr(f, "auto_now", False)]
    checked = 0
    for field in fields:
        for value in sample_values(field):
            obj = model()
            setattr(obj, field.attname, value)
            expected = field.get_db_prep_save(value, connection)
            [got] = rawsql.row_params([obj], [field], connection, adding=None)
            assert type(got) is type(expected), (field, value)
            assert got == expected, (field, value)
            if isinstance(expected, Decimal):
                assert str(got) == str(expected), (field, value)
            checked += 1
    assert checked >= 2 * len(fields)


def test_insert_stamps_auto_now_fields_and_update_keeps_what_the_caller_set(warehouse):
    """insert runs pre_save (auto_now fields stamped); update writes the attributes as set."""
    sku = factories.sku(code="RAW1")
    balance = StockBalance(warehouse_id=warehouse.id, sku_id=sku.id)
    before = timezone.now()
    assert rawsql.insert([balance]) == 1
    assert balance.pk is not None and balance.updated_at >= before
    balance.on_hand, balance.value, balance.updated_at = Decimal("5"), Decimal("12.5"), AT
    rawsql.update([balance], ["on_hand", "value", "updated_at"])
    row = StockBalance.objects.get(pk=balance.pk)
    assert (row.on_hand, row.value, row.updated_at) == (Decimal("5"), Decimal("12.5"), AT)


def test_models_written_positionally_keep_their_field_order():
    """inventory.ledger makes moves and balances by filling every concrete field by name
    (`ledger._loaded`, without Django's `__init__`): a field added to either model is to be
    added there too, which this list, failing, recalls."""
    assert [f.attname for f in StockMove._meta.concrete_fields] == [
        "id", "posting_id", "balance_id", "posted_at", "warehouse_id", "location_id", "sku_id",
        "batch_id", "move_type", "quantity", "unit_cost", "value", "balance_quantity",
        "balance_value", "line_id", "reverses_id", "prev_hash", "hash",
    ]  # fmt: skip
    assert [f.attname for f in StockBalance._meta.concrete_fields] == [
        "id", "warehouse_id", "sku_id", "batch_id", "on_hand", "reserved", "value",
        "allow_negative", "last_move_hash", "move_count", "last_posted_at", "updated_at",
    ]  # fmt: skip


def test_many_rows_insert_and_update_in_order_with_exact_values(warehouse):
    """Several rows (one array a column on PostgreSQL): the ids come back in the objects' order,
    decimals and NULLs are written as given, a conflicting row is skipped, and the statement's
    text does not grow with the rows there."""
    skus = [factories.sku(code=f"RAWM{k}") for k in range(4)]
    balances = [StockBalance(warehouse_id=warehouse.id, sku_id=sku.id) for sku in skus[:3]]
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        assert rawsql.insert(balances) == 3
    assert [b.pk for b in balances] == sorted(b.pk for b in balances)
    assert [StockBalance.objects.get(pk=b.pk).sku_id for b in balances] == [s.id for s in skus[:3]]
    for k, balance in enumerate(balances):
        balance.on_hand, balance.value = Decimal(f"{k}.1234"), Decimal(f"-{k}.5")
        balance.last_move_hash = "" if k else "a" * 64
    with connection.execute_wrapper(record):
        rawsql.update(balances, ["on_hand", "value", "last_move_hash"])
    rows = {b.pk: b for b in StockBalance.objects.filter(pk__in=[b.pk for b in balances])}
    for k, balance in enumerate(balances):
        row = rows[balance.pk]
        assert (str(row.on_hand), str(row.value)) == (f"{k}.1234", f"-{k}.5000")
        assert row.last_move_hash == ("" if k else "a" * 64)
    again = [StockBalance(warehouse_id=warehouse.id, sku_id=sku.id) for sku in skus[2:]]
    assert rawsql.insert(again, on_conflict_nothing=True) == 1  # skus[2] already has one
    if connection.vendor == "postgresql":
        assert all("UNNEST(" in sql and "%s, %s" not in sql for sql in statements)


def test_columns_instance_is_the_instance_the_orm_loads(warehouse, sku, admin_user):
    """`Columns.instance` fills the instance's `__dict__` instead of calling `Model.__init__`:
    the same attributes and values, loaded state and database as the ORM's own read."""
    from storeledger.catalog.models import Category, Product, Sku, Unit
    from storeledger.org.models import Store, Warehouse

    category = Category.objects.create(code="DRINK", name="饮料")
    Product.objects.filter(pk=sku.product_id).update(category=category)
    rows = [
        (Warehouse, warehouse.pk),
        (Store, warehouse.store_id),
        (Sku, sku.pk),
        (Product, sku.product_id),
        (Unit, sku.product.base_unit_id),
        (Category, category.pk),
        (type(admin_user), admin_user.pk),
    ]
    quote = connection.ops.quote_name
    for model, pk in rows:
        columns = rawsql.Columns(model, "t")
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {columns.sql()} FROM {quote(model._meta.db_table)} t WHERE t.id = %s",
                [pk],
            )
            row = cursor.fetchone()
        made = columns.instance(row, 0)
        loaded = model.objects.get(pk=pk)
        assert type(made) is model
        mine = {k: v for k, v in made.__dict__.items() if k != "_state"}
        theirs = {k: v for k, v in loaded.__dict__.items() if k != "_state"}
        assert mine == theirs, model
        assert list(mine) == list(theirs), model
        assert (made._state.adding, made._state.db) == (False, loaded._state.db)
        assert made == loaded and made.pk == pk


def test_insert_with_children_writes_a_document_and_its_lines_in_order(warehouse, admin_user):
    """A document and its lines: one statement on PostgreSQL (two on SQLite); each line points
    at the document, the ids come back in the lines' order, and the values read back are the
    values given (decimals, NULL and set dates, booleans, text)."""
    from storeledger.inventory.models import StockDocument, StockDocumentLine

    skus = [factories.sku(code=f"RAWC{k}") for k in range(3)]
    document = StockDocument(
        kind="in",
        warehouse=warehouse,
        store=warehouse.store,
        number="RAWC-1",
        document_date=datetime.date(2026, 12, 6),
        created_by=admin_user,
    )
    lines = [
        StockDocumentLine(
            document=document,
            line_no=k + 1,
            sku=sku,
            unit_id=sku.product.base_unit_id,
            quantity=Decimal(f"{k + 1}.5"),
            factor=Decimal(1),
            base_quantity=Decimal(f"{k + 1}.5"),
            expiry_date=datetime.date(2027, 1, k + 1) if k else None,
            unit_cost=Decimal("2.35") if k else None,
            allow_expired=bool(k % 2),
            notes=f"line {k + 1}",
        )
        for k, sku in enumerate(skus)
    ]
    statements: list[str] = []

    def record(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        rawsql.insert_with_children(document, lines, parent_field="document")
    assert len(statements) == (1 if connection.vendor == "postgresql" else 2)
    assert document.pk is not None and not document._state.adding
    assert [line.pk for line in lines] == sorted(line.pk for line in lines)
    assert all(line.document_id == document.pk and line.document is document for line in lines)
    stored = {line.pk: line for line in StockDocumentLine.objects.filter(document=document)}
    fields = [f.attname for f in StockDocumentLine._meta.concrete_fields]
    for line in lines:
        assert [getattr(stored[line.pk], name) for name in fields] == [
            getattr(line, name) for name in fields
        ]
    assert StockDocument.objects.get(pk=document.pk).number == "RAWC-1"


def test_insert_with_children_without_children_inserts_the_parent(warehouse, admin_user):
    from storeledger.inventory.models import StockDocument

    document = StockDocument(
        kind="in",
        warehouse=warehouse,
        store=warehouse.store,
        number="RAWC-2",
        document_date=datetime.date(2026, 12, 6),
        created_by=admin_user,
    )
    rawsql.insert_with_children(document, [], parent_field="document")
    assert StockDocument.objects.get(pk=document.pk).lines.count() == 0


def test_columns_with_deferred_fields_load_them_only_when_asked(warehouse):
    """Fields a hot read leaves out are deferred as `.defer()` leaves them: the instance loads
    one on first use (one query), with the value the ORM reads."""
    from storeledger.org.models import Warehouse

    columns = rawsql.Columns(Warehouse, "w", defer=("created_at", "updated_at"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT {columns.sql()} FROM org_warehouse w WHERE w.id = %s", [warehouse.id]
        )
        made = columns.instance(cursor.fetchone(), 0)
    assert made.get_deferred_fields() == {"created_at", "updated_at"}
    assert (made.code, made.store_id) == (warehouse.code, warehouse.store_id)
    assert made.created_at == Warehouse.objects.get(pk=warehouse.pk).created_at
    with pytest.raises(ValueError, match="defer names fields other than its key"):
        rawsql.Columns(Warehouse, "w", defer=("id",))
    with pytest.raises(ValueError, match="defer names fields other than its key"):
        rawsql.Columns(Warehouse, "w", defer=("no_such_field",))


def test_new_makes_the_instance_model_init_makes(warehouse, admin_user):
    """`rawsql.new` fills the instance as `Model(**values)` does: the same attributes (related
    instances by id, defaults for fields not given) and the same cached related instances."""
    from storeledger.inventory.models import StockDocument, StockDocumentLine

    sku = factories.sku(code="RAWN1")
    document = StockDocument(kind="in", warehouse=warehouse, store=warehouse.store)
    given = {
        "document": document,
        "line_no": 2,
        "sku": sku,
        "unit_id": sku.product.base_unit_id,
        "quantity": Decimal("3.5"),
        "batch": None,
        "expiry_date": datetime.date(2027, 1, 1),
        "notes": "n",
    }
    made, expected = rawsql.new(StockDocumentLine, **given), StockDocumentLine(**given)
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    assert made.sku is sku and made.document is document and made.batch is None
    assert made._state.adding and made._state.db is None
    header = {"kind": "out", "warehouse": warehouse, "created_by": admin_user, "notes": ""}
    made, expected = rawsql.new(StockDocument, **header), StockDocument(**header)
    assert {k: v for k, v in made.__dict__.items() if k != "_state"} == {
        k: v for k, v in expected.__dict__.items() if k != "_state"
    }
    with pytest.raises(TypeError, match="unexpected fields: colour"):
        rawsql.new(StockDocument, colour="red")


_TEXT = st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"))


@pytest.mark.postgres
@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    texts=st.lists(
        st.one_of(st.none(), _TEXT, st.sampled_from(["NULL", '"', "\\", "{a,b}", " x "]))
    ),
    numbers=st.lists(
        st.one_of(
            st.none(),
            st.decimals(
                allow_nan=False, allow_infinity=False, places=4, min_value=-(10**9), max_value=10**9
            ),
        )
    ),
    ints=st.lists(st.one_of(st.none(), st.integers(min_value=-(2**63), max_value=2**63 - 1))),
    flags=st.lists(st.one_of(st.none(), st.booleans())),
    moments=st.lists(st.one_of(st.none(), st.datetimes(timezones=st.just(datetime.UTC)))),
)
def test_array_literals_read_back_as_the_values_given(db, texts, numbers, ints, flags, moments):
    """The arrays of an UNNEST go as PostgreSQL array literals: every text (quotes, backslashes,
    braces, commas, "NULL"), decimal, integer, boolean and time reads back exactly, NULLs too."""
    columns = [texts, numbers, ints, flags, moments]
    literals = [rawsql._array_literal(column) for column in columns]
    assert all(isinstance(literal, str) for literal in literals)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT (%s)::text[], (%s)::numeric[], (%s)::bigint[], (%s)::boolean[], "
            "(%s)::timestamptz[]",
            literals,
        )
        got = list(cursor.fetchone())
    assert got == columns


def test_array_literal_leaves_other_values_to_the_driver():
    values = [{"a": 1}, None]
    assert rawsql._array_literal(values) is values
