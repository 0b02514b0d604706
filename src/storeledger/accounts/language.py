"""The language a request is answered in (API messages, PDFs, the admin).

First match wins:
1. the `X-Language` header: an explicit choice for this request (the web UI sends its current
   language with every request; a script may send it too);
2. the signed-in user's saved language (`Profile.language`, PATCH /api/v1/auth/me/);
3. Accept-Language: the browser's or device's languages (Django's LocaleMiddleware);
4. settings.LANGUAGE_CODE.

Accept-Language comes after the saved language because every browser sends it without the
user choosing anything. Session users are handled by `UserLanguageMiddleware`; users of an
API token are known only once DRF authenticates them, in `TokenAuthentication`."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from rest_framework import authentication

from storeledger.accounts.models import Profile

HEADER = "X-Language"
_META_KEY = "HTTP_X_LANGUAGE"


def supported(code: str | None) -> str | None:
    """The project language for `code` (zh-Hans, zh-CN, en-US, ...), or None."""
    if not code:
        return None
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def explicit_language(request: HttpRequest) -> str | None:
    return supported(request.META.get(_META_KEY))


def saved_language(user) -> str:
    """The user's saved language, or "" (none chosen: follow the browser)."""
    try:
        return user.profile.language
    except Profile.DoesNotExist:
        return ""


def use_language(request: HttpRequest, language: str) -> None:
    translation.activate(language)
    request.LANGUAGE_CODE = language


def use_saved_language(request: HttpRequest, user) -> None:
    """Answer in the user's saved language unless the request chose one explicitly."""
    if explicit_language(request) is None:
        language = saved_language(user)
        if language:
            use_language(request, language)


class UserLanguageMiddleware:
    """After LocaleMiddleware (Accept-Language) and AuthenticationMiddleware (session user)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest):
        explicit = explicit_language(request)
        if explicit:
            use_language(request, explicit)
        elif request.user.is_authenticated:
            use_saved_language(request, request.user)
        response = self.get_response(request)
        patch_vary_headers(response, [HEADER])
        return response


class TokenAuthentication(authentication.TokenAuthentication):
    """`Authorization: Token <key>` with StoreLedger's expiring, named tokens
    (accounts/tokens.py), answering in the token user's saved language."""

    def authenticate_credentials(self, key):
        from rest_framework import exceptions

        from storeledger.accounts import tokens

        token = tokens.check(key)
        if token is None:
            raise exceptions.AuthenticationFailed(
                _("The token is not valid: unknown, revoked or expired."), code="invalid_token"
            )
        return token.user, token

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is not None:
            use_saved_language(request._request, result[0])
        return result
