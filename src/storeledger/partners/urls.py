from rest_framework.routers import DefaultRouter

from storeledger.partners import api

router = DefaultRouter(trailing_slash=True)
router.register("suppliers", api.SupplierViewSet)
router.register("customers", api.CustomerViewSet)
router.register("member-levels", api.MemberLevelViewSet)

urlpatterns = router.urls
