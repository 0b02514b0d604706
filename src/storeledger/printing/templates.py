"""Print templates by name. A document type names its template in the kernel's registry
(`core.doctypes.DocumentType.print_template`); the template says how to load one document of
that type within the user's data scope and how to lay it out as a `Sheet`. Printing serves
`GET /api/v1/<documents>/{id}/pdf/` for every registered document type that names a template
(its API path per kind in `DocumentType.extra["api_paths"]`), so a new document type gets its
PDF by registering a template here from its own app (`AppConfig.ready()`) — nothing in printing
changes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from storeledger.core import doctypes
from storeledger.core.errors import NotFound


@dataclass(frozen=True)
class PrintTemplate:
    name: str
    # (user, kind, document id) -> the document in the user's scope (NotFound otherwise)
    load: Callable[[Any, str, int], Any]
    # (document, user) -> the Sheet to render (printing.documents.Sheet)
    sheet: Callable[[Any, Any], Any]


_TEMPLATES: dict[str, PrintTemplate] = {}


def register(template: PrintTemplate) -> PrintTemplate:
    known = _TEMPLATES.get(template.name)
    if known is not None and known != template:
        raise ValueError(f"print template {template.name!r} is already registered")
    _TEMPLATES[template.name] = template
    return template


def for_kind(kind: str) -> tuple[doctypes.DocumentType, PrintTemplate]:
    """The document type numbering `kind` and the template its registry entry names."""
    for doctype in doctypes.registered():
        if kind in doctype.prefixes and doctype.print_template:
            template = _TEMPLATES.get(doctype.print_template)
            if template is None:
                raise LookupError(
                    f"{doctype.key} prints with {doctype.print_template!r}, which no app registers"
                )
            return doctype, template
    raise NotFound()


def printable() -> Iterator[tuple[str, str, str]]:
    """(API path, kind, view permission) of every registered kind that has a print template
    and an API path."""
    for doctype in doctypes.registered():
        if not doctype.print_template:
            continue
        meta = doctype.model._meta
        permission = f"{meta.app_label}.view_{meta.model_name}"
        for kind, path in doctype.extra.get("api_paths", {}).items():
            yield path, kind, permission
