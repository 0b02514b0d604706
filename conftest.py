"""Root fixtures shared by every app's tests."""

import pytest
from django.utils import translation
from rest_framework.test import APIClient

from storeledger.testing import factories


def pytest_configure(config):
    """Passwords hash with MD5 in tests, as Django's testing docs advise: the production
    PBKDF2 (a million rounds, 0.24 s on this machine) ran for every user a test made and for
    every sign-in, a third of the suites' time."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def english_messages(settings):
    """Tests assert the English source messages; the zh-Hans ones are tested on their own
    (core/tests/test_i18n.py) by asking for them with Accept-Language."""
    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: throttle counters (logins, exports and PDFs) are
    keyed on user ids, which the rolled-back test transactions hand out again."""
    from django.core.cache import cache

    cache.clear()
    yield


@pytest.fixture(autouse=True)
def _fresh_access():
    """Each test starts with no kept permissions and scopes (accounts.access): the rolled-back
    test transactions hand out user ids and access versions again."""
    from django.db import connection

    from storeledger.accounts import access
    from storeledger.core import approvals

    access.clear()
    access.reset_transaction_state(connection)
    approvals.forget_kept_rules()
    yield


@pytest.fixture
def store(db):
    return factories.store("0001", name="一号店")


@pytest.fixture
def warehouse(store):
    return factories.warehouse(store, code="WH01", name="一号店仓库")


@pytest.fixture
def other_store(db):
    return factories.store("0002", name="二号店")


@pytest.fixture
def other_warehouse(other_store):
    return factories.warehouse(other_store, code="WH02", name="二号店仓库")


@pytest.fixture
def sku(db):
    return factories.sku(code="SKU-COLA", name="可口可乐 330ml", case_factor="12")


@pytest.fixture
def keeper(store):
    return factories.user("keeper", roles=("warehouse_keeper",), stores=(store,))


@pytest.fixture
def manager(store):
    return factories.user("manager", roles=("store_manager",), stores=(store,))


@pytest.fixture
def admin_user(db):
    return factories.user("boss", roles=("admin",), all_stores=True)


@pytest.fixture
def api():
    """An API client; call api.force_authenticate(user) or use `client_for`."""
    return APIClient()


@pytest.fixture
def client_for():
    def make(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return make
