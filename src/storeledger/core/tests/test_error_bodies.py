"""Error bodies name what is wrong, in the user's language, as UTF-8 JSON (UI walk 2026-12-05)."""

import json

import pytest
from rest_framework.test import APIClient

pytestmark = pytest.mark.django_db

TOO_BIG = 9223372036854775808  # 2**63


@pytest.fixture
def admin_api(admin_user):
    client = APIClient()
    client.force_authenticate(admin_user)
    return client


def test_an_integer_beyond_64_bits_in_a_body_names_its_field(admin_api, warehouse, sku):
    body = {"warehouse": warehouse.id, "lines": [{"sku": sku.id, "quantity": "1"}]}
    body["lines"].append({"sku": TOO_BIG, "quantity": "1"})
    response = admin_api.post(
        "/api/v1/stock-ins/", data=json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "number_out_of_range"
    assert list(error["fields"]) == ["lines.1.sku"]
    assert "9223372036854775808" in error["fields"]["lines.1.sku"][0]
    assert "lines.1.sku" in error["message"]


def test_an_integer_beyond_64_bits_at_the_top_level_names_its_field(admin_api, warehouse):
    response = admin_api.post(
        "/api/v1/stock-ins/",
        data=json.dumps({"warehouse": -TOO_BIG - 1, "lines": []}),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "number_out_of_range"
    assert list(response.json()["fields"]) == ["warehouse"]


def test_a_filter_number_out_of_range_names_the_parameter(admin_api):
    response = admin_api.get("/api/v1/stock-ins/?store=36893488147419103232")
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "number_out_of_range"
    assert list(error["fields"]) == ["store"]
    assert "store" in error["message"]


@pytest.mark.parametrize("path", ["/api/v1/stock-ins/", "/api/v1/brands/"])
def test_a_null_body_is_refused_in_the_users_language(admin_api, path):
    response = admin_api.post(
        path, data="null", content_type="application/json", HTTP_ACCEPT_LANGUAGE="zh-Hans"
    )
    assert response.status_code == 400
    error = response.json()
    assert error["code"] == "invalid"
    assert error["fields"] == {"non_field_errors": ["未提供数据：请发送一个 JSON 对象。"]}
    english = admin_api.post(path, data="null", content_type="application/json")
    assert english.json()["fields"] == {
        "non_field_errors": ["No data provided: send a JSON object."]
    }


def test_a_404_outside_drf_is_utf8_json(admin_api):
    response = admin_api.get("/api/v1/no-such-thing/", HTTP_ACCEPT_LANGUAGE="zh-Hans")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "未找到".encode() in response.content
    assert b"\\u" not in response.content


def test_an_idempotency_conflict_is_utf8_json(admin_api, warehouse, sku):
    def send(notes):
        line = {"sku": sku.id, "quantity": "1", "unit_cost": "2"}
        return admin_api.post(
            "/api/v1/stock-ins/",
            data=json.dumps({"warehouse": warehouse.id, "notes": notes, "lines": [line]}),
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="k-1",
            HTTP_ACCEPT_LANGUAGE="zh-Hans",
        )

    first = send("一")
    assert first.status_code == 201
    response = send("二")
    assert response.status_code == 409
    assert response.json()["code"] == "idempotency_conflict"
    assert "已用于另一个不同的请求".encode() in response.content
    assert b"\\u" not in response.content
    json.loads(response.content.decode("utf-8"))
