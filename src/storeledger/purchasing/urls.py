from storeledger.core.api.routers import Router
from storeledger.purchasing.api.orders import PurchaseOrderViewSet
from storeledger.purchasing.api.receipts import PurchaseReceiptViewSet
from storeledger.purchasing.api.requests import PurchaseRequestViewSet
from storeledger.purchasing.api.returns import PurchaseReturnViewSet
from storeledger.purchasing.api.supplier_items import SupplierItemViewSet

router = Router()
router.register("supplier-items", SupplierItemViewSet)
router.register("purchase-orders", PurchaseOrderViewSet, basename="purchase-order")
router.register("purchase-receipts", PurchaseReceiptViewSet, basename="purchase-receipt")
router.register("purchase-returns", PurchaseReturnViewSet, basename="purchase-return")
router.register("purchase-requests", PurchaseRequestViewSet, basename="purchase-request")

urlpatterns = router.urls
