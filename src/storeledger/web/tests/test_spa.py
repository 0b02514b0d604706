"""The built single-page app is served at `/` and as the fallback of client-side routes."""

import pytest


@pytest.fixture
def dist(tmp_path, settings):
    (tmp_path / "icons").mkdir()
    (tmp_path / "index.html").write_text("<!doctype html><title>StoreLedger</title>")
    (tmp_path / "sw.js").write_text("self.addEventListener('fetch', () => {});")
    (tmp_path / "manifest.webmanifest").write_text('{"name": "StoreLedger"}')
    (tmp_path / "icons" / "icon-192.png").write_bytes(b"\x89PNG\r\n")
    (tmp_path / "secret.txt").write_text("not served")
    settings.FRONTEND_DIST = tmp_path
    return tmp_path


@pytest.mark.parametrize(
    "url", ["/", "/login", "/inventory/stock-ins/12", "/master/products/new?x=1"]
)
def test_index_and_client_routes_get_the_app(client, dist, url):
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response.content == b"<!doctype html><title>StoreLedger</title>"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_api_paths_are_not_swallowed_by_the_app(client, dist):
    response = client.get("/api/v1/no-such-resource/")

    assert response.status_code == 404
    assert b"StoreLedger</title>" not in response.content


def test_service_worker_and_manifest_are_served_at_the_root(client, dist):
    sw = client.get("/sw.js")
    manifest = client.get("/manifest.webmanifest")
    icon = client.get("/icons/icon-192.png")

    assert sw.status_code == 200
    assert sw["Content-Type"] == "text/javascript"
    assert sw["Service-Worker-Allowed"] == "/"
    assert b"".join(sw.streaming_content).startswith(b"self.addEventListener")
    assert manifest.status_code == 200
    assert manifest["Content-Type"] == "application/manifest+json"
    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/png"


def test_only_the_listed_root_files_are_served(client, dist):
    assert client.get("/secret.txt").status_code == 200  # the app's fallback, not the file
    assert b"not served" not in client.get("/secret.txt").content
    assert client.get("/icons/../secret.txt").status_code in (200, 404)
    assert b"not served" not in client.get("/icons/../secret.txt").content


def test_missing_build_is_a_clear_503(client, settings, tmp_path):
    settings.FRONTEND_DIST = tmp_path / "nothing"

    response = client.get("/")

    assert response.status_code == 503
    assert b"frontend/build.sh" in response.content


def test_mutating_methods_are_refused(client, dist):
    assert client.post("/inventory/balances").status_code == 405
