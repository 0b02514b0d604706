from django.urls import path

from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.org import api

router = DefaultRouter(trailing_slash=True)
router.register("stores", api.StoreViewSet)
router.register("warehouses", api.WarehouseViewSet)
router.register("locations", api.LocationViewSet)

urlpatterns = [
    path("company/", api.CompanyView.as_view(), name="company"),
    *router.urls,
]
