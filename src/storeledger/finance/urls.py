from django.urls import path

from storeledger.core.api.routers import Router
from storeledger.finance.api import account
from storeledger.finance.api.invoices import SupplierInvoiceViewSet
from storeledger.finance.api.payments import SupplierPaymentViewSet

router = Router()
router.register("supplier-invoices", SupplierInvoiceViewSet, basename="supplier-invoice")
router.register("supplier-payments", SupplierPaymentViewSet, basename="supplier-payment")

urlpatterns = [
    path("supplier-balances/", account.SupplierBalancesView.as_view(), name="supplier-balances"),
    path("supplier-statement/", account.SupplierStatementView.as_view(), name="supplier-statement"),
    path(
        "supplier-statement/export/",
        account.SupplierStatementExportView.as_view(),
        name="supplier-statement-export",
    ),
    path("payables-ageing/", account.PayablesAgeingView.as_view(), name="payables-ageing"),
    path(
        "payables-ageing/export/",
        account.PayablesAgeingExportView.as_view(),
        name="payables-ageing-export",
    ),
    path(
        "supplier-open-items/",
        account.SupplierOpenItemsView.as_view(),
        name="supplier-open-items",
    ),
    *router.urls,
]
