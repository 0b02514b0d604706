from rest_framework.routers import DefaultRouter

from storeledger.catalog import api

router = DefaultRouter(trailing_slash=True)
router.register("categories", api.CategoryViewSet)
router.register("brands", api.BrandViewSet)
router.register("units", api.UnitViewSet)
router.register("products", api.ProductViewSet)
router.register("skus", api.SkuViewSet)

urlpatterns = router.urls
