from rest_framework.routers import DefaultRouter

from storeledger.core.api.tabular import ImportJobViewSet

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("import-jobs", ImportJobViewSet, basename="import-job")

urlpatterns = router.urls
