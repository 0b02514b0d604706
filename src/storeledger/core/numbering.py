"""Document numbers per prefix, store and day: RK-0001-20261129-0001."""

from __future__ import annotations

import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from storeledger.core.models import DocumentSequence


def next_document_number(*, prefix: str, store_code: str, day: datetime.date) -> str:
    """Hand out the next number; must run inside the caller's transaction so a rolled-back
    document gives its number back."""
    key = {"prefix": prefix, "store_code": store_code, "day": day}
    updated = DocumentSequence.objects.filter(**key).update(last_number=F("last_number") + 1)
    if not updated:
        try:
            with transaction.atomic():
                DocumentSequence.objects.create(**key, last_number=1)
        except (
            IntegrityError
        ):  # created concurrently: the update now finds it (and waits on its lock)
            DocumentSequence.objects.filter(**key).update(last_number=F("last_number") + 1)
    number = DocumentSequence.objects.filter(**key).values_list("last_number", flat=True).get()
    return f"{prefix}-{store_code}-{day:%Y%m%d}-{number:04d}"
