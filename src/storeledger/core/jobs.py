"""Import jobs: a spreadsheet import run in the request when it is small, in the background
when it is large (more than BACKGROUND_ROWS rows, or when asked), with its progress, its
answer and the refused rows kept for download (core.models.ImportJob).

Background means a Celery task when a broker is configured (CELERY_BROKER_URL, or REDIS_URL);
without one (`make run`, the embedded default: Celery runs eagerly) a thread of the web process
runs the job, so the request still answers at once and the page can follow the progress.
Progress (rows read) goes to the Django cache, because the import's own transaction is not
visible to other connections until it commits."""

from __future__ import annotations

import io
import logging
import re
import threading
import zipfile
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db import close_old_connections, connections, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from storeledger.core import tabular
from storeledger.core.errors import DomainError
from storeledger.core.models import ImportJob

logger = logging.getLogger(__name__)

BACKGROUND_ROWS = 2000  # a file with more rows (estimated) is imported in the background
PROGRESS_TTL = 24 * 3600
_DIMENSION = re.compile(rb'<dimension ref="[A-Z]+\d+:[A-Z]+(\d+)"')


def estimate_rows(data: bytes, filename: str = "") -> int:
    """The number of data rows, cheaply: csv line breaks, or the row count an xlsx sheet
    declares (else its unpacked size at 100 bytes a row). For the choice between running now
    and in the background, and for the progress bar; the import itself counts exactly."""
    if not (data[:2] == b"PK" or filename.lower().endswith(".xlsx")):
        return max(data.count(b"\n") - 1, 0)
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        sheets = sorted(
            (i for i in archive.infolist() if i.filename.startswith("xl/worksheets/sheet")),
            key=lambda info: info.filename,
        )
        if not sheets:
            return 0
        with archive.open(sheets[0]) as sheet:
            head = sheet.read(4096)
        found = _DIMENSION.search(head)
        return max(int(found.group(1)) - 1, 0) if found else sheets[0].file_size // 100
    except (zipfile.BadZipFile, OSError, ValueError, KeyError):
        return 0


def resource_path(resource_class: type[tabular.TabularResource]) -> str:
    return f"{resource_class.__module__}.{resource_class.__qualname__}"


def resource_class(job: ImportJob) -> type[tabular.TabularResource]:
    return import_string(job.resource)


def refused_format(job: ImportJob) -> str:
    return "xlsx" if job.filename.lower().endswith(".xlsx") else "csv"


def _progress_key(job_id: int) -> str:
    return f"storeledger:import-job:{job_id}:rows"


def rows_done(job: ImportJob) -> int:
    if job.status == ImportJob.Status.RUNNING:
        return int(cache.get(_progress_key(job.pk)) or job.rows_done)
    return job.rows_done


def create_job(
    *,
    user,
    resource: type[tabular.TabularResource],
    data: bytes,
    filename: str,
    on_error: str,
    dry_run: bool,
    background: bool,
) -> ImportJob:
    """The job of an upload; a background job keeps the file until it has run."""
    return ImportJob.objects.create(
        user=user,
        resource=resource_path(resource),
        filename=filename[:255],
        on_error=on_error,
        dry_run=dry_run,
        language=translation.get_language() or settings.LANGUAGE_CODE,
        rows_total=estimate_rows(data, filename),
        data=data if background else None,
        status=ImportJob.Status.QUEUED if background else ImportJob.Status.RUNNING,
        started_at=None if background else timezone.now(),
    )


def execute(job: ImportJob, data: bytes) -> ImportJob:
    """Run the import of `job` now and record how it ended (answer, counts, refused rows).
    A refusal (bad file or bad rows) is an answer like a success; an unexpected error marks
    the job failed and is raised again."""
    outcome = tabular.ImportOutcome()
    key = _progress_key(job.pk)
    status = ImportJob.Status.DONE
    failure: BaseException | None = None
    try:
        body: dict[str, Any] = tabular.import_table(
            resource=resource_class(job)(job.user),
            data=data,
            filename=job.filename,
            dry_run=job.dry_run,
            on_error=job.on_error,
            outcome=outcome,
            progress=lambda done: cache.set(key, done, PROGRESS_TTL),
        )
    except DomainError as error:
        from storeledger.core.api.errors import error_body

        status = ImportJob.Status.REFUSED
        body = error_body(error.code, error.message, error.fields, error.details)
    except Exception as error:  # recorded, then raised again for the log / the worker
        status, failure = ImportJob.Status.FAILED, error
        body = {
            "code": "import_failed",
            "message": _("The import stopped on an unexpected error; nothing was saved."),
            "fields": {},
            "details": {},
        }
    body = {**body, "job": job.pk} if status != ImportJob.Status.REFUSED else body
    if status == ImportJob.Status.REFUSED:
        body["details"] = {**body.get("details", {}), "job": job.pk}
    saved = status == ImportJob.Status.DONE and not job.dry_run
    refused = tabular.refused_file(outcome, refused_format(job)) if outcome.errors else None
    ImportJob.objects.filter(pk=job.pk).update(
        status=status,
        result=body,
        rows_done=outcome.rows_read,
        created=outcome.created if saved else 0,
        updated=outcome.updated if saved else 0,
        refused=len(outcome.errors),
        refused_file=refused,
        data=None,
        finished_at=timezone.now(),
    )
    cache.delete(key)
    job.refresh_from_db()
    if failure is not None:
        raise failure
    return job


def run(job_id: int) -> None:
    """Run a queued job (the Celery task and the thread call this); a job that already ran
    or is running (a task delivered twice) is left alone."""
    claimed = ImportJob.objects.filter(pk=job_id, status=ImportJob.Status.QUEUED).update(
        status=ImportJob.Status.RUNNING, started_at=timezone.now()
    )
    if not claimed:
        return
    job = ImportJob.objects.select_related("user").get(pk=job_id)
    data = bytes(job.data or b"")
    with translation.override(job.language or settings.LANGUAGE_CODE):
        try:
            execute(job, data)
        except Exception:
            logger.exception("import job %s failed", job_id)


def _run_in_thread(job_id: int) -> None:
    close_old_connections()
    try:
        run(job_id)
    finally:
        connections.close_all()


def start(job: ImportJob) -> None:
    """Start a queued job once the transaction that created it has committed."""
    if getattr(settings, "IMPORT_JOBS_INLINE", False):  # tests: run it right here
        run(job.pk)
        return
    if settings.CELERY_TASK_ALWAYS_EAGER:
        thread = threading.Thread(
            target=_run_in_thread, args=(job.pk,), name=f"import-job-{job.pk}", daemon=True
        )
        transaction.on_commit(thread.start)
        return
    from storeledger.core.tasks import run_import_job

    transaction.on_commit(lambda: run_import_job.delay(job.pk))
