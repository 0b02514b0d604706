"""Contract of every master-data list: works for an admin, 403 without the view permission, 401 without login,
and a query count that does not grow with the number of rows (no N+1)."""

from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from storeledger.catalog.models import Barcode, Brand, Category, SkuUnit, Unit
from storeledger.catalog.services import save_category
from storeledger.org.models import Location
from storeledger.partners.models import Customer, MemberLevel, Supplier
from storeledger.testing import factories


def add_rows(kind: str, n: int, seed: int) -> None:
    for i in range(n):
        tag = f"{kind[:3].upper()}{seed}{i:02d}"
        if kind == "stores":
            factories.store(tag[-4:], name=tag)
        elif kind == "warehouses":
            factories.warehouse(factories.store(f"{seed}{i:03d}"), code=tag)
        elif kind == "locations":
            Location.objects.create(warehouse=factories.warehouse(code=tag), code="A")
        elif kind == "categories":
            parent = Category.objects.filter(code="ROOT").first() or save_category(
                user=None, instance=None, data={"code": "ROOT", "name": "根"}
            )
            save_category(
                user=None, instance=None, data={"code": tag, "name": tag, "parent": parent}
            )
        elif kind == "brands":
            Brand.objects.create(code=tag, name=tag)
        elif kind == "units":
            Unit.objects.create(code=tag, name=tag)
        elif kind in ("skus", "products"):
            sku = factories.sku(code=tag, name=f"商品{tag}", case_factor="12")
            sku.product.category = Category.objects.filter(code="ROOT").first() or save_category(
                user=None, instance=None, data={"code": "ROOT", "name": "根"}
            )
            sku.product.brand = Brand.objects.get_or_create(code="B", name="B")[0]
            sku.product.save()
            Barcode.objects.create(
                sku=sku, code=f"X{tag}", unit=SkuUnit.objects.get(sku=sku).unit, kind="other"
            )
        elif kind == "suppliers":
            Supplier.objects.create(code=tag, name=tag)
        elif kind == "customers":
            level = MemberLevel.objects.get_or_create(code="L", name="L")[0]
            Customer.objects.create(code=tag, name=tag, member_level=level, credit_limit=Decimal(0))
        elif kind == "member-levels":
            MemberLevel.objects.create(code=tag[-16:], name=tag)


RESOURCES = [
    "stores",
    "warehouses",
    "locations",
    "categories",
    "brands",
    "units",
    "products",
    "skus",
    "suppliers",
    "customers",
    "member-levels",
]


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_list_contract(resource, client_for, admin_user):
    url = f"/api/v1/{resource}/"
    client = client_for(admin_user)
    add_rows(resource, 2, 1)
    warm = client.get(url)
    assert warm.status_code == 200, warm.json()
    before = warm.json()["count"]
    assert before >= 2
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    add_rows(resource, 6, 2)
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    assert response.json()["count"] == before + 6
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]

    assert client.get(url, {"ordering": "-id" if resource != "units" else "-code"}).status_code in (
        200,
    )
    assert client.get(url, {"search": "x"}).status_code == 200
    assert client.get(f"{url}?page=2&page_size=5").json()["count"] == before + 6


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_list_needs_view_permission(resource, client_for, store):
    nobody = factories.user("nobody", roles=(), stores=(store,))
    response = client_for(nobody).get(f"/api/v1/{resource}/")
    assert response.status_code == 403
    assert response.json()["code"] == "permission_denied"


@pytest.mark.django_db
@pytest.mark.parametrize("resource", RESOURCES)
def test_list_needs_authentication(resource, api):
    assert api.get(f"/api/v1/{resource}/").status_code == 401
