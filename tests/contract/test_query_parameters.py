"""Query parameters (security probe S13, issue 8): every collection endpoint of the OpenAPI
schema refuses a parameter it does not know (`?wharehouse=3`) with 400 `unknown_parameter`
naming it, and knows every parameter the schema declares for it (so the checker and the
schema — and the typed client built from it — cannot drift apart)."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator

pytestmark = pytest.mark.django_db

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
# one object each, not a collection: they take no parameters and are not checked
SINGLE_OBJECTS = {"/api/v1/auth/csrf/", "/api/v1/auth/me/", "/api/v1/company/"}
# collection endpoints: GET without a path parameter (lists, exports, reports, look-ups)
COLLECTIONS = sorted(
    path
    for path, operations in SCHEMA["paths"].items()
    if "get" in operations and "{" not in path and path not in SINGLE_OBJECTS
)


def declared(path: str) -> dict[str, dict]:
    """The query parameters the schema declares for a collection, with their types."""
    return {
        parameter["name"]: parameter.get("schema", {})
        for parameter in SCHEMA["paths"][path]["get"].get("parameters", [])
        if parameter["in"] == "query"
    }


def sample(schema: dict) -> str:
    if "enum" in schema:
        return str(schema["enum"][0])
    kind, fmt = schema.get("type"), schema.get("format")
    if kind == "integer":
        return "1"
    if kind == "boolean":
        return "true"
    if fmt == "date":
        return "2026-01-01"
    if fmt == "date-time":
        return "2026-01-01T00:00:00+08:00"
    return "1"


def test_the_schema_has_collections_to_check():
    assert len(COLLECTIONS) > 40
    assert "/api/v1/stock-balances/" in COLLECTIONS
    assert "/api/v1/reports/stock-summary/" in COLLECTIONS


@pytest.mark.parametrize("path", COLLECTIONS)
def test_an_unknown_parameter_is_refused(path, client_for, admin_user):
    response = client_for(admin_user).get(path, {"wharehouse": "3"})

    assert response.status_code == 400, (path, response.content[:300])
    body = response.json()
    assert body["code"] == "unknown_parameter"
    assert body["fields"] == {"wharehouse": [body["message"]]}
    assert "wharehouse" in body["message"]
    assert body["details"]["parameter"] == "wharehouse"


@pytest.mark.parametrize("path", COLLECTIONS)
def test_every_declared_parameter_is_known(path, client_for, admin_user):
    """All of them at once: unknown parameters are refused before any value is read, so a
    400 for another reason (two filters that exclude each other) still proves them known."""
    params = {name: sample(schema) for name, schema in declared(path).items()}

    response = client_for(admin_user).get(path, params)

    assert response.status_code < 500
    if response.status_code == 400:
        assert response.json()["code"] != "unknown_parameter", (path, response.json())


@pytest.mark.parametrize("path", COLLECTIONS)
def test_a_parameter_given_twice_is_refused_unless_it_takes_several(path, client_for, admin_user):
    parameters = declared(path)
    single = sorted(name for name, schema in parameters.items() if schema.get("type") != "array")
    several = sorted(name for name, schema in parameters.items() if schema.get("type") == "array")
    client = client_for(admin_user)
    for name in single[:1] or ["lang"]:
        response = client.get(f"{path}?{name}=1&{name}=2")

        assert response.status_code == 400, (path, name, response.content[:300])
        assert response.json()["code"] == "repeated_parameter"
        assert response.json()["details"] == {"parameter": name}
    if several:
        query = "&".join(
            f"{name}={value}"
            for name in several
            for value in (parameters[name]["items"].get("enum") or ["1", "2"])[:2]
        )
        response = client.get(f"{path}?{query}")

        assert response.status_code < 500
        if response.status_code == 400:
            assert response.json()["code"] != "repeated_parameter", (path, response.json())


def test_a_multiple_choice_filter_takes_several_values(client_for, admin_user):
    response = client_for(admin_user).get("/api/v1/transfers/?status=draft&status=submitted")

    assert response.status_code == 200


def test_a_parameter_read_by_hand_is_known(client_for, admin_user, sku):
    """Positive control of the test above: the look-up reads `code=` itself and declares it."""
    response = client_for(admin_user).get("/api/v1/skus/lookup/", {"code": sku.code})

    assert response.status_code == 200
    assert response.json()["sku"]["id"] == sku.id


@pytest.mark.parametrize("value", ["abc", "0", "-1", "1.5", "99999999999999999999"])
@pytest.mark.parametrize("name", ["page", "page_size"])
def test_an_unreadable_page_is_refused(name, value, client_for, admin_user):
    response = client_for(admin_user).get("/api/v1/stock-ins/", {name: value})

    assert response.status_code == 400
    assert response.json()["code"] == "invalid_parameter"
    assert list(response.json()["fields"]) == [name]


def test_known_parameters_still_filter(client_for, admin_user, warehouse, other_warehouse):
    client = client_for(admin_user)

    response = client.get("/api/v1/warehouses/", {"store": warehouse.store_id, "page": "1"})

    assert response.status_code == 200
    ids = [row["id"] for row in response.json()["results"]]
    assert warehouse.id in ids and other_warehouse.id not in ids


def test_an_anonymous_request_is_still_401_first(client):
    response = client.get("/api/v1/stock-balances/", {"wharehouse": "3"})

    assert response.status_code == 401


def test_retrieve_and_actions_are_not_lists(client_for, admin_user, warehouse):
    response = client_for(admin_user).get(f"/api/v1/warehouses/{warehouse.id}/", {"x": "1"})

    assert response.status_code == 200
