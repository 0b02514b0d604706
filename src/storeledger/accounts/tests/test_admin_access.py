"""The Django admin is for administrators only, shows store data within the user's scope,
and changes documents only through actions that call the services (security probe S1)."""

from decimal import Decimal

import pytest
from django.contrib import admin
from django.contrib.auth.models import User
from django.urls import reverse

from storeledger.accounts.roles import ROLE_NAMES
from storeledger.inventory.models import StockDocument, StockDocumentLine, StockMove
from storeledger.inventory.services.documents import (
    StockLineInput,
    approve_stock_document,
    create_stock_document,
    submit_stock_document,
)
from storeledger.org.models import Location
from storeledger.testing import factories

pytestmark = pytest.mark.django_db

# Apps whose models the `admin` role may view (org, catalog, partners, inventory, and the
# sign-in lockouts of axes); the auth, scope and other models are for superusers.
ADMIN_ROLE_APPS = {"org", "catalog", "partners", "inventory", "axes", "purchasing", "finance"}


def admin_pages() -> list[str]:
    pages = ["admin:index"]
    for model in admin.site._registry:
        pages.append(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
    return sorted(pages)


def expected(role: str, page: str) -> int:
    if role == "superuser":
        return 200
    if role != "admin":
        return 302  # to the admin's login page
    if page == "admin:index":
        return 200
    app_label = page.split(":", 1)[1].split("_", 1)[0]
    return 200 if app_label in ADMIN_ROLE_APPS else 403


ROLES = ["superuser", *ROLE_NAMES]


@pytest.fixture
def staff_of_every_role(store):
    """Every role, each user flagged `is_staff` as the old demo did: the role decides."""
    users = {}
    for role in ROLES:
        user = factories.user(
            f"u_{role}",
            roles=() if role == "superuser" else (role,),
            stores=(store,),
        )
        user.is_staff = True
        user.is_superuser = role == "superuser"
        user.save()
        users[role] = user
    return users


def test_every_admin_page_allowed_or_refused_by_role(client, staff_of_every_role):
    pages = admin_pages()
    assert len(pages) > 20
    outcome, wanted = {}, {}
    for role, user in staff_of_every_role.items():
        client.force_login(user)
        for page in pages:
            response = client.get(reverse(page))
            outcome[(role, page)] = response.status_code
            wanted[(role, page)] = expected(role, page)
            if response.status_code == 302:
                assert response.url.startswith(reverse("admin:login")), (role, page)
    assert outcome == wanted


def test_a_keeper_cannot_sign_in_to_the_admin(client, store):
    keeper = factories.user("keeper1", roles=("warehouse_keeper",), stores=(store,))
    keeper.is_staff = True
    keeper.save()
    response = client.post(
        reverse("admin:login"), {"username": "keeper1", "password": "pass-1234-word"}
    )
    assert response.status_code == 200
    assert b"Only administrators may use this site" in response.content
    assert "_auth_user_id" not in client.session
    # positive control: an administrator signs in
    factories.user("boss1", roles=("admin",), all_stores=True)
    response = client.post(
        reverse("admin:login"), {"username": "boss1", "password": "pass-1234-word"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"]


@pytest.fixture
def approved_elsewhere(other_warehouse, sku):
    """An approved stock-in of store 0002: 2 units at 35.00."""
    boss = factories.user("hq", roles=("admin",), all_stores=True)
    document = create_stock_document(
        user=boss,
        kind="stock_in",
        warehouse_id=other_warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(2), unit_cost=Decimal("35.00"))],
    )
    submit_stock_document(user=boss, document_id=document.id)
    approve_stock_document(user=boss, document_id=document.id)
    return document


def _tamper(client, document, warehouse):
    """The probe's form round-trip: 500 units at 0.01 in the attacker's own warehouse."""
    line = document.lines.get()
    return client.post(
        reverse("admin:inventory_stockdocument_change", args=[document.id]),
        {
            "kind": document.kind,
            "warehouse": warehouse.id,
            "store": warehouse.store_id,
            "document_date": document.document_date.isoformat(),
            "lines-TOTAL_FORMS": "1",
            "lines-INITIAL_FORMS": "1",
            "lines-MIN_NUM_FORMS": "0",
            "lines-MAX_NUM_FORMS": "1000",
            "lines-0-id": line.id,
            "lines-0-document": document.id,
            "lines-0-sku": line.sku_id,
            "lines-0-unit": line.unit_id,
            "lines-0-quantity": "500",
            "lines-0-factor": "1",
            "lines-0-base_quantity": "500",
            "lines-0-unit_cost": "0.01",
            "_save": "Save",
        },
    )


def test_the_probes_rewrite_of_an_approved_document_is_refused(
    client, approved_elsewhere, warehouse
):
    keeper = factories.user("keeper1", roles=("warehouse_keeper",), stores=(warehouse.store,))
    keeper.is_staff = True
    keeper.save()
    client.force_login(keeper)
    response = _tamper(client, approved_elsewhere, warehouse)
    assert response.status_code == 302
    assert response.url.startswith(reverse("admin:login"))
    # not even a superuser edits a document in the admin: only the actions change it
    root = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(root)
    assert _tamper(client, approved_elsewhere, warehouse).status_code == 403
    line = StockDocumentLine.objects.get(document=approved_elsewhere)
    assert (line.quantity, line.base_quantity, line.unit_cost) == (
        Decimal(2),
        Decimal(2),
        Decimal("35.00"),
    )
    document = StockDocument.objects.get(pk=approved_elsewhere.pk)
    assert (document.warehouse_id, document.status) == (approved_elsewhere.warehouse_id, "approved")
    page = client.get(reverse("admin:inventory_stockdocument_change", args=[document.id]))
    assert page.status_code == 200
    assert b'name="lines-0-quantity"' not in page.content
    assert b'name="notes"' not in page.content


def test_a_scoped_administrator_sees_only_his_stores(
    client, approved_elsewhere, warehouse, other_warehouse, sku
):
    own = create_stock_document(
        user=factories.user("hq2", roles=("admin",), all_stores=True),
        kind="stock_in",
        warehouse_id=warehouse.id,
        lines=[StockLineInput(sku_id=sku.id, quantity=Decimal(1))],
    )
    Location.objects.create(warehouse=other_warehouse, code="B-01", name="Other bin")
    store_admin = factories.user("admin1", roles=("admin",), stores=(warehouse.store,))
    client.force_login(store_admin)

    listing = client.get(reverse("admin:inventory_stockdocument_changelist"))
    assert listing.status_code == 200
    assert own.number.encode() in listing.content
    assert approved_elsewhere.number.encode() not in listing.content
    other = client.get(
        reverse("admin:inventory_stockdocument_change", args=[approved_elsewhere.id])
    )
    assert other.status_code == 302  # "does not exist" for him
    assert client.get(reverse("admin:org_location_changelist")).content.count(b"B-01") == 0
    warehouses = client.get(reverse("admin:org_warehouse_changelist")).content
    assert warehouse.code.encode() in warehouses
    assert other_warehouse.code.encode() not in warehouses


def test_admin_actions_post_through_the_service(client, approved_elsewhere):
    root = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(root)
    changelist = reverse("admin:inventory_stockdocument_changelist")
    response = client.post(
        changelist,
        {"action": "post", "_selected_action": [approved_elsewhere.id]},
        follow=True,
    )
    assert response.status_code == 200
    assert StockDocument.objects.get(pk=approved_elsewhere.pk).status == "posted"
    move = StockMove.objects.get()
    assert (move.quantity, move.unit_cost) == (Decimal(2), Decimal("35.00"))
    # the service refuses a second post: a message, no second move
    response = client.post(
        changelist,
        {"action": "post", "_selected_action": [approved_elsewhere.id]},
        follow=True,
    )
    assert approved_elsewhere.number in response.content.decode()
    assert StockMove.objects.count() == 1
