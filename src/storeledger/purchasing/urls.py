from storeledger.core.api.routers import Router
from storeledger.purchasing.api.supplier_items import SupplierItemViewSet

router = Router()
router.register("supplier-items", SupplierItemViewSet)

urlpatterns = router.urls
