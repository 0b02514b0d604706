"""`django.contrib.admin` with StoreLedger's administrators-only site (accounts/admin_site.py);
INSTALLED_APPS lists this instead of django.contrib.admin. Kept apart from admin_site.py,
which imports models (an AppConfig module is imported before the models are ready)."""

from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig


class AdminConfig(DjangoAdminConfig):
    default_site = "storeledger.accounts.admin_site.AdminSite"
