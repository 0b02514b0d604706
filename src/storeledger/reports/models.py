"""The reports' own tables: month-end stock snapshots (read by the stock summary so that an
opening is one indexed read instead of a probe of the ledger per balance, and the flows of a run
of whole months the difference of two snapshots), and an unmanaged model that carries the
permission showing costs and stock values in reports."""

from __future__ import annotations

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

    period = models.ForeignKey(SnapshotPeriod, on_delete=models.CASCADE, related_name="+")
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
