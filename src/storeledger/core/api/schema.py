"""OpenAPI schema hooks (drf-spectacular, SPECTACULAR_SETTINGS["POSTPROCESSING_HOOKS"])."""

from __future__ import annotations

import copy
import inspect

from drf_spectacular.hooks import postprocess_schema_enums

from storeledger.core import doctypes

REF = "#/components/schemas/"


def _model_of(component) -> type | None:
    """The model of the serializer a schema component was made from (None: not a model
    serializer)."""
    serializer = getattr(component.object, "obj", component.object)
    if not inspect.isclass(serializer):
        serializer = type(serializer)
    return getattr(getattr(serializer, "Meta", None), "model", None)


def _enum_ref(prop: dict) -> tuple[dict, str] | None:
    """(the dict holding the `$ref`, the referenced component name) of a property that is an
    enum reference, plain or wrapped (`allOf`/`oneOf`, as drf-spectacular writes a read-only or
    nullable one)."""
    for holder in (prop, *prop.get("allOf", ()), *prop.get("oneOf", ())):
        ref = holder.get("$ref", "")
        if ref.startswith(REF) and ref.endswith("Enum") and not ref.endswith("NullEnum"):
            return holder, ref.removeprefix(REF)
    return None


def status_enum_per_document_type(result, generator, **kwargs):
    """Every registered document type's `status` is its own enum, `<Model>StatusEnum` with
    only the statuses of that type (its model's choices), even where two types have the same
    set (drf-spectacular names enums by their choices, so it would share one between, e.g.,
    stock documents and purchase returns): a client cannot put one type's status on another."""
    result = postprocess_schema_enums(result, generator, **kwargs)
    schemas = result.get("components", {}).get("schemas", {})
    names = {
        doctype.model: f"{doctype.model.__name__}StatusEnum" for doctype in doctypes.registered()
    }
    for (name, kind), component in generator.registry._components.items():
        model = _model_of(component) if kind == "schemas" else None
        if model not in names or name not in schemas:
            continue
        prop = schemas[name].get("properties", {}).get("status")
        found = _enum_ref(prop) if prop else None
        if found is None:
            continue
        holder, shared = found
        own = names[model]
        if own not in schemas:
            schemas[own] = copy.deepcopy(schemas[shared])
        holder["$ref"] = REF + own
    # An enum no property points to any more (all its users got their own) is left out.
    text = repr(result.get("paths", {})) + repr(schemas)
    for name in [n for n in schemas if n.endswith("StatusEnum")]:
        if f"'{REF}{name}'" not in text:
            del schemas[name]
    result["components"]["schemas"] = dict(sorted(schemas.items()))
    return result
