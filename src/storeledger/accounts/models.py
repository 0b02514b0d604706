from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class UserScope(models.Model):
    """Which stores and warehouses a user may see and change (per-store data scope)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope"
    )
    all_stores = models.BooleanField(
        _("all stores and warehouses"), default=False, help_text=_("Head-office users.")
    )
    stores = models.ManyToManyField(
        "org.Store",
        blank=True,
        verbose_name=_("stores"),
        help_text=_("The user sees these stores and all their warehouses."),
    )
    warehouses = models.ManyToManyField(
        "org.Warehouse",
        blank=True,
        verbose_name=_("extra warehouses"),
        help_text=_("Warehouses beyond those of the stores above, e.g. a central warehouse."),
    )

    class Meta:
        verbose_name = _("data scope")
        verbose_name_plural = _("data scopes")

    def __str__(self) -> str:
        return f"scope of {self.user}"


class Profile(models.Model):
    """A user's own settings (preferences), kept apart from the auth user row."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    language = models.CharField(
        _("language"),
        max_length=10,
        blank=True,
        choices=settings.LANGUAGES,
        help_text=_(
            "The language of the web UI and of API messages; empty: the browser's language."
        ),
    )

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile of {self.user}"


class ApiToken(models.Model):
    """An API token (`Authorization: Token <key>`) for one integration or script: named,
    expiring, revocable (deleted). Only a hash of the key is stored; the key itself is shown
    once, when it is issued."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(_("name"), max_length=100, help_text=_("What the token is for."))
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    prefix = models.CharField(
        _("key prefix"), max_length=8, editable=False, help_text=_("To recognise a key.")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"), db_index=True)
    last_used_at = models.DateTimeField(_("last used at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AccessVersion(models.Model):
    """One row: a counter raised after every committed change of who may do what where
    (roles and their permissions, a user's roles or permissions, data scopes, stores and
    warehouses). Each process keeps users' permissions and scopes by this number
    (accounts/access.py), so a change reaches every process at the next request."""

    version = models.BigIntegerField(default=0)

    class Meta:
        verbose_name = _("access version")
        verbose_name_plural = _("access version")

    def __str__(self) -> str:
        return f"access version {self.version}"
