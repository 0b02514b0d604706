"""Serve the single-page app built by `frontend/build.sh` (frontend/dist/).

`/` and every client-side route get index.html (never cached, so a new build shows at once);
the hashed assets are static files (/static/assets/…, through WhiteNoise); the service worker,
the web manifest and the icons are served at the site root so the service worker's scope is `/`.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import urlencode

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotAuthenticated
from rest_framework.renderers import JSONRenderer

mimetypes.add_type("application/manifest+json", ".webmanifest")

# Files of frontend/public/ that live at the site root.
ROOT_FILES = {"sw.js", "manifest.webmanifest", "favicon.svg"}


def dist_dir() -> Path:
    return Path(settings.FRONTEND_DIST)


@require_safe
@never_cache
def spa_index(request: HttpRequest, path: str = "") -> HttpResponse:
    index = dist_dir() / "index.html"
    if not index.is_file():
        message = _("The web app is not built yet: run frontend/build.sh (or make run).")
        return HttpResponse(message, status=503, content_type="text/plain; charset=utf-8")
    return HttpResponse(index.read_bytes(), content_type="text/html; charset=utf-8")


@require_safe
def root_file(request: HttpRequest, name: str) -> FileResponse:
    base = dist_dir().resolve()
    target = (base / name).resolve()
    allowed = name in ROOT_FILES or (name.startswith("icons/") and name.endswith(".png"))
    if not allowed or base not in target.parents or not target.is_file():
        raise Http404
    content_type = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
    response = FileResponse(target.open("rb"), content_type=content_type)
    if name == "sw.js":
        response["Cache-Control"] = "no-cache"
        response["Service-Worker-Allowed"] = "/"
    else:
        response["Cache-Control"] = "public, max-age=86400"
    return response


class ApiDocsView(SpectacularSwaggerSplitView):
    """Swagger UI. Someone not signed in (a newcomer following the README's link) is sent to
    the web UI's sign-in page, which brings them back here, instead of a bare 401."""

    def handle_exception(self, exc):
        if isinstance(exc, NotAuthenticated):
            return HttpResponseRedirect(f"/login?{urlencode({'next': self.request.path})}")
        return super().handle_exception(exc)


class SchemaView(SpectacularAPIView):
    """The OpenAPI schema (YAML by default). Its refusals (not signed in, a bad `format` or
    `lang`) answer in the API's JSON error shape, not in the schema's YAML."""

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = JSONRenderer.media_type
        return response
