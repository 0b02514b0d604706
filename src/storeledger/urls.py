from django.contrib import admin
from django.urls import include, path

from storeledger.core.api.urlindex import keyed_include, keyed_path
from storeledger.web.views import ApiDocsView, SchemaView

api_v1 = [
    keyed_include("storeledger.accounts.urls"),
    keyed_include("storeledger.core.urls"),
    keyed_include("storeledger.org.urls"),
    keyed_include("storeledger.catalog.urls"),
    keyed_include("storeledger.partners.urls"),
    keyed_include("storeledger.inventory.urls"),
    keyed_include("storeledger.purchasing.urls"),
    keyed_include("storeledger.finance.urls"),
    keyed_include("storeledger.printing.urls"),
    keyed_include("storeledger.reports.urls"),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    keyed_path("api/v1/", api_v1),
    path("api/schema/", SchemaView.as_view(), name="schema"),
    # Swagger UI with its script as a file of its own (no inline script: the CSP allows none)
    path("api/docs/", ApiDocsView.as_view(url_name="schema"), name="api-docs"),
    path("", include("storeledger.web.urls")),
]

# The API's error shape also for errors Django answers itself (unknown URL, oversized body, 500).
handler400 = "storeledger.core.api.errors.bad_request"
handler403 = "storeledger.core.api.errors.permission_denied"
handler404 = "storeledger.core.api.errors.page_not_found"
handler500 = "storeledger.core.api.errors.server_error"
