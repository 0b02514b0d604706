"""Sign-in guessing is limited per account and per client address on every login (API token,
web session, admin), the address cannot be chosen by the client, an administrator unlocks, and
attempts are logged (security probe S2)."""

import logging

import pytest
from axes.models import AccessAttempt, AccessFailureLog
from django.test import RequestFactory
from django.urls import reverse
from rest_framework.test import APIClient

from storeledger.accounts.lockout import client_ip
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
PASSWORD = "pass-1234-word"


@pytest.fixture(autouse=True)
def three_failures(settings):
    settings.AXES_FAILURE_LIMIT = 3


def token(client, username, password, forwarded=None, **extra):
    headers = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return client.post(
        "/api/v1/auth/token/",
        {"username": username, "password": password},
        format="json",
        **headers,
        **extra,
    )


def test_rotating_x_forwarded_for_does_not_escape_the_account_lockout(store):
    factories.user("clerk", stores=(store,))
    client = APIClient()
    codes = [
        token(client, "clerk", f"wrong{i}", forwarded=f"10.0.0.{i}").status_code
        for i in range(1, 5)
    ]
    assert codes == [400, 400, 429, 429]
    locked = token(client, "clerk", PASSWORD, forwarded="10.9.9.9")
    assert locked.status_code == 429
    body = locked.json()
    assert body["code"] == "locked_out"
    assert "Too many failed sign-ins" in body["message"]
    assert locked["Retry-After"] == "900"


def test_one_address_guessing_many_accounts_is_locked_out(store):
    for name in ("a1", "a2", "a3", "a4"):
        factories.user(name, stores=(store,))
    client = APIClient()
    codes = [token(client, name, "wrong").status_code for name in ("a1", "a2", "a3")]
    assert codes == [400, 400, 429]
    # an untouched account from the same address is refused too; from another address it works
    assert token(client, "a4", PASSWORD).status_code == 429
    assert token(client, "a4", PASSWORD, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_web_login_and_the_admin_login_are_limited_too(client, store):
    factories.user("clerk", stores=(store,))
    api = APIClient()
    for _attempt in range(2):
        wrong = api.post("/api/v1/auth/login/", {"username": "clerk", "password": "x"})
        assert wrong.status_code == 400
    response = client.post(reverse("admin:login"), {"username": "clerk", "password": "x"})
    assert response.status_code == 429
    assert b"Too many failed sign-ins" in response.content
    right = api.post("/api/v1/auth/login/", {"username": "clerk", "password": PASSWORD})
    assert right.status_code == 429
    assert right.json()["code"] == "locked_out"


def test_the_lockout_message_is_translated(store):
    factories.user("clerk", stores=(store,))
    client = APIClient()
    for _attempt in range(3):
        token(client, "clerk", "wrong")
    response = token(client, "clerk", PASSWORD, HTTP_ACCEPT_LANGUAGE="zh-hans")
    assert response.status_code == 429
    assert "登录失败次数过多" in response.json()["message"]


def test_an_administrator_unlocks_in_the_admin(client, store):
    factories.user("clerk", stores=(store,))
    api = APIClient()
    for _attempt in range(3):
        token(api, "clerk", "wrong")
    assert token(api, "clerk", PASSWORD).status_code == 429
    boss = factories.user("boss1", roles=("admin",), all_stores=True)
    client.force_login(boss)
    attempts = AccessAttempt.objects.all()
    assert attempts.count() >= 1
    listing = client.get(reverse("admin:axes_accessattempt_changelist"))
    assert listing.status_code == 200
    assert b"clerk" in listing.content
    for attempt in list(attempts):
        response = client.post(
            reverse("admin:axes_accessattempt_delete", args=[attempt.pk]), {"post": "yes"}
        )
        assert response.status_code == 302
    assert token(api, "clerk", PASSWORD).status_code == 200


def test_failed_attempts_are_logged(store, caplog):
    factories.user("clerk", stores=(store,))
    with caplog.at_level(logging.INFO, logger="axes"):
        token(APIClient(), "clerk", "wrong")
    assert any("clerk" in record.getMessage() for record in caplog.records)
    failure = AccessFailureLog.objects.get()
    assert (failure.username, failure.ip_address) == ("clerk", "127.0.0.1")


@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "expected"),
    [
        (0, "10.0.0.1", "203.0.113.5", "203.0.113.5"),  # no proxy: X-Forwarded-For ignored
        (1, "10.0.0.1, 198.51.100.2", "127.0.0.1", "198.51.100.2"),  # what our proxy appended
        (2, "6.6.6.6, 198.51.100.2, 10.1.1.1", "127.0.0.1", "198.51.100.2"),
        (1, "", "203.0.113.5", "203.0.113.5"),
    ],
)
def test_client_ip_trusts_only_the_configured_proxies(
    settings, proxies, forwarded, remote, expected
):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR=forwarded, REMOTE_ADDR=remote)
    assert client_ip(request) == expected
