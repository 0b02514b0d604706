"""Bad input is a 4xx in the API's one error shape, never a 500 (security probe R1-R3, R6, R7)."""

import json

import pytest
from django.test import Client
from rest_framework.test import APIClient

from storeledger.accounts import api as accounts_api
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

TOO_BIG = 9223372036854775808  # 2**63


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def assert_error(response, status: int, code: str) -> dict:
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"code", "message", "fields", "details"}
    assert body["code"] == code
    return body


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("post", "/api/v1/stock-ins/abc/post/"),
        ("post", "/api/v1/stock-ins/null/submit/"),
        ("post", "/api/v1/adjustments/%25/approve/"),
        ("post", "/api/v1/transfers/true/ship/"),
        ("delete", "/api/v1/stock-ins/null,null/"),
        ("put", "/api/v1/stock-ins/true/"),
        ("patch", "/api/v1/scraps/1.5/"),
        ("get", "/api/v1/stock-counts/x/"),
        ("get", "/api/v1/skus/%E4%B8%AD/"),
        # the approvals inbox and rules had DRF's own router: int("abc") in the view, a 500
        ("post", "/api/v1/approvals/abc/approve/"),
        ("post", "/api/v1/approvals/abc/reject/"),
        ("put", "/api/v1/approval-rules/abc/"),
        ("delete", "/api/v1/approval-rules/abc/"),
        ("get", "/api/v1/import-jobs/abc/"),
    ],
)
def test_a_non_integer_id_in_the_url_is_a_json_404(admin_api, method, path):
    assert_error(getattr(admin_api, method)(path, {}, format="json"), 404, "not_found")


def test_an_integer_id_still_routes(admin_api):
    assert_error(admin_api.post("/api/v1/stock-ins/987654/post/"), 404, "not_found")
    assert_error(admin_api.get(f"/api/v1/stock-ins/{TOO_BIG * 10}/"), 404, "not_found")


def test_an_integer_beyond_64_bits_in_a_body_is_a_400(admin_api, warehouse, sku):
    response = admin_api.post(
        "/api/v1/stock-ins/",
        data=json.dumps({"warehouse": warehouse.id, "lines": [{"sku": TOO_BIG, "quantity": "1"}]}),
        content_type="application/json",
    )
    body = assert_error(response, 400, "number_out_of_range")
    assert "9223372036854775808" in body["message"]
    # positive control: the largest 64-bit integer parses (and is an unknown SKU)
    response = admin_api.post(
        "/api/v1/stock-ins/",
        data=json.dumps(
            {"warehouse": warehouse.id, "lines": [{"sku": TOO_BIG - 1, "quantity": "1"}]}
        ),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] != "number_out_of_range"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/adjustments/?warehouse=-5.001842487088881e%2B153",
        "/api/v1/stock-ins/?store=36893488147419103232",
        "/api/v1/transfers/?from_warehouse=36893488147419103232",
        "/api/v1/stock-moves/?warehouse=36893488147419103232",
        "/api/v1/stock-balances/?sku=36893488147419103232",
        "/api/v1/stock-by-location/?location=36893488147419103232",
        "/api/v1/in-transit/?warehouse=10000000000000000001",
        "/api/v1/batches/export/?warehouse=36893488147419103232&format=csv",
        "/api/v1/skus/export/?brand=32589158477190044730&format=csv",
    ],
)
def test_an_integer_beyond_64_bits_in_a_filter_is_a_400(admin_api, warehouse, path):
    response = admin_api.get(path)
    assert response.status_code == 400, (path, response.content[:300])
    assert set(response.json()) == {"code", "message", "fields", "details"}


def test_deeply_nested_json_is_a_400_even_anonymous():
    client = APIClient()
    body = "[" * 100_000 + "]" * 100_000
    response = client.post("/api/v1/auth/token/", data=body, content_type="application/json")
    assert_error(response, 400, "too_deep")
    nested = json.dumps(
        {"username": [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["x"]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]}
    )
    response = client.post("/api/v1/auth/token/", data=nested, content_type="application/json")
    assert_error(response, 400, "too_deep")
    # positive control: an ordinary body gets the ordinary answer
    response = client.post(
        "/api/v1/auth/token/",
        data=json.dumps({"username": "nobody", "password": "x"}),
        content_type="application/json",
    )
    assert_error(response, 400, "invalid_credentials")


def test_a_nul_in_search_is_a_400(admin_api, sku):
    body = assert_error(admin_api.get("/api/v1/skus/", {"search": "co\x00la"}), 400, "invalid")
    assert "search" in body["fields"]
    assert admin_api.get("/api/v1/skus/", {"search": "COLA"}).json()["count"] == 1


def test_a_body_over_the_size_limit_is_the_json_error(admin_user, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client = APIClient()
    client.force_authenticate(admin_user)
    big = json.dumps({"notes": "x" * 5000})
    response = client.post("/api/v1/stock-ins/", data=big, content_type="application/json")
    assert_error(response, 400, "request_too_large")
    # read before the view: with an Idempotency-Key (hashes the body)
    response = client.post(
        "/api/v1/stock-ins/",
        data=big,
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY="k-1",
    )
    assert_error(response, 400, "request_too_large")


def test_the_500_page_is_json_for_api_paths_and_html_elsewhere(monkeypatch, store):
    def boom(self, request):
        raise RuntimeError("a bug")

    monkeypatch.setattr(accounts_api.MeView, "get", boom)
    user = factories.user("someone", stores=(store,))
    client = Client(raise_request_exception=False)
    client.force_login(user)
    response = client.get("/api/v1/auth/me/")
    body = assert_error(response, 500, "server_error")
    assert "a bug" not in body["message"]
    page = client.get("/api/v1/nothing-here/")
    assert_error(page, 404, "not_found")
