"""API URL includes that try only the patterns a path's first segment can match (request hot
path, issue 9).

Django resolves `/api/v1/stock-outs/` by trying every pattern of every app's include in turn
(accounts, core, org, catalog, …) and, inside the inventory's, every router pattern before the
stock-outs' ones. A `KeyedResolver` knows the first path segments each of its patterns can
match (the pattern's literal text up to its first `/`; for an include at "" the segments of its
own patterns) and resolves a path against the patterns that can match its first segment only,
in their order (a resolver of that subset, built once per segment, with the same route prefix,
kwargs, app name and namespace); a path beginning with a segment no pattern has is turned away
at once. A pattern whose first segment is not literal (a converter or a regular expression
there) is tried for every path, as before. The patterns, their order, URL reversing and the
match of a path that does resolve are unchanged (the match's debugging list of tried patterns
leaves out the skipped ones); `core/tests/test_url_index.py` checks every API route against
plain includes."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, include
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern
from django.utils.functional import cached_property

_ANY = None  # a pattern that may match whatever the first segment


def _keys_of(pattern) -> frozenset[str] | None:
    """The first path segments `pattern` can match, or None when it may match any."""
    route = pattern.pattern
    if not isinstance(route, RoutePattern):
        return _ANY
    text = str(route)
    literal = text.split("<", 1)[0]
    if "/" in literal:
        return frozenset({literal.split("/", 1)[0]})
    if isinstance(pattern, URLPattern) and "<" not in text:
        return frozenset({text})  # an endpoint matching exactly this text (no `/` in it)
    if text == "" and isinstance(pattern, URLResolver):
        return _first_segments(pattern.url_patterns)
    return _ANY


def _first_segments(patterns) -> frozenset[str] | None:
    """The first path segments `patterns` can match, or None when one of them may match any."""
    keys: set[str] = set()
    for pattern in patterns:
        inner = _keys_of(pattern)
        if inner is _ANY:
            return _ANY
        keys |= inner
    return frozenset(keys)


class KeyedResolver(URLResolver):
    @cached_property
    def first_segments(self) -> frozenset[str] | None:
        return _first_segments(self.url_patterns)

    @cached_property
    def _pattern_keys(self) -> list[tuple[URLPattern | URLResolver, frozenset[str] | None]]:
        return [(pattern, _keys_of(pattern)) for pattern in self.url_patterns]

    @cached_property
    def _literal_segments(self) -> frozenset[str]:
        return frozenset().union(*(keys for _p, keys in self._pattern_keys if keys is not _ANY))

    @cached_property
    def _by_segment(self) -> dict[str | None, URLResolver | None]:
        return {}

    def _resolver_for(self, segment: str) -> URLResolver | None:
        """A resolver of the patterns that can match a path beginning with `segment`, in
        their order (None: none can). Built once per segment; unknown segments share one."""
        known = segment if segment in self._literal_segments else None
        cache = self._by_segment
        if known in cache:
            return cache[known]
        patterns = [p for p, keys in self._pattern_keys if keys is _ANY or known in keys]
        resolver = None
        if patterns:
            resolver = URLResolver(
                self.pattern,
                patterns,
                self.default_kwargs,
                app_name=self.app_name,
                namespace=self.namespace,
            )
        cache[known] = resolver
        return resolver

    def resolve(self, path):
        path = str(path)
        match = self.pattern.match(path)
        if not match:
            raise Resolver404({"path": path})
        resolver = self._resolver_for(match[0].split("/", 1)[0])
        if resolver is None:
            raise Resolver404({"tried": [], "path": match[0]})
        return resolver.resolve(path)


def keyed_include(module) -> KeyedResolver:
    """`path("", include(module))` as a `KeyedResolver` (`module`: a dotted name or a list)."""
    return keyed_path("", module)


def keyed_path(route: str, module) -> KeyedResolver:
    """`path(route, include(module))` as a `KeyedResolver`."""
    urlconf_module, app_name, namespace = include(module)
    return KeyedResolver(
        RoutePattern(route, is_endpoint=False),
        urlconf_module,
        app_name=app_name,
        namespace=namespace,
    )
