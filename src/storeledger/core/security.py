"""HTTP hardening shared by every page: the Content-Security-Policy header, and the throttle
of heavy authenticated requests (exports, PDFs, labels).

The policy (settings.CONTENT_SECURITY_POLICY) allows only this origin's scripts, styles, images, fonts and connections (the web
UI's bundle, the admin, the Swagger UI of drf-spectacular-sidecar); inline styles are allowed
because Ant Design writes its CSS-in-JS into <style> elements; `data:`/`blob:` images for
barcodes and the camera preview; nothing may frame the app."""

from __future__ import annotations

import re

from django.conf import settings
from rest_framework.throttling import UserRateThrottle


class ContentSecurityPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.CONTENT_SECURITY_POLICY
        if policy and "Content-Security-Policy" not in response:
            response["Content-Security-Policy"] = policy
        return response


_HEAVY_PATH = re.compile(r"/(export|pdf|labels|sheet-pdf)/$")
_HEAVY_FORMATS = {"xlsx", "csv", "pdf"}


def is_heavy(request) -> bool:
    """An export, a PDF or labels: seconds of CPU per request."""
    return bool(_HEAVY_PATH.search(request.path)) or (
        request.query_params.get("format", "").lower() in _HEAVY_FORMATS
    )


class HeavyRequestThrottle(UserRateThrottle):
    """`EXPORT_THROTTLE_RATE` (default 30/min) exports and PDFs per user (or per address when
    anonymous); other requests are not counted."""

    scope = "export"

    def get_rate(self):
        return settings.EXPORT_THROTTLE_RATE or None

    def allow_request(self, request, view):
        if not is_heavy(request):
            return True
        self.rate = self.get_rate()
        if self.rate is None:
            return True
        self.num_requests, self.duration = self.parse_rate(self.rate)
        return super().allow_request(request, view)
