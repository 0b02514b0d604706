from django.urls import path

from storeledger.reports import (
    api,
    dashboard_api,
    purchase_api,
    returns_api,
    subscription_api,
    trace_api,
)

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
urlpatterns += [
    path(
        "reports/purchases/", purchase_api.PurchaseAnalysisView.as_view(), name="report-purchases"
    ),
    path(
        "reports/purchases/export/",
        purchase_api.PurchaseAnalysisExportView.as_view(),
        name="report-purchases-export",
    ),
    path(
        "reports/purchase-price-trend/",
        purchase_api.PriceTrendView.as_view(),
        name="report-purchase-price-trend",
    ),
    path(
        "reports/open-purchase-orders/",
        purchase_api.OpenOrdersView.as_view(),
        name="report-open-purchase-orders",
    ),
    path(
        "reports/open-purchase-orders/export/",
        purchase_api.OpenOrdersExportView.as_view(),
        name="report-open-purchase-orders-export",
    ),
    path(
        "reports/supplier-rating/",
        purchase_api.SupplierRatingView.as_view(),
        name="report-supplier-rating",
    ),
    path(
        "reports/supplier-rating/export/",
        purchase_api.SupplierRatingExportView.as_view(),
        name="report-supplier-rating-export",
    ),
]
urlpatterns += [
    path("reports/batch-trace/", trace_api.BatchTraceView.as_view(), name="report-batch-trace"),
    path(
        "reports/batch-trace/export/",
        trace_api.BatchTraceExportView.as_view(),
        name="report-batch-trace-export",
    ),
    path(
        "reports/batch-trace/document/",
        trace_api.DocumentBatchesView.as_view(),
        name="report-document-batches",
    ),
    path(
        "reports/batch-trace/document/export/",
        trace_api.DocumentBatchesExportView.as_view(),
        name="report-document-batches-export",
    ),
    path(
        "reports/batch-trace/batches/",
        trace_api.BatchOptionsView.as_view(),
        name="report-batch-options",
    ),
]
urlpatterns += [
    path("reports/returns/", returns_api.ReturnsView.as_view(), name="report-returns"),
    path(
        "reports/returns/export/",
        returns_api.ReturnsExportView.as_view(),
        name="report-returns-export",
    ),
    path(
        "reports/returns/lines/", returns_api.ReturnLinesView.as_view(), name="report-return-lines"
    ),
]
urlpatterns += [
    path("reports/dashboard/", dashboard_api.DashboardView.as_view(), name="report-dashboard"),
]
urlpatterns += subscription_api.router.urls
