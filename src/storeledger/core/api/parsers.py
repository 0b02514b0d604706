"""The API's JSON parser: DRF's, refusing what would otherwise end in a server error.

- an integer beyond the 64-bit range of the database's id and integer columns (an id such as
  `"sku": 9223372036854775808` reached the database and failed there);
- JSON nested deeper than `MAX_DEPTH` (Python's parser raised RecursionError, a 500 even for an
  anonymous request to /auth/token/)."""

from __future__ import annotations

import codecs
import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from storeledger.core.errors import ValidationFailed

INT64_MIN, INT64_MAX = -(2**63), 2**63 - 1
MAX_DEPTH = 32


class _OutOfRange:
    """Stands in for an integer beyond 64 bits while parsing, so that its place in the body
    (`lines.0.sku`) can be named afterwards."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text


def _parse_int(text: str) -> int | _OutOfRange:
    value = int(text)
    if not INT64_MIN <= value <= INT64_MAX:
        return _OutOfRange(text)
    return value


def _out_of_range(data) -> tuple[str, _OutOfRange] | None:
    """The first integer beyond 64 bits in the parsed body, with its path."""
    stack: list[tuple[str, object]] = [("", data)]
    while stack:
        path, value = stack.pop()
        if isinstance(value, _OutOfRange):
            return path or "non_field_errors", value
        if isinstance(value, dict):
            items = list(value.items())
        elif isinstance(value, list):
            items = list(enumerate(value))
        else:
            continue
        for key, sub in reversed(items):
            stack.append((f"{path}.{key}" if path else str(key), sub))
    return None


def _too_deep(data) -> bool:
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if depth > MAX_DEPTH:
            return True
        if isinstance(value, dict):
            stack.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            stack.extend((v, depth + 1) for v in value)
    return False


def too_deep_error() -> ParseError:
    return ParseError(
        _("The JSON body is nested more than %(max)d levels deep.") % {"max": MAX_DEPTH},
        code="too_deep",
    )


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = codecs.getreader(encoding)(stream).read()
        except UnicodeDecodeError as error:
            raise ParseError(_("The body is not valid UTF-8 text."), code="parse_error") from error
        try:
            data = json.loads(text, parse_int=_parse_int, parse_constant=_refuse_constant)
        except RecursionError as error:
            raise too_deep_error() from error
        except ValueError as error:
            raise ParseError(_("The body is not valid JSON."), code="parse_error") from error
        if _too_deep(data):
            raise too_deep_error()
        found = _out_of_range(data)
        if found is not None:
            path, value = found
            message = _("The number %(value)s in %(field)s is out of range (at most 19 digits).")
            message %= {"value": value.text[:40], "field": path}
            raise ValidationFailed(message, code="number_out_of_range", fields={path: [message]})
        return data


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not valid JSON")
