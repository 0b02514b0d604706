"""The shared request stack's short ways (request hot path, issue 9) answer as the long ones:
content negotiation, and no message storage for API requests."""

from __future__ import annotations

import pytest
from django.contrib.messages.storage.fallback import FallbackStorage
from django.http import HttpResponse
from django.test import RequestFactory
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.renderers import BrowsableAPIRenderer, JSONRenderer
from rest_framework.request import Request

from storeledger.core.api.negotiation import ContentNegotiation
from storeledger.core.middleware import MessageMiddleware

RENDERER_SETS = [
    [JSONRenderer(), BrowsableAPIRenderer()],
    [BrowsableAPIRenderer(), JSONRenderer()],
    [JSONRenderer()],
]


@pytest.mark.parametrize("renderers", RENDERER_SETS)
@pytest.mark.parametrize(
    "accept",
    [
        None,
        "*/*",
        "application/json",
        "text/html",
        "application/json; indent=4",
        "application/json, text/plain, */*",
        "text/html;q=0.5, application/json",
    ],
)
@pytest.mark.parametrize("query", ["", "?format=json", "?format=api", "?page=2"])
def test_negotiation_picks_what_drf_picks(renderers, accept, query):
    headers = {} if accept is None else {"HTTP_ACCEPT": accept}
    request = Request(RequestFactory().get(f"/api/v1/auth/me/{query}", **headers))

    def pick(negotiation):
        try:
            renderer, media_type = negotiation.select_renderer(request, renderers)
        except Exception as error:  # noqa: BLE001 - the same refusal is expected of both
            return type(error)
        return type(renderer), media_type

    assert pick(ContentNegotiation()) == pick(DefaultContentNegotiation())


def test_negotiation_with_a_format_suffix_is_drf_s():
    request = Request(RequestFactory().get("/x/", HTTP_ACCEPT="*/*"))
    renderers = [JSONRenderer(), BrowsableAPIRenderer()]
    renderer, media_type = ContentNegotiation().select_renderer(request, renderers, "api")
    assert (type(renderer), media_type) == (BrowsableAPIRenderer, "text/html")


@pytest.mark.parametrize(
    ("path", "has_storage"),
    [("/api/v1/auth/me/", False), ("/admin/", True), ("/", True), ("/apiary/", True)],
)
def test_messages_are_set_up_for_pages_not_for_the_api(path, has_storage):
    request = RequestFactory().get(path)
    request.session = {}
    MessageMiddleware(lambda _request: HttpResponse())(request)
    assert isinstance(getattr(request, "_messages", None), FallbackStorage) is has_storage
