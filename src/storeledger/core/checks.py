"""Refuse to serve with a guessable signing key (security probe S6).

With DEBUG off, SECRET_KEY must be long and random: not the development default, at least 50
characters with at least 5 different ones (Django's own deploy-check criteria). A weak key lets
anyone forge session cookies, password-reset links and signed data. `manage.py runserver` and
the WSGI application (gunicorn) stop at start with this message, and `manage.py check --deploy`
reports it as an error. `make run` writes a random key into var/secret_key once, and
settings read it from there when SECRET_KEY is not set."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured

DEV_SECRET_KEY = "dev-insecure-change-me-in-production"
MIN_LENGTH = 50
MIN_UNIQUE = 5

MESSAGE = (
    "StoreLedger will not start with DEBUG off and a default or short SECRET_KEY: set the "
    "SECRET_KEY environment variable to a long random value (at least 50 characters), e.g. "
    "from `python3 -c 'import secrets; print(secrets.token_urlsafe(50))'`. "
    "(`make run` writes one into var/secret_key by itself.)"
)


def weak_secret_key(key: str) -> bool:
    return (
        not key
        or key == DEV_SECRET_KEY
        or key.startswith(("django-insecure", "dev-insecure"))
        or len(key) < MIN_LENGTH
        or len(set(key)) < MIN_UNIQUE
    )


def insecure_start() -> str | None:
    """The reason not to serve, or None."""
    if not settings.DEBUG and weak_secret_key(settings.SECRET_KEY):
        return MESSAGE
    return None


@register("security", deploy=True)
def check_secret_key(app_configs=None, **kwargs) -> list[Error]:
    reason = insecure_start()
    return [Error(reason, id="storeledger.E001")] if reason else []


def refuse_insecure_start() -> None:
    """Called by the WSGI application and `manage.py runserver` before they serve anything."""
    reason = insecure_start()
    if reason:
        raise ImproperlyConfigured(reason)
