from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

api_v1 = [
    path("", include("storeledger.accounts.urls")),
    path("", include("storeledger.core.urls")),
    path("", include("storeledger.org.urls")),
    path("", include("storeledger.catalog.urls")),
    path("", include("storeledger.partners.urls")),
    path("", include("storeledger.inventory.urls")),
    path("", include("storeledger.purchasing.urls")),
    path("", include("storeledger.finance.urls")),
    path("", include("storeledger.printing.urls")),
    path("", include("storeledger.reports.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    # Swagger UI with its script as a file of its own (no inline script: the CSP allows none)
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("storeledger.web.urls")),
]

# The API's error shape also for errors Django answers itself (unknown URL, oversized body, 500).
handler400 = "storeledger.core.api.errors.bad_request"
handler403 = "storeledger.core.api.errors.permission_denied"
handler404 = "storeledger.core.api.errors.page_not_found"
handler500 = "storeledger.core.api.errors.server_error"
