"""Hardening (security probe S12): schema and docs for signed-in users only, the Swagger UI
from the package (no CDN), a Content-Security-Policy on every page, HSTS and the proxy's HTTPS
header from the environment, and a throttle on exports and PDFs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from storeledger.testing import factories

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[4]


def test_schema_and_docs_are_for_signed_in_users(client, store):
    refused = APIClient().get("/api/schema/")
    # in the one error shape, as JSON, although the schema itself is YAML
    assert (refused.status_code, refused["Content-Type"]) == (401, "application/json")
    assert refused.json()["code"] == "not_authenticated"
    assert isinstance(refused.json()["message"], str) and refused.json()["message"]
    # the docs are a page: someone not signed in is sent to sign in, then back
    anonymous = APIClient().get("/api/docs/")
    assert (anonymous.status_code, anonymous["Location"]) == (302, "/login?next=%2Fapi%2Fdocs%2F")
    client.force_login(factories.user("clerk", stores=(store,)))
    assert client.get("/api/schema/").status_code == 200
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    page = docs.content.decode()
    assert "cdn.jsdelivr" not in page and "unpkg" not in page
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "<script>" not in page  # the inline script is served apart (?script)
    assert client.get("/api/docs/?script=").status_code == 200


@pytest.mark.parametrize("path", ["/", "/api/v1/auth/csrf/", "/admin/login/"])
def test_every_page_has_a_content_security_policy(client, path):
    policy = client.get(path)["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-eval" not in policy


def test_hsts_on_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    assert client.get("/api/v1/auth/csrf/", secure=True)["Strict-Transport-Security"] == (
        "max-age=31536000"
    )


def test_https_settings_come_from_the_environment():
    env = dict(os.environ)
    env.update(
        {
            "PYTHONPATH": str(ROOT / "src"),
            "DJANGO_SETTINGS_MODULE": "storeledger.settings",
            "SECURE_HSTS_SECONDS": "31536000",
            "SECURE_HSTS_INCLUDE_SUBDOMAINS": "true",
            "SECURE_PROXY_SSL_HEADER": "true",
        }
    )
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_HSTS_SECONDS, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, s.SECURE_PROXY_SSL_HEADER)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    ).stdout.strip()
    assert out == "31536000 True ('HTTP_X_FORWARDED_PROTO', 'https')"


def test_exports_and_pdfs_are_throttled_per_user(settings, warehouse, sku):
    settings.EXPORT_THROTTLE_RATE = "3/min"
    cache.clear()
    client = APIClient()
    client.force_authenticate(factories.user("boss1", roles=("admin",), all_stores=True))
    codes = [client.get("/api/v1/skus/export/", {"format": "csv"}).status_code for _ in range(4)]
    assert codes == [200, 200, 200, 429]
    throttled = client.get("/api/v1/skus/export/", {"format": "csv"})
    assert throttled.json()["code"] == "throttled"
    # ordinary reads are not counted
    assert client.get("/api/v1/skus/").status_code == 200
    # another user has his own allowance
    other = APIClient()
    other.force_authenticate(factories.user("boss2", roles=("admin",), all_stores=True))
    assert other.get("/api/v1/skus/export/", {"format": "csv"}).status_code == 200
    cache.clear()
