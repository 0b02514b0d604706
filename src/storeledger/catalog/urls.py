from storeledger.catalog import api
from storeledger.core.api.routers import Router as DefaultRouter

router = DefaultRouter(trailing_slash=True)
router.register("categories", api.CategoryViewSet)
router.register("brands", api.BrandViewSet)
router.register("units", api.UnitViewSet)
router.register("products", api.ProductViewSet)
router.register("skus", api.SkuViewSet)

urlpatterns = router.urls
