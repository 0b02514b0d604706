"""Django settings for StoreLedger. Every value comes from an environment variable (see README)."""

from __future__ import annotations

import datetime
import os
from pathlib import Path

from django.utils.translation import gettext_lazy as _

from storeledger.env import database_from_url, env_bool, env_int, env_list, env_str

PACKAGE_DIR = Path(__file__).resolve().parent
BASE_DIR = PACKAGE_DIR.parent.parent  # the repository root (src/storeledger/..)
VAR_DIR = Path(env_str("STORELEDGER_VAR_DIR", str(BASE_DIR / "var")))


def _secret_file_key(path: Path) -> str:
    """The key `make run` generated into var/secret_key (never committed), or ""."""
    try:
        return path.read_text(encoding="utf-8").strip()
    except OSError:
        return ""


# With DEBUG off, a default or short key refuses to start (storeledger/core/checks.py).
SECRET_KEY = (
    env_str("SECRET_KEY", "")
    or _secret_file_key(VAR_DIR / "secret_key")
    or "dev-insecure-change-me-in-production"
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "testserver"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django.contrib.admin with the administrators-only site (accounts/admin_site.py)
    "storeledger.accounts.admin_apps.AdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",  # the Swagger UI's files, served from here (no CDN)
    "axes",
    "storeledger.core",
    "storeledger.accounts",
    "storeledger.org",
    "storeledger.catalog",
    "storeledger.partners",
    "storeledger.inventory",
    "storeledger.purchasing",
    "storeledger.finance",
    "storeledger.printing",
    "storeledger.reports",
    "storeledger.demo",
    "storeledger.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "storeledger.core.security.ContentSecurityPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "storeledger.accounts.access.AccessMiddleware",
    "storeledger.accounts.language.UserLanguageMiddleware",
    "storeledger.core.middleware.MessageMiddleware",  # not for /api/ (issue 9)
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    # last: turns a sign-in that django-axes locked out into the lockout answer
    "axes.middleware.AxesMiddleware",
]

AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",  # refuses a locked-out account or address first
    "django.contrib.auth.backends.ModelBackend",
]

ROOT_URLCONF = "storeledger.urls"
WSGI_APPLICATION = "storeledger.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]

DATABASES = {
    "default": database_from_url(
        env_str("DATABASE_URL", "sqlite:///var/storeledger.sqlite3"), BASE_DIR
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env_str("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Celery: Redis in production; eager (in-process) execution when no broker is configured.
CELERY_BROKER_URL = env_str("CELERY_BROKER_URL", REDIS_URL or "memory://")
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", CELERY_BROKER_URL == "memory://")
CELERY_TASK_EAGER_PROPAGATES = True
# `celery -A storeledger beat`: the reports' month-end stock snapshots, daily (a no-op until a
# month is over; see reports/snapshots.py).
CELERY_BEAT_SCHEDULE = {
    "build-stock-snapshots": {
        "task": "storeledger.reports.build_stock_snapshots",
        "schedule": 24 * 60 * 60,
    },
    # report subscriptions (reports/subscriptions.py): each due slot mailed once
    "send-report-subscriptions": {
        "task": "storeledger.reports.send_report_subscriptions",
        "schedule": env_int("REPORT_SUBSCRIPTION_INTERVAL", 300),
    },
}

# E-mail (report subscriptions): SMTP when EMAIL_HOST is set, else printed to the console.
EMAIL_HOST = env_str("EMAIL_HOST", "")
EMAIL_BACKEND = env_str(
    "EMAIL_BACKEND",
    "django.core.mail.backends.smtp.EmailBackend"
    if EMAIL_HOST
    else "django.core.mail.backends.console.EmailBackend",
)
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
EMAIL_USE_SSL = env_bool("EMAIL_USE_SSL", False)
EMAIL_TIMEOUT = env_int("EMAIL_TIMEOUT", 30)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "StoreLedger <storeledger@localhost>")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = env_str("LANGUAGE_CODE", "zh-hans")
LANGUAGES = [("zh-hans", _("Simplified Chinese")), ("en", _("English"))]
LOCALE_PATHS = [PACKAGE_DIR / "locale"]
TIME_ZONE = env_str("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
# The TrueType CJK font the PDFs embed (empty: the first of printing.pdf.CJK_FONT_CANDIDATES
# installed, e.g. by `make fonts`).
PDF_CJK_FONT = env_str("PDF_CJK_FONT", "")

# Where frontend/build.sh writes the bundle (FRONTEND_DIST lets parallel builds use their own).
FRONTEND_DIST = Path(env_str("FRONTEND_DIST", str(BASE_DIR / "frontend" / "dist")))
STATICFILES_DIRS = [FRONTEND_DIST] if FRONTEND_DIST.exists() else []
# The web UI's bundle (frontend/build.sh): file names carry a content hash, so WhiteNoise may
# let browsers cache them for ever; index.html is served by storeledger.web, never cached.
WHITENOISE_IMMUTABLE_FILE_TEST = r"/assets/[^/]+-[A-Za-z0-9_-]{8,}\.(?:js|css)$"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}
MEDIA_ROOT = VAR_DIR / "media"

# ---------------------------------------------------------------- sign-in protection
# How many reverse proxies in front of the app append to X-Forwarded-For (nginx, a load
# balancer). 0: the client address is REMOTE_ADDR and X-Forwarded-For is ignored, so a client
# cannot choose its own throttle or lockout key. See accounts/lockout.py.
TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 0)
LOGIN_FAILURE_LIMIT = env_int("LOGIN_FAILURE_LIMIT", 10)
LOGIN_LOCKOUT_MINUTES = env_int("LOGIN_LOCKOUT_MINUTES", 15)
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_FAILURE_LIMIT = LOGIN_FAILURE_LIMIT
AXES_COOLOFF_TIME = datetime.timedelta(minutes=LOGIN_LOCKOUT_MINUTES)
AXES_LOCKOUT_PARAMETERS = ["username", "ip_address"]  # per account, and per address
AXES_CLIENT_IP_CALLABLE = "storeledger.accounts.lockout.client_ip"
AXES_LOCKOUT_CALLABLE = "storeledger.accounts.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_ENABLE_ACCESS_FAILURE_LOG = True  # each failure in the database (admin: Axes)
AXES_SENSITIVE_PARAMETERS = ["password", "old_password", "new_password"]
AXES_VERBOSE = False  # no start-up banner; failures and lockouts are logged (logger "axes")

# API tokens (accounts/tokens.py): lifetime in days when none is asked for, and the longest.
API_TOKEN_DAYS = env_int("API_TOKEN_DAYS", 90)
API_TOKEN_MAX_DAYS = env_int("API_TOKEN_MAX_DAYS", 365)

# ---------------------------------------------------------------- HTTPS and browser policy
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto: SECURE_PROXY_SSL_HEADER=true.
SECURE_PROXY_SSL_HEADER = (
    ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SECURE_PROXY_SSL_HEADER", False) else None
)
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 0)  # e.g. 31536000 once HTTPS works
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
# Only this origin's scripts, styles, images, fonts and connections (storeledger/core/security.py);
# inline styles for Ant Design's CSS-in-JS. CONTENT_SECURITY_POLICY= (empty) turns it off.
DEFAULT_CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "media-src 'self' blob:",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
CONTENT_SECURITY_POLICY = os.environ.get("CONTENT_SECURITY_POLICY", DEFAULT_CSP)
# Exports, PDFs and labels per user and minute (empty: unlimited).
EXPORT_THROTTLE_RATE = env_str("EXPORT_THROTTLE_RATE", "30/min")

SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE", False)
CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE", False)
SECURE_CONTENT_TYPE_NOSNIFF = True

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # Token first: an anonymous request then gets 401 with WWW-Authenticate, not 403.
        "storeledger.accounts.language.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["storeledger.accounts.permissions.RolePermission"],
    "DEFAULT_PAGINATION_CLASS": "storeledger.core.api.pagination.PageNumberPagination",
    "PAGE_SIZE": 50,
    "DEFAULT_FILTER_BACKENDS": [
        "storeledger.core.api.filters.FilterBackend",  # django-filter, numbers within 64 bits
        "rest_framework.filters.OrderingFilter",
    ],
    "DEFAULT_PARSER_CLASSES": [
        "storeledger.core.api.parsers.JSONParser",  # refuses int64 overflow and deep nesting
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_CONTENT_NEGOTIATION_CLASS": "storeledger.core.api.negotiation.ContentNegotiation",
    "EXCEPTION_HANDLER": "storeledger.core.api.errors.exception_handler",
    "COERCE_DECIMAL_TO_STRING": True,
    "DATETIME_FORMAT": "iso-8601",
    "DEFAULT_THROTTLE_CLASSES": ["storeledger.core.security.HeavyRequestThrottle"],
    "DEFAULT_THROTTLE_RATES": {"anon": "60/min"},
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,  # throttles key on the same client address
}

SPECTACULAR_SETTINGS = {
    "TITLE": "StoreLedger API",
    "DESCRIPTION": "Purchase-sales-inventory and stock-in/stock-out for stores and store chains.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # the schema and the docs are for signed-in users; the Swagger UI comes from the package
    "SERVE_PERMISSIONS": ["rest_framework.permissions.IsAuthenticated"],
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    # drf-spectacular's enum naming, then every document type's status its own enum
    "POSTPROCESSING_HOOKS": ["storeledger.core.api.schema.status_enum_per_document_type"],
    "ENUM_NAME_OVERRIDES": {
        "SubscribableReportEnum": "storeledger.reports.subscribable.REPORT_KEYS",
        "StockDocumentKindEnum": "storeledger.inventory.models.StockDocumentKind",
        "LabelSizeEnum": "storeledger.printing.api.LABEL_SIZES",
        "LabelDocumentTypeEnum": "storeledger.printing.api.LABEL_DOCUMENT_TYPES",
        # One name per choice set (drf-spectacular names enums by their choices): purchase
        # returns and supplier invoices have the same set as stock documents. Every document
        # type's `status` still gets its own enum, <Model>StatusEnum, from the hook above.
        "StockDocumentStatusEnum": "storeledger.inventory.models.StockDocumentStatus",
        "TransferStatusEnum": "storeledger.inventory.models.TransferStatus",
        "StockCountStatusEnum": "storeledger.inventory.models.StockCountStatus",
        "PurchaseOrderStatusEnum": "storeledger.purchasing.models.PurchaseOrderStatus",
        "PurchaseReceiptStatusEnum": "storeledger.purchasing.models.PurchaseReceiptStatus",
        "PurchaseRequestStatusEnum": "storeledger.purchasing.models.PurchaseRequestStatus",
        "TaxRateEnum": "storeledger.partners.models.TAX_RATE_CHOICES",
        "ApprovalStatusEnum": "storeledger.core.models.ApprovalStepStatus",
        "ApprovalScopeEnum": "storeledger.core.models.ApprovalScope",
        "SupplierPaymentStatusEnum": "storeledger.finance.models.PaymentStatus",
        "PaymentMethodEnum": "storeledger.partners.models.PaymentMethod",
        "ChargeKindEnum": "storeledger.purchasing.models.ChargeKind",
    },
}

# How many times a service retries after a serialization failure or deadlock (SQLSTATE 40001/40P01).
SERVICE_RETRY_ATTEMPTS = env_int("SERVICE_RETRY_ATTEMPTS", 5)

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "WARNING")},
    # every failed sign-in and every lockout (django-axes logs them at INFO and WARNING)
    "loggers": {"axes": {"level": env_str("LOGIN_LOG_LEVEL", "INFO")}},
}
