"""Celery tasks of the reports (found by the app's autodiscover_tasks)."""

from celery import shared_task


@shared_task(name="storeledger.reports.build_stock_snapshots", ignore_result=True)
def build_stock_snapshots() -> int:
    """Adds the month-end stock snapshots of the months that are over (beat: daily)."""
    from storeledger.reports import snapshots

    return len(snapshots.build_snapshots())
