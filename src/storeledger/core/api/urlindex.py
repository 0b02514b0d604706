"""API URL includes that turn a path away by its first segment (request hot path, issue 9).

Django resolves `/api/v1/stock-outs/` by trying every pattern of every app's include in turn
(accounts, core, org, catalog, …) before it reaches the inventory's. A `KeyedResolver` knows the
first path segments its patterns can match (each pattern's literal text up to its first `/`)
and answers "no match" at once for a path that begins with another, without trying its
patterns; the patterns, their order, URL reversing and the match of a path that does resolve
are unchanged (the match's debugging list of tried patterns leaves out the skipped ones). An
include holding a pattern whose first segment is not literal (a converter or a regular
expression there) tries its patterns for every path, as before."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils.functional import cached_property


def _first_segments(patterns) -> frozenset[str] | None:
    """The first path segments `patterns` can match, or None when one of them may match any."""
    keys: set[str] = set()
    for pattern in patterns:
        route = pattern.pattern
        if not isinstance(route, RoutePattern):
            return None
        text = str(route)
        literal = text.split("<", 1)[0]
        if "/" in literal:
            keys.add(literal.split("/", 1)[0])
        elif isinstance(pattern, URLPattern) and "<" not in text:
            keys.add(text)  # an endpoint matching exactly this text (no `/` in it)
        elif text == "" and isinstance(pattern, URLResolver):
            inner = _first_segments(pattern.url_patterns)
            if inner is None:
                return None
            keys |= inner
        else:
            return None
    return frozenset(keys)


class KeyedResolver(URLResolver):
    @cached_property
    def first_segments(self) -> frozenset[str] | None:
        return _first_segments(self.url_patterns)

    def resolve(self, path):
        keys = self.first_segments
        if keys is not None:
            match = self.pattern.match(str(path))
            if match and match[0].split("/", 1)[0] not in keys:
                raise Resolver404({"tried": [], "path": match[0]})
        return super().resolve(path)


def keyed_include(module: str) -> KeyedResolver:
    """`path("", include(module))` as a `KeyedResolver`."""
    urlconf_module, app_name, namespace = include(module)
    return KeyedResolver(
        RoutePattern("", is_endpoint=False), urlconf_module, app_name=app_name, namespace=namespace
    )
