"""A user sets his own e-mail address (PATCH /api/v1/auth/me/ `email`): validated, in the API's
error shape, and what report subscriptions are mailed to; without one, subscribing says so."""

import pytest
from rest_framework.test import APIClient

from storeledger.testing import factories

pytestmark = pytest.mark.django_db
ME = "/api/v1/auth/me/"


@pytest.fixture
def keeper(store):
    return factories.user("keeper-mail", roles=("store_manager",), stores=(store,))


@pytest.fixture
def session(keeper):
    client = APIClient()
    client.force_authenticate(keeper)
    return client


def test_the_user_sets_and_clears_his_own_email(session, keeper):
    assert session.get(ME).json()["email"] == ""
    response = session.patch(ME, {"email": "  li.lei@Example.COM "}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["email"] == "li.lei@example.com"
    keeper.refresh_from_db()
    assert keeper.email == "li.lei@example.com"
    assert session.patch(ME, {"email": ""}, format="json").json()["email"] == ""
    keeper.refresh_from_db()
    assert keeper.email == ""


def test_a_bad_address_is_refused_in_the_error_shape(session, keeper):
    response = session.patch(ME, {"email": "not an address"}, format="json", HTTP_X_LANGUAGE="en")
    assert response.status_code == 400
    body = response.json()
    assert (body["code"], body["fields"]) == (
        "invalid_email",
        {"email": ["Enter a valid e-mail address."]},
    )
    zh = session.patch(ME, {"email": "a@"}, format="json", HTTP_X_LANGUAGE="zh-hans").json()
    assert zh["fields"] == {"email": ["请输入有效的电子邮箱地址。"]}
    keeper.refresh_from_db()
    assert keeper.email == ""


def test_subscribing_without_an_email_says_to_set_one(session, keeper):
    body = {"report": "stock-status", "frequency": "daily"}
    refused = session.post(
        "/api/v1/report-subscriptions/", body, format="json", HTTP_X_LANGUAGE="en"
    )
    assert refused.status_code == 400
    assert refused.json()["fields"] == {
        "extra_recipients": ["Your account has no e-mail address: add one or name a recipient."]
    }
    session.patch(ME, {"email": "keeper@example.com"}, format="json")
    made = session.post("/api/v1/report-subscriptions/", body, format="json")
    assert made.status_code == 201, made.content
    assert made.json()["recipients"] == ["keeper@example.com"]
