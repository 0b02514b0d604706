"""The reports' own tables: month-end stock snapshots (read by the stock summary so that an
opening is one indexed read instead of a probe of the ledger per balance, and the flows of a run
of whole months the difference of two snapshots), and an unmanaged model that carries the
permission showing costs and stock values in reports."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from storeledger.core.costs import COST_PERMISSION, can_see_cost  # noqa: F401 (re-exported)
from storeledger.core.quantities import money_field_kwargs, qty_field_kwargs
from storeledger.inventory.models import StockBalance
from storeledger.reports.kinds import FLOW_KINDS


class ReportAccess(models.Model):
    """No table: the holder of the report permissions (Django needs a model for them)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report access")
        # A plain string: a lazy text would make the migration language-dependent.
        permissions = [
            ("view_cost", gettext_noop("Can see costs, stock values and purchase prices"))
        ]


class SnapshotPeriod(models.Model):
    """One snapshot of every balance: the stock just before the instant `at` (a month's first
    midnight in the company's time zone). Written by `reports.snapshots` only."""

    at = models.DateTimeField(_("as of"), unique=True)
    built_at = models.DateTimeField(_("built at"), auto_now_add=True)

    class Meta:
        verbose_name = _("stock snapshot")
        verbose_name_plural = _("stock snapshots")
        default_permissions = ()

    def __str__(self) -> str:
        return self.at.isoformat()


class StockSnapshot(models.Model):
    """The quantity and value of one balance just before its period's instant: the sum of its
    moves posted before it; and, per kind of flow of the stock summary (`reports.kinds`), the
    cumulative quantity and value of its moves of that kind before it (`<kind>_quantity`,
    `<kind>_value`, in the ledger's sign: outflows negative), so that the flows between two
    snapshots are their difference. A balance without any move before then has no row (0).
    Kept exact under back-dated postings by `reports.snapshots.apply_backdated_posting`, in the
    posting's transaction."""

    period = models.ForeignKey(
        SnapshotPeriod,
        on_delete=models.CASCADE,
        related_name="+",
        # the unique (period, balance) index serves the lookups by period
        db_index=False,
    )
    balance = models.ForeignKey(
        StockBalance, on_delete=models.CASCADE, related_name="+", db_index=False
    )
    quantity = models.DecimalField(_("quantity"), **qty_field_kwargs())
    value = models.DecimalField(_("value"), **money_field_kwargs())

    class Meta:
        default_permissions = ()
        constraints = [
            models.UniqueConstraint(fields=["period", "balance"], name="reports_snapshot_unique")
        ]


# The cumulative flows per kind (see the docstring), one quantity and one value column each.
for _kind in FLOW_KINDS:
    StockSnapshot.add_to_class(
        _kind.quantity_column, models.DecimalField(default=0, **qty_field_kwargs())
    )
    StockSnapshot.add_to_class(
        _kind.value_column, models.DecimalField(default=0, **money_field_kwargs())
    )
del _kind


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")


class SubscriptionPeriod(models.TextChoices):
    PREVIOUS = "previous", _("The last full day, week or month")
    MONTH_TO_DATE = "month_to_date", _("This month up to the send day")


class SubscriptionLanguage(models.TextChoices):
    ZH_HANS = "zh-hans", _("Simplified Chinese")
    EN = "en", _("English")


class ReportSubscription(models.Model):
    """A user's standing order for a report's xlsx by e-mail, daily, weekly or monthly at an
    hour of the company's time zone. Written by `reports.subscriptions` only; `sent_slot` is
    the scheduled instant last sent, so a slot is mailed once however often beat runs."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="report_subscriptions",
        verbose_name=_("owner"),
    )
    report = models.CharField(_("report"), max_length=40)
    filters = models.JSONField(_("filters"), default=dict, blank=True)
    period = models.CharField(
        _("period"),
        max_length=16,
        choices=SubscriptionPeriod.choices,
        default=SubscriptionPeriod.PREVIOUS,
    )
    frequency = models.CharField(_("frequency"), max_length=8, choices=Frequency.choices)
    weekday = models.PositiveSmallIntegerField(
        _("weekday"), null=True, blank=True, help_text=_("0 = Monday … 6 = Sunday (weekly).")
    )
    day_of_month = models.PositiveSmallIntegerField(
        _("day of month"),
        null=True,
        blank=True,
        help_text=_("1–31 (monthly); a shorter month sends on its last day."),
    )
    hour = models.PositiveSmallIntegerField(_("hour"), default=8)
    language = models.CharField(
        _("language"),
        max_length=8,
        choices=SubscriptionLanguage.choices,
        default=SubscriptionLanguage.ZH_HANS,
    )
    extra_recipients = models.JSONField(_("extra recipients"), default=list, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # scheduled instants before this one are never sent (set on creation, a schedule change
    # and a resume, so none of them mails a missed slot at once)
    active_since = models.DateTimeField(_("active since"))
    sent_slot = models.DateTimeField(_("last slot sent"), null=True, blank=True)
    last_sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    last_error = models.TextField(_("last error"), blank=True, default="")
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("report subscription")
        verbose_name_plural = _("report subscriptions")
        ordering = ["id"]
        default_permissions = ("view",)  # "view": an administrator lists everyone's
        constraints = [
            models.CheckConstraint(
                condition=models.Q(hour__gte=0, hour__lte=23), name="reports_subscription_hour"
            ),
            models.CheckConstraint(
                condition=~models.Q(frequency="weekly") | models.Q(weekday__gte=0, weekday__lte=6),
                name="reports_subscription_weekday",
            ),
            models.CheckConstraint(
                condition=~models.Q(frequency="monthly")
                | models.Q(day_of_month__gte=1, day_of_month__lte=31),
                name="reports_subscription_day",
            ),
        ]
        indexes = [models.Index(fields=["is_active"], name="reports_subscription_active")]

    def __str__(self) -> str:
        return f"{self.report} ({self.frequency}) — {self.owner_id}"
