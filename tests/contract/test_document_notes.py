"""Every request body that writes notes (a document's header, a supplier, a customer) holds
them to `NOTES_MAX_LENGTH`: the columns are texts without a limit, and a million characters
were accepted into a transfer's notes. Found from the OpenAPI schema: the `notes` of every
JSON request body."""

from __future__ import annotations

from drf_spectacular.generators import SchemaGenerator

from storeledger.core.documents import NOTES_MAX_LENGTH

SCHEMA = SchemaGenerator().get_schema(request=None, public=True)
COMPONENTS = SCHEMA["components"]["schemas"]


def _request_bodies() -> dict[str, dict]:
    bodies = {}
    for path, operations in SCHEMA["paths"].items():
        for method in ("post", "put", "patch"):
            content = operations.get(method, {}).get("requestBody", {}).get("content", {})
            reference = content.get("application/json", {}).get("schema", {}).get("$ref")
            if reference:
                name = reference.rsplit("/", 1)[1]
                bodies[f"{method.upper()} {path}"] = COMPONENTS[name]
    return bodies


def test_every_body_with_notes_limits_them():
    with_notes = {
        where: body["properties"]["notes"]
        for where, body in _request_bodies().items()
        if "notes" in body.get("properties", {})
    }
    assert "POST /api/v1/transfers/" in with_notes  # positive control
    assert "POST /api/v1/stock-counts/" in with_notes
    unlimited = sorted(where for where, notes in with_notes.items() if "maxLength" not in notes)
    assert unlimited == []
    assert max(notes["maxLength"] for notes in with_notes.values()) == NOTES_MAX_LENGTH
