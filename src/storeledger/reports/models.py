"""The reports app keeps no data of its own yet: it reads the ledger. This unmanaged model
only carries the permission that shows costs and stock values in reports."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

COST_PERMISSION = "reports.view_cost"


class ReportAccess(models.Model):
    """No table: the holder of the report permissions (Django needs a model for them)."""

    class Meta:
        managed = False
        default_permissions = ()
        verbose_name = _("report access")
        # A plain string: a lazy text would make the migration language-dependent.
        permissions = [("view_cost", gettext_noop("Can see costs and stock values in reports"))]


def can_see_cost(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.has_perm(COST_PERMISSION))
