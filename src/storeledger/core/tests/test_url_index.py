"""The API's keyed URL includes (core.api.urlindex) resolve every path as plain includes do."""

from __future__ import annotations

import re

import pytest
from django.urls import include, path, resolve
from django.urls.exceptions import Resolver404
from django.urls.resolvers import RoutePattern, URLResolver

from storeledger import urls as project_urls
from storeledger.core.api.urlindex import KeyedResolver

APPS = [r.urlconf_name for r in project_urls.api_v1]


class PlainUrls:
    urlpatterns = [path("api/v1/", include([path("", include(app)) for app in APPS]))]


class KeyedUrls:
    urlpatterns = [p for p in project_urls.urlpatterns if str(p.pattern) == "api/v1/"]  # type: ignore[attr-defined]


def _sample_paths(patterns, prefix: str = "") -> list[str]:
    paths: list[str] = []
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        text = re.sub(r"<int:\w+>", "7", str(pattern.pattern))
        text = re.sub(r"<(?:\w+:)?\w+>", "ab", text)
        if isinstance(pattern, URLResolver):
            paths += _sample_paths(pattern.url_patterns, prefix + text)
        else:
            paths.append(prefix + text)
    return paths


def _outcome(path_: str, urlconf):
    try:
        match = resolve(path_, urlconf=urlconf)
    except Resolver404:
        return "404"
    return (match.func, match.args, match.kwargs, match.url_name, match.route, match.namespaces)


def test_every_api_include_is_keyed():
    assert len(KeyedUrls.urlpatterns) == 1
    assert isinstance(KeyedUrls.urlpatterns[0], KeyedResolver)
    assert all(isinstance(r, KeyedResolver) for r in project_urls.api_v1)
    keys = {r.urlconf_name.__name__: r.first_segments for r in project_urls.api_v1}
    assert "stock-outs" in keys["storeledger.inventory.urls"]
    assert "stock-outs" not in keys["storeledger.accounts.urls"]


@pytest.mark.parametrize(
    "extra",
    ["", "nope/", "stock-outs", "stock-outsx/", "stock-outs/abc/", "stock-outs/7/nope/", "auth"],
)
def test_unknown_and_edge_paths_resolve_alike(extra):
    path_ = f"/api/v1/{extra}"
    assert _outcome(path_, KeyedUrls) == _outcome(path_, PlainUrls)


def test_every_api_route_resolves_alike():
    samples = _sample_paths(PlainUrls.urlpatterns)
    assert len(samples) > 200
    for sample in samples:
        for variant in (sample, sample.rstrip("/"), sample + "x/"):
            assert _outcome("/" + variant, KeyedUrls) == _outcome("/" + variant, PlainUrls), variant


def test_a_path_tries_only_the_patterns_of_its_first_segment():
    api = KeyedUrls.urlpatterns[0]
    holders = {r.urlconf_name.__name__: r for r in api._resolver_for("stock-outs").url_patterns}
    assert "storeledger.accounts.urls" not in holders  # skipped without trying its patterns
    inventory = holders["storeledger.inventory.urls"]
    routes = {str(p.pattern) for p in inventory._resolver_for("stock-outs").url_patterns}
    assert routes and all(r.startswith("stock-outs/") for r in routes)
    every = {str(p.pattern) for p in inventory.url_patterns}
    assert "stock-ins/" in every and "stock-ins/" not in routes  # positive control
    # every app's URLs are keyed (core's too, since its router is the project's): an unknown
    # first segment has no pattern to try, and is a 404 without trying any
    assert all(keys is not None for _p, keys in api._pattern_keys)
    assert api._resolver_for("no-such-resource") is None


def test_a_segment_of_several_includes_keeps_their_order():
    """The routers' API roots all match "" (the first one wins, as with plain includes)."""
    api = KeyedUrls.urlpatterns[0]
    holders = api._resolver_for("").url_patterns
    assert len(holders) > 1
    order = [r.urlconf_name for r in project_urls.api_v1]
    assert [order.index(r.urlconf_name) for r in holders] == sorted(
        order.index(r.urlconf_name) for r in holders
    )
    assert _outcome("/api/v1/", KeyedUrls) == _outcome("/api/v1/", PlainUrls)
