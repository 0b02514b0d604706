import pytest
from django.contrib.auth.models import User

from storeledger.catalog.services import save_category
from storeledger.org.models import Company
from storeledger.testing import factories

PAGES = [
    "org/company",
    "org/store",
    "org/warehouse",
    "org/location",
    "catalog/category",
    "catalog/brand",
    "catalog/unit",
    "catalog/product",
    "catalog/sku",
    "catalog/barcode",
    "catalog/skuunit",
    "partners/supplier",
    "partners/customer",
    "partners/memberlevel",
    "accounts/userscope",
    "auth/user",
]


@pytest.mark.django_db
@pytest.mark.parametrize("page", PAGES)
def test_admin_changelist_and_search(page, client, warehouse):
    factories.sku(code="COLA", case_factor="12")
    admin = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    assert client.get(f"/admin/{page}/").status_code == 200
    assert client.get(f"/admin/{page}/", {"q": "co"}).status_code == 200
    # the company is a single row (no add once it exists); everything else can be added
    add_status = 403 if page == "org/company" and Company.objects.exists() else 200
    assert client.get(f"/admin/{page}/add/").status_code == add_status


@pytest.mark.django_db
def test_user_admin_has_scope_inline(client, store):
    user = factories.user("clerk", stores=(store,))
    admin = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    page = client.get(f"/admin/auth/user/{user.pk}/change/")
    assert page.status_code == 200
    assert b"scope-0-all_stores" in page.content or b"scope-group" in page.content


@pytest.mark.django_db
def test_category_admin_keeps_path(client):
    admin = User.objects.create_superuser("root", password="pass-1234-word")
    client.force_login(admin)
    food = save_category(user=admin, instance=None, data={"code": "FOOD", "name": "食品"})
    response = client.post(
        "/admin/catalog/category/add/",
        {"code": "DRINK", "name": "饮料", "parent": food.pk, "sort_order": 0},
    )
    assert response.status_code == 302
    from storeledger.catalog.models import Category

    drink = Category.objects.get(code="DRINK")
    assert drink.path == f"/{food.pk}/{drink.pk}/"
