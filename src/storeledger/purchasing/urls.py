from storeledger.core.api.routers import Router
from storeledger.purchasing.api.orders import PurchaseOrderViewSet
from storeledger.purchasing.api.receipts import PurchaseReceiptViewSet
from storeledger.purchasing.api.supplier_items import SupplierItemViewSet

router = Router()
router.register("supplier-items", SupplierItemViewSet)
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("purchase-receipts", PurchaseReceiptViewSet, basename="purchase-receipt")

urlpatterns = router.urls
