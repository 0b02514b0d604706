"""API tokens expire, are named per integration, listed and revoked by their owner and an
administrator, and die with a sign-out or a password change (security probe S7)."""

import datetime

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from rest_framework.test import APIClient

from storeledger.accounts import tokens
from storeledger.accounts.models import ApiToken
from storeledger.testing import factories

pytestmark = pytest.mark.django_db
PASSWORD = "pass-1234-word"


def issue(username, password=PASSWORD, **extra):
    return APIClient().post(
        "/api/v1/auth/token/", {"username": username, "password": password, **extra}, format="json"
    )


def as_token(key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    return client


def test_each_request_issues_a_named_expiring_token(store):
    factories.user("robot", stores=(store,))
    first = issue("robot", name="label printer", expires_in_days=7).json()
    second = issue("robot").json()
    assert first["token"] != second["token"]
    assert first["name"] == "label printer"
    assert second["name"] == "api"
    days = (
        datetime.datetime.fromisoformat(first["expires_at"]) - timezone.now()
    ).total_seconds() / 86400
    assert 6.9 < days <= 7
    stored = ApiToken.objects.get(pk=first["id"])
    assert first["token"] not in (stored.key_hash, stored.prefix)  # only a hash is kept
    assert issue("robot", expires_in_days=10_000).status_code == 400


def test_an_expired_token_is_refused(store):
    user = factories.user("robot", stores=(store,))
    token, key = tokens.issue(user=user, name="old")
    assert as_token(key).get("/api/v1/auth/me/").status_code == 200
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now())
    response = as_token(key).get("/api/v1/auth/me/")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_token"


def test_sign_out_with_a_token_revokes_it(store):
    user = factories.user("keeper3", stores=(store,))
    _token, key = tokens.issue(user=user, name="script")
    _other, other_key = tokens.issue(user=user, name="another")
    assert as_token(key).post("/api/v1/auth/logout/").status_code == 204
    assert as_token(key).get("/api/v1/auth/me/").status_code == 401
    assert as_token(other_key).get("/api/v1/auth/me/").status_code == 200


def test_a_password_change_revokes_every_token(store):
    user = factories.user("clerk", stores=(store,))
    _token, key = tokens.issue(user=user, name="script")
    changed = as_token(key).post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": "a-much-better-pw-77"},
        format="json",
    )
    assert changed.status_code == 204
    assert as_token(key).get("/api/v1/auth/me/").status_code == 401
    assert ApiToken.objects.filter(user=user).count() == 0
    # a new token with the new password works, and is another key
    fresh = issue("clerk", "a-much-better-pw-77").json()["token"]
    assert fresh != key
    assert as_token(fresh).get("/api/v1/auth/me/").status_code == 200


def test_owners_list_and_revoke_their_tokens_and_administrators_everyones(store):
    owner = factories.user("robot", stores=(store,))
    stranger = factories.user("other", stores=(store,))
    boss = factories.user("boss1", roles=("admin",), all_stores=True)
    mine, mine_key = tokens.issue(user=owner, name="printer")
    theirs, theirs_key = tokens.issue(user=stranger, name="scale")

    listed = as_token(mine_key).get("/api/v1/auth/tokens/").json()
    assert [(t["name"], t["prefix"]) for t in listed] == [("printer", mine_key[:8])]
    assert "token" not in listed[0] and "key_hash" not in listed[0]
    # someone else's token: not found for the owner of another
    assert as_token(mine_key).delete(f"/api/v1/auth/tokens/{theirs.pk}/").status_code == 404
    assert as_token(theirs_key).get("/api/v1/auth/me/").status_code == 200

    admin = APIClient()
    admin.force_authenticate(boss)
    everyone = admin.get("/api/v1/auth/tokens/").json()
    assert {t["username"] for t in everyone} == {"robot", "other"}
    assert [t["name"] for t in admin.get(f"/api/v1/auth/tokens/?user={stranger.pk}").json()] == [
        "scale"
    ]
    assert admin.delete(f"/api/v1/auth/tokens/{theirs.pk}/").status_code == 204
    assert as_token(theirs_key).get("/api/v1/auth/me/").status_code == 401

    assert as_token(mine_key).delete(f"/api/v1/auth/tokens/{mine.pk}/").status_code == 204
    assert ApiToken.objects.count() == 0


def test_the_admin_has_no_page_for_drf_plain_text_tokens(client, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("root", password="x-1234-y"))
    assert client.get("/admin/auth/user/").status_code == 200  # positive control
    assert client.get("/admin/authtoken/tokenproxy/").status_code == 404
    assert b"/admin/authtoken/" not in client.get("/admin/").content


def test_an_admin_password_reset_revokes_the_users_tokens(store, client):
    admin_user = User.objects.create_superuser("root", password=PASSWORD)
    user = factories.user("robot", stores=(store,))
    _token, key = tokens.issue(user=user, name="script")
    _mine, my_key = tokens.issue(user=admin_user, name="mine")
    assert as_token(key).get("/api/v1/auth/me/").status_code == 200
    client.force_login(admin_user)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"password1": "another-pass-987", "password2": "another-pass-987"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-pass-987")
    refused = as_token(key).get("/api/v1/auth/me/")
    assert refused.status_code == 401
    assert refused.json()["code"] == "invalid_token"
    assert ApiToken.objects.filter(user=user).count() == 0
    # the administrator's own token is not touched
    assert as_token(my_key).get("/api/v1/auth/me/").status_code == 200


def test_an_admin_disabling_password_sign_in_revokes_the_users_tokens(store, client):
    admin_user = User.objects.create_superuser("root", password=PASSWORD)
    user = factories.user("robot", stores=(store,))
    _token, key = tokens.issue(user=user, name="script")
    client.force_login(admin_user)
    response = client.post(
        f"/admin/auth/user/{user.pk}/password/",
        {"usable_password": "false", "unset-password": "1"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.has_usable_password()
    assert as_token(key).get("/api/v1/auth/me/").status_code == 401
