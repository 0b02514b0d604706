from django.urls import path

from storeledger.inventory.api import counts, dashboard, documents, ledger, transfers

urlpatterns = [
    *documents.router.urls,
    *transfers.router.urls,
    *counts.router.urls,
    *ledger.router.urls,
    path("dashboard/", dashboard.DashboardView.as_view(), name="dashboard"),
]
