"""Account operations a user does for himself, and an administrator's password reset."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _

from storeledger.accounts.models import ApiToken, Profile
from storeledger.core.errors import ValidationFailed
from storeledger.core.services import service


@service
def set_password_by_admin(*, user, new_password: str | None) -> int:
    """An administrator sets (or, with None, disables) another user's password: like a change
    by the user, it revokes every API token the user holds. Returns how many were revoked."""
    if new_password is None:
        user.set_unusable_password()
    else:
        user.set_password(new_password)
    user.save(update_fields=["password"])
    return ApiToken.objects.filter(user=user).delete()[0]


@service
def change_password(*, user, old_password: str, new_password: str) -> None:
    if not user.check_password(old_password):
        raise ValidationFailed(
            code="wrong_password",
            fields={"old_password": [_("The current password is not correct.")]},
        )
    try:
        validate_password(new_password, user)
    except DjangoValidationError as error:
        raise ValidationFailed(fields={"new_password": list(error.messages)}) from error
    user.set_password(new_password)
    user.save(update_fields=["password"])
    # a new password ends every API token issued with the old one
    ApiToken.objects.filter(user=user).delete()


@service
def set_language(*, user, language: str | None) -> Profile:
    """Save the user's language (a code of settings.LANGUAGES); None or "" clears it, so
    the browser's language applies again."""
    language = language or ""
    if language and language not in dict(settings.LANGUAGES):
        raise ValidationFailed(
            code="invalid_language",
            fields={
                "language": [_("%(code)s is not a language of StoreLedger.") % {"code": language}]
            },
        )
    profile, _created = Profile.objects.update_or_create(user=user, defaults={"language": language})
    user.profile = profile
    return profile
