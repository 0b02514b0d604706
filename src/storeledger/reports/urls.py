from django.urls import path

from storeledger.reports import api

urlpatterns = [
    path("reports/stock-summary/", api.StockSummaryView.as_view(), name="report-stock-summary"),
    path(
        "reports/stock-summary/export/",
        api.StockSummaryExportView.as_view(),
        name="report-stock-summary-export",
    ),
]
