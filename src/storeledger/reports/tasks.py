"""Celery tasks of the reports (found by the app's autodiscover_tasks)."""

from celery import shared_task


@shared_task(name="storeledger.reports.build_stock_snapshots", ignore_result=True)
def build_stock_snapshots() -> int:
    """Adds the month-end stock snapshots of the months that are over (beat: daily)."""
    from storeledger.reports import snapshots

    return len(snapshots.build_snapshots())


@shared_task(name="storeledger.reports.send_report_subscriptions", ignore_result=True)
def send_report_subscriptions() -> int:
    """Mails the report subscriptions that are due (beat: every few minutes); a slot is sent
    once however often this runs, and by however many workers."""
    from storeledger.reports import subscriptions

    return subscriptions.send_due().sent
