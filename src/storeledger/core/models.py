from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class DocumentSequence(models.Model):
    """The last number handed out for one prefix, store and day (locked while incremented)."""

    prefix = models.CharField(max_length=8)
    store_code = models.CharField(max_length=16)
    day = models.DateField()
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prefix", "store_code", "day"], name="core_docseq_unique_prefix_store_day"
            )
        ]


class IdempotencyRecord(models.Model):
    """The first response to a mutating API request that carried an Idempotency-Key."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)
    key = models.CharField(max_length=200)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="core_idempotency_unique_user_key")
        ]


class ImportJob(models.Model):
    """One import of a spreadsheet: run in the request for a small file, as a background job
    (Celery, or a thread of the web process without a broker) for a large one. Keeps the
    upload until it has run, then the answer and the refused rows as a file to download."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("queued")
        RUNNING = "running", _("running")
        DONE = "done", _("done")
        REFUSED = "refused", _("refused")
        FAILED = "failed", _("failed")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", verbose_name=_("user")
    )
    resource = models.CharField(_("resource"), max_length=200)
    filename = models.CharField(_("file name"), max_length=255, blank=True)
    on_error = models.CharField(_("on error"), max_length=20)
    dry_run = models.BooleanField(_("dry run"), default=False)
    language = models.CharField(max_length=16, blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.QUEUED
    )
    rows_total = models.PositiveIntegerField(_("rows (estimate)"), null=True, blank=True)
    rows_done = models.PositiveIntegerField(_("rows read"), default=0)
    created = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    refused = models.PositiveIntegerField(default=0)
    result = models.JSONField(default=dict, blank=True)
    data = models.BinaryField(null=True, editable=False)
    refused_file = models.BinaryField(null=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")

    def __str__(self) -> str:
        return f"{self.resource} {self.filename}"
