from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs


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


# ---------------------------------------------------------------- approvals (core.approvals)


class ApprovalScope(models.TextChoices):
    """Where an approver of a level must work: the document's store is in their data scope,
    or the head-office store is (all stores count as both)."""

    DOCUMENT_STORE = "document_store", _("the document's store")
    HEAD_OFFICE = "head_office", _("head office")


class ApprovalRule(models.Model):
    """When a document of a registered type (core.doctypes) needs approval, and by whom: every
    condition given must hold (amount above, quantity above, store, supplier, category); the
    levels of every matching rule are merged in their sequence order. Built-in rules (`key`
    set, seeded by an app) can be changed and deactivated but not deleted."""

    document_type = models.CharField(_("document type"), max_length=40)
    document_kind = models.CharField(
        _("document kind"),
        max_length=40,
        blank=True,
        help_text=_("Only documents of this kind (e.g. stock_out); empty: every kind."),
    )
    name = models.CharField(_("name"), max_length=100)
    key = models.CharField(max_length=100, unique=True, null=True, blank=True, editable=False)
    active = models.BooleanField(_("active"), default=True)
    amount_above = models.DecimalField(
        _("amount above"), null=True, blank=True, **money_field_kwargs()
    )
    quantity_above = models.DecimalField(
        _("quantity above"), null=True, blank=True, **qty_field_kwargs()
    )
    store = models.ForeignKey(
        "org.Store",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("store"),
    )
    supplier = models.ForeignKey(
        "partners.Supplier",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("supplier"),
    )
    category = models.ForeignKey(
        "catalog.Category",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("category"),
        help_text=_("A document with a line of this category or of one below it."),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["document_type", "document_kind", "id"]
        verbose_name = _("approval rule")
        verbose_name_plural = _("approval rules")
        indexes = [models.Index(fields=["document_type", "active"], name="core_apprule_type")]

    def __str__(self) -> str:
        return self.name


class ApprovalLevel(models.Model):
    """One level of a rule: a person of `role` (an accounts role) working in `scope`."""

    rule = models.ForeignKey(ApprovalRule, on_delete=models.CASCADE, related_name="levels")
    sequence = models.PositiveSmallIntegerField(_("sequence"))
    role = models.CharField(_("role"), max_length=150)
    scope = models.CharField(
        _("scope"),
        max_length=20,
        choices=ApprovalScope.choices,
        default=ApprovalScope.DOCUMENT_STORE,
    )

    class Meta:
        ordering = ["rule", "sequence"]
        verbose_name = _("approval level")
        verbose_name_plural = _("approval levels")
        constraints = [
            models.UniqueConstraint(fields=["rule", "sequence"], name="core_applevel_unique_seq")
        ]

    def __str__(self) -> str:
        return f"{self.rule} #{self.sequence} {self.role}"


class ApprovalStepStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for an earlier level")
    PENDING = "pending", _("Pending")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    CANCELLED = "cancelled", _("Cancelled")


class ApprovalStep(models.Model):
    """One level of one submission (`round`) of one document, and its decision: the approval
    history of every document type. Written only by core.approvals."""

    document_type = models.CharField(max_length=40)
    document_id = models.PositiveBigIntegerField()
    document_kind = models.CharField(max_length=40, blank=True)
    document_number = models.CharField(max_length=40, blank=True)
    store = models.ForeignKey(
        "org.Store", on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    amount = models.DecimalField(null=True, blank=True, **money_field_kwargs())
    quantity = models.DecimalField(null=True, blank=True, **qty_field_kwargs())
    round = models.PositiveIntegerField()
    sequence = models.PositiveSmallIntegerField()
    # "" = no rule applied: one approval by the approve permission
    role = models.CharField(max_length=150, blank=True)
    scope = models.CharField(
        max_length=20, choices=ApprovalScope.choices, default=ApprovalScope.DOCUMENT_STORE
    )
    rule = models.ForeignKey(
        ApprovalRule, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    rule_name = models.CharField(max_length=100, blank=True)
    status = models.CharField(max_length=10, choices=ApprovalStepStatus.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    requested_at = models.DateTimeField()
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(blank=True)

    class Meta:
        ordering = ["document_type", "document_id", "round", "sequence"]
        verbose_name = _("approval step")
        verbose_name_plural = _("approval steps")
        constraints = [
            models.UniqueConstraint(
                fields=["document_type", "document_id", "round", "sequence"],
                name="core_appstep_unique_level",
            )
        ]
        indexes = [
            models.Index(fields=["document_type", "document_id"], name="core_appstep_document"),
            models.Index(fields=["status", "role"], name="core_appstep_inbox"),
        ]

    def __str__(self) -> str:
        return f"{self.document_number} #{self.round}.{self.sequence} {self.status}"
