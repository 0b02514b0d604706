"""The user's saved language: GET/PATCH /api/v1/auth/me/, and which language API messages
use (X-Language header > saved language > Accept-Language > LANGUAGE_CODE)."""

import pytest
from rest_framework.test import APIClient

from storeledger.accounts import tokens
from storeledger.accounts.models import Profile
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

WRONG_PASSWORD = {"old_password": "wrong", "new_password": "another-pass-4321"}
EN = "The current password is not correct."
ZH = "当前密码不正确。"


def password_message(client, **headers) -> str:
    """A translated message any signed-in user can provoke: a wrong current password."""
    response = client.post("/api/v1/auth/password/", WRONG_PASSWORD, format="json", **headers)
    assert response.status_code == 400
    return response.json()["fields"]["old_password"][0]


@pytest.fixture
def clerk():
    return factories.user("clerk")


@pytest.fixture
def session(clerk):
    client = APIClient()
    client.force_login(clerk)
    return client


def test_the_language_is_saved_on_the_user(session, clerk):
    assert session.get("/api/v1/auth/me/").json()["language"] is None
    response = session.patch("/api/v1/auth/me/", {"language": "en"}, format="json")
    assert response.status_code == 200
    assert response.json()["language"] == "en"
    assert Profile.objects.get(user=clerk).language == "en"
    assert session.get("/api/v1/auth/me/").json()["language"] == "en"
    # null clears the choice: the browser's language applies again
    response = session.patch("/api/v1/auth/me/", {"language": None}, format="json")
    assert response.json()["language"] is None
    assert Profile.objects.get(user=clerk).language == ""


def test_only_a_language_of_the_project_can_be_saved(session, clerk):
    response = session.patch("/api/v1/auth/me/", {"language": "fr"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["language"]
    assert not Profile.objects.filter(user=clerk).exists()
    # positive control: a supported code is accepted
    assert (
        session.patch("/api/v1/auth/me/", {"language": "zh-hans"}, format="json").json()["language"]
        == "zh-hans"
    )


def test_patching_me_needs_a_signed_in_user():
    response = APIClient().patch("/api/v1/auth/me/", {"language": "en"}, format="json")
    assert response.status_code == 401
    assert not Profile.objects.exists()


def test_login_answers_with_the_saved_language(clerk):
    Profile.objects.create(user=clerk, language="en")
    client = APIClient()
    body = {"username": "clerk", "password": "pass-1234-word"}
    assert client.post("/api/v1/auth/login/", body, format="json").json()["language"] == "en"


def test_session_user_messages_use_the_saved_language_over_accept_language(session, clerk):
    assert password_message(session, HTTP_ACCEPT_LANGUAGE="zh-hans") == ZH  # none saved yet
    Profile.objects.create(user=clerk, language="en")
    response = session.post(
        "/api/v1/auth/password/", WRONG_PASSWORD, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert response.json()["fields"]["old_password"] == [EN]
    assert response["Content-Language"] == "en"
    assert "X-Language" in response["Vary"]


def test_an_explicit_x_language_header_wins_over_the_saved_language(session, clerk):
    Profile.objects.create(user=clerk, language="en")
    assert password_message(session, HTTP_X_LANGUAGE="zh-Hans") == ZH
    assert password_message(session, HTTP_X_LANGUAGE="zh-CN") == ZH
    assert password_message(session, HTTP_X_LANGUAGE="en-US", HTTP_ACCEPT_LANGUAGE="zh") == EN
    # an unsupported value is no choice: the saved language applies
    assert password_message(session, HTTP_X_LANGUAGE="fr") == EN


def test_token_user_messages_use_the_saved_language(clerk):
    Profile.objects.create(user=clerk, language="zh-hans")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {tokens.issue(user=clerk, name='t')[1]}")
    assert password_message(client, HTTP_ACCEPT_LANGUAGE="en") == ZH
    assert password_message(client, HTTP_ACCEPT_LANGUAGE="en", HTTP_X_LANGUAGE="en") == EN


def test_anonymous_requests_follow_x_language_then_accept_language(clerk):
    client = APIClient()
    data = {"username": "clerk", "password": "wrong"}

    def message(**headers):
        return client.post("/api/v1/auth/login/", data, format="json", **headers).json()["message"]

    assert message(HTTP_ACCEPT_LANGUAGE="zh-hans") == "用户名或密码不正确。"
    assert message(HTTP_ACCEPT_LANGUAGE="zh-hans", HTTP_X_LANGUAGE="en") == (
        "The username or password is not correct."
    )
