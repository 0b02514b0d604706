import pytest
from django.contrib.auth.models import User
from rest_framework.test import APIClient

from storeledger.accounts.models import ApiToken
from storeledger.testing import factories

PASSWORD = "pass-1234-word"


@pytest.fixture
def csrf_client():
    return APIClient(enforce_csrf_checks=True)


@pytest.mark.django_db
def test_csrf_login_me_logout_flow(csrf_client, store, warehouse, other_warehouse):
    user = factories.user("clerk", roles=("warehouse_keeper",), stores=(store,))
    user.first_name, user.last_name = "三", "张"
    user.save()

    response = csrf_client.get("/api/v1/auth/csrf/")
    assert response.status_code == 200
    token = response.json()["csrf_token"]
    assert csrf_client.cookies["csrftoken"].value

    response = csrf_client.post(
        "/api/v1/auth/login/",
        {"username": "clerk", "password": PASSWORD},
        format="json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["username"] == "clerk"
    assert body["full_name"] == "三 张"
    assert body["roles"] == ["warehouse_keeper"]
    assert "inventory.post_stockdocument" in body["permissions"]
    assert "catalog.add_sku" not in body["permissions"]
    assert body["scope"] == {
        "all_stores": False,
        "stores": [{"id": store.pk, "code": "0001", "name": "一号店"}],
        "warehouses": [
            {"id": warehouse.pk, "code": "WH01", "name": "一号店仓库", "store": store.pk}
        ],
    }

    token = csrf_client.cookies["csrftoken"].value  # rotated on login
    me = csrf_client.get("/api/v1/auth/me/")
    assert me.status_code == 200
    assert me.json()["id"] == user.pk

    response = csrf_client.post("/api/v1/auth/logout/", HTTP_X_CSRFTOKEN=token)
    assert response.status_code == 204
    assert csrf_client.get("/api/v1/auth/me/").status_code == 401


@pytest.mark.django_db
def test_login_without_csrf_token_is_refused(csrf_client):
    factories.user("clerk")
    response = csrf_client.post(
        "/api/v1/auth/login/", {"username": "clerk", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 403
    assert "_auth_user_id" not in csrf_client.session


@pytest.mark.django_db
def test_wrong_password_is_a_translated_400(api):
    factories.user("clerk")
    response = api.post(
        "/api/v1/auth/login/",
        {"username": "clerk", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="zh-hans",
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_credentials"
    response = api.post(
        "/api/v1/auth/login/",
        {"username": "clerk", "password": "wrong"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.json()["message"] == "The username or password is not correct."
    assert api.get("/api/v1/auth/me/").status_code == 401


@pytest.mark.django_db
def test_login_with_missing_fields_is_400(api):
    response = api.post("/api/v1/auth/login/", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert list(response.json()["fields"]) == ["password"]


@pytest.mark.django_db
def test_admin_me_shows_all_stores(client_for, admin_user, warehouse, other_warehouse):
    body = client_for(admin_user).get("/api/v1/auth/me/").json()
    assert body["scope"]["all_stores"] is True
    assert [w["code"] for w in body["scope"]["warehouses"]] == ["WH01", "WH02"]
    assert [s["code"] for s in body["scope"]["stores"]] == ["0001", "0002"]


def test_me_names_the_company_currency(client_for, keeper):
    """The web UI shows amounts with the company's currency sign; it always showed ¥."""
    from storeledger.org.models import Company

    me = client_for(keeper).get("/api/v1/auth/me/").json()
    assert (me["currency"], me["currency_sign"]) == ("CNY", "¥")
    Company.objects.filter(pk=Company.current().pk).update(currency="USD")
    me = client_for(keeper).get("/api/v1/auth/me/").json()
    assert (me["currency"], me["currency_sign"]) == ("USD", "$")


@pytest.mark.django_db
def test_change_password_validates_and_keeps_session(api):
    user = factories.user("clerk")
    signed_in = api.post(
        "/api/v1/auth/login/", {"username": "clerk", "password": PASSWORD}, format="json"
    )
    assert signed_in.status_code == 200

    wrong_old = api.post(
        "/api/v1/auth/password/",
        {"old_password": "nope", "new_password": "a-much-better-pw-77"},
        format="json",
    )
    assert wrong_old.status_code == 400
    assert list(wrong_old.json()["fields"]) == ["old_password"]

    too_weak = api.post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": "123"},
        format="json",
    )
    assert too_weak.status_code == 400
    assert list(too_weak.json()["fields"]) == ["new_password"]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)

    ok = api.post(
        "/api/v1/auth/password/",
        {"old_password": PASSWORD, "new_password": "a-much-better-pw-77"},
        format="json",
    )
    assert ok.status_code == 204
    user.refresh_from_db()
    assert user.check_password("a-much-better-pw-77")
    assert api.get("/api/v1/auth/me/").status_code == 200  # still signed in


@pytest.mark.django_db
def test_token_for_scripts(api):
    user = factories.user("robot")
    bad = api.post("/api/v1/auth/token/", {"username": "robot", "password": "x"}, format="json")
    assert bad.status_code == 400
    assert ApiToken.objects.count() == 0

    response = api.post(
        "/api/v1/auth/token/", {"username": "robot", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 200
    key = response.json()["token"]
    assert ApiToken.objects.get(user=user).prefix == key[:8]

    script = APIClient()
    script.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert script.get("/api/v1/auth/me/").json()["username"] == "robot"
    # a signed-in user gets another token, named
    other = script.post("/api/v1/auth/token/", {"name": "label printer"}, format="json").json()
    assert other["token"] != key
    assert other["name"] == "label printer"


@pytest.mark.django_db
def test_inactive_user_cannot_login(api):
    factories.user("gone")
    User.objects.filter(username="gone").update(is_active=False)
    response = api.post(
        "/api/v1/auth/login/", {"username": "gone", "password": PASSWORD}, format="json"
    )
    assert response.status_code == 400
