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
urlpatterns += [
    path("reports/stock-status/", api.StockStatusView.as_view(), name="report-stock-status"),
    path(
        "reports/stock-status/export/",
        api.StockStatusExportView.as_view(),
        name="report-stock-status-export",
    ),
    path("reports/stock-status/ageing/", api.StockAgeingView.as_view(), name="report-stock-ageing"),
    path(
        "reports/stock-status/ageing/export/",
        api.StockAgeingExportView.as_view(),
        name="report-stock-ageing-export",
    ),
]
urlpatterns += [
    path("reports/stock-status/expiring/", api.ExpiringView.as_view(), name="report-expiring"),
    path(
        "reports/stock-status/expiring/export/",
        api.ExpiringExportView.as_view(),
        name="report-expiring-export",
    ),
]
urlpatterns += [
    path("reports/turnover/", api.TurnoverView.as_view(), name="report-turnover"),
    path(
        "reports/turnover/export/", api.TurnoverExportView.as_view(), name="report-turnover-export"
    ),
]
