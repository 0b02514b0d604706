"""Supplier payment terms (days, method) and contract dates."""

import pytest

from storeledger.partners.models import Supplier
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
URL = "/api/v1/suppliers/"


@pytest.fixture
def buyer(db):
    return factories.user("buyer", roles=("buyer",), all_stores=True)


def test_terms_and_contract_dates(client_for, buyer):
    client = client_for(buyer)
    response = client.post(
        URL,
        {
            "code": "S001",
            "name": "杭州娃哈哈集团",
            "payment_terms_days": 30,
            "payment_method": "acceptance_bill",
            "contract_start": "2026-01-01",
            "contract_end": "2026-12-31",
        },
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["payment_method"], body["contract_start"], body["contract_end"]) == (
        "acceptance_bill",
        "2026-01-01",
        "2026-12-31",
    )
    assert [s["code"] for s in client.get(URL, {"payment_method": "cash"}).json()["results"]] == []
    assert [
        s["code"] for s in client.get(URL, {"payment_method": "acceptance_bill"}).json()["results"]
    ] == ["S001"]


def test_default_method_is_bank_transfer(client_for, buyer):
    response = client_for(buyer).post(URL, {"code": "S1", "name": "x"}, format="json")
    assert response.json()["payment_method"] == "bank_transfer"
    assert response.json()["contract_start"] is None


def test_bad_terms_are_400(client_for, buyer):
    supplier = Supplier.objects.create(code="S1", name="x", contract_start="2026-06-01")
    client = client_for(buyer)
    response = client.patch(
        f"{URL}{supplier.pk}/",
        {"contract_end": "2026-05-31", "payment_method": "barter", "payment_terms_days": 99999},
        format="json",
    )
    assert response.status_code == 400, response.json()
    assert sorted(response.json()["fields"]) == ["payment_method", "payment_terms_days"]
    # the date rule is checked once the fields are valid
    response = client.patch(f"{URL}{supplier.pk}/", {"contract_end": "2026-05-31"}, format="json")
    assert response.status_code == 400
    assert response.json()["fields"] == {
        "contract_end": ["The contract cannot end before it starts."]
    }
    supplier.refresh_from_db()
    assert supplier.contract_end is None
    ok = client.patch(f"{URL}{supplier.pk}/", {"contract_end": "2026-06-01"}, format="json")
    assert ok.status_code == 200, ok.json()
