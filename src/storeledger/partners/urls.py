from storeledger.core.api.routers import Router as DefaultRouter
from storeledger.partners import api

router = DefaultRouter(trailing_slash=True)
router.register("suppliers", api.SupplierViewSet)
router.register("customers", api.CustomerViewSet)
router.register("member-levels", api.MemberLevelViewSet)

urlpatterns = router.urls
