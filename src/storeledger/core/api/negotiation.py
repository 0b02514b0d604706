"""Content negotiation with a short way for what API clients send (request hot path, issue 9).

A request without `?format=` that accepts anything (`*/*`, what scripts and the test client
send, or no Accept header) or exactly the first renderer's media type (`application/json`) gets
the first renderer, as DRF's negotiation answers it, without parsing and ranking the header;
every other request is negotiated by DRF."""

from __future__ import annotations

from rest_framework.negotiation import DefaultContentNegotiation


class ContentNegotiation(DefaultContentNegotiation):
    def select_renderer(self, request, renderers, format_suffix=None):
        if format_suffix is None and renderers:
            accept = request.META.get("HTTP_ACCEPT", "*/*")
            first = renderers[0]
            if (accept == "*/*" or accept == first.media_type) and (
                self.settings.URL_FORMAT_OVERRIDE not in request.query_params
            ):
                return first, first.media_type
        return super().select_renderer(request, renderers, format_suffix)
