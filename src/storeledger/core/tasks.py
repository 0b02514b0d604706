"""Celery tasks of the kernel (found by the app's autodiscover_tasks)."""

from celery import shared_task


@shared_task(name="storeledger.core.run_import_job", ignore_result=True)
def run_import_job(job_id: int) -> None:
    """A spreadsheet import queued by POST <resource>/import/ (see core.jobs)."""
    from storeledger.core import jobs

    jobs.run(job_id)
