from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

api_v1 = [
    path("", include("storeledger.accounts.urls")),
    path("", include("storeledger.org.urls")),
    path("", include("storeledger.catalog.urls")),
    path("", include("storeledger.partners.urls")),
    path("", include("storeledger.inventory.urls")),
    path("", include("storeledger.printing.urls")),
    path("", include("storeledger.reports.urls")),
]

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", include(api_v1)),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="schema"), name="api-docs"),
    path("", include("storeledger.web.urls")),
]
