"""The lean validation of a scanner's stock document body (inventory.api.documents
`lean_create_values`, request hot path, issue 9) gives exactly the values the serializer gives,
and leaves every body it does not take — anything invalid — to the serializer, whose errors
the API answers as before."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from storeledger.inventory.api.documents import StockDocumentCreateSerializer, lean_create_values

IDS = st.one_of(
    st.integers(min_value=-3, max_value=2**40),
    st.booleans(),
    st.none(),
    st.text(max_size=3),
    st.floats(allow_nan=False, allow_infinity=False),
)
QUANTITIES = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False, places=6).map(str),
    st.integers(min_value=-10, max_value=10**20),
    st.sampled_from(["1", " 2 ", "0.00001", "1.23456", "1e3", "-1", "NaN", "", "x", "0"]),
    st.sampled_from(["99999999999999.9999", "999999999999999.9", "1.00000"]),
    st.floats(allow_nan=True),
    st.none(),
    st.booleans(),
)
LINES = st.fixed_dictionaries(
    {"sku": IDS, "quantity": QUANTITIES},
    optional={"unit": IDS, "batch": IDS, "notes": st.text(max_size=3)},
)
BODIES = st.fixed_dictionaries(
    {
        "warehouse": IDS,
        "lines": st.one_of(st.lists(LINES, max_size=4), st.none(), st.text(max_size=2)),
    },
    optional={
        "post": st.one_of(st.booleans(), st.none(), st.sampled_from(["true", "1", "x"])),
        "notes": st.text(max_size=3),
        "reason": IDS,
    },
)


def plain(values) -> dict:
    return {**values, "lines": [dict(line) for line in values["lines"]]}


@settings(max_examples=400, deadline=None)
@given(BODIES)
def test_lean_values_are_the_serializers(body):
    lean = lean_create_values(body)
    serializer = StockDocumentCreateSerializer(data=body)
    valid = serializer.is_valid()
    if lean is not None:
        assert valid, serializer.errors
        expected = plain(serializer.validated_data)
        assert lean == expected
        assert [str(line["quantity"]) for line in lean["lines"]] == [
            str(line["quantity"]) for line in expected["lines"]
        ]


def test_a_scanners_body_takes_the_lean_path():
    body = {
        "warehouse": 3,
        "post": True,
        "lines": [{"sku": 7, "quantity": "1"}, {"sku": 8, "quantity": 2, "unit": 4}],
    }
    lean = lean_create_values(body)
    serializer = StockDocumentCreateSerializer(data=body)
    assert serializer.is_valid()
    assert lean == plain(serializer.validated_data)
    assert str(lean["lines"][0]["quantity"]) == "1.0000"


def test_bodies_with_more_are_left_to_the_serializer():
    line = {"sku": 7, "quantity": "1"}
    assert lean_create_values({"warehouse": 3, "lines": [line], "notes": "x"}) is None
    assert lean_create_values({"warehouse": 3, "lines": [{**line, "location": 2}]}) is None
    assert lean_create_values({"warehouse": 3, "lines": [{**line, "quantity": "1.23456"}]}) is None
    assert lean_create_values({"warehouse": 0, "lines": [line]}) is None
    assert lean_create_values({"warehouse": 3, "lines": []}) is None


@pytest.mark.django_db
def test_a_bad_third_line_is_answered_as_before(client_for, admin_user, warehouse, sku):
    """A scanner's body whose third line is bad: the lean path leaves it to the serializer
    (a malformed quantity) or the service (an unknown SKU), so the 400 names that line's
    field as before, in the API's error shape."""
    api = client_for(admin_user)
    good = {"sku": sku.id, "quantity": "1"}

    def answer(bad: dict) -> dict:
        body = {"warehouse": warehouse.id, "post": True, "lines": [good, good, bad]}
        response = api.post("/api/v1/stock-outs/", body, format="json")
        assert response.status_code == 400
        return response.json()

    malformed = answer({"sku": sku.id, "quantity": "1.23456"})
    assert malformed == {
        "code": "invalid",
        "message": malformed["message"],
        "fields": {"lines.2.quantity": ["Ensure that there are no more than 4 decimal places."]},
        "details": {},
    }
    assert malformed["message"]
    unknown = answer({"sku": 999999, "quantity": "1"})
    assert set(unknown) == {"code", "message", "fields", "details"}
    assert list(unknown["fields"]) == ["lines.2.sku"]
