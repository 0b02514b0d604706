"""Import jobs (issue 10, items 2 and 3): a large file is imported in the background with its
progress, the answer and the refused rows are kept, and the refused rows come back as a file
that can be corrected and imported again."""

import csv
import io

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from storeledger.catalog.api import SkuResource
from storeledger.catalog.models import Sku
from storeledger.core import jobs
from storeledger.core.models import ImportJob
from storeledger.testing import factories


def csv_file(rows, name="skus.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_file(rows, name="skus.xlsx"):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue())


def read_csv(content: bytes):
    return list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))


def many_rows(count: int, bad_every: int = 0):
    rows = [["code", "name", "base_unit", "retail_price"]]
    for i in range(count):
        price = "abc" if bad_every and i % bad_every == 0 else "2.50"
        rows.append([f"J{i:05d}", f"商品{i}", "pcs", price])
    return rows


@pytest.fixture
def inline_jobs(settings):
    """Background jobs run at once in the test's transaction (no thread, no broker)."""
    settings.IMPORT_JOBS_INLINE = True


@pytest.mark.django_db
def test_a_large_file_becomes_a_background_job(client_for, buyer, pcs, inline_jobs):
    client = client_for(buyer)
    response = client.post("/api/v1/skus/import/", {"file": csv_file(many_rows(2100))})
    assert response.status_code == 202, response.json()
    queued = response.json()
    assert (queued["resource"], queued["status"], queued["rows_total"]) == ("skus", "queued", 2100)

    job = client.get(f"/api/v1/import-jobs/{queued['id']}/").json()
    assert job["status"] == "done"
    assert (job["rows_done"], job["created"], job["updated"], job["refused"]) == (2100, 2100, 0, 0)
    assert job["refused_file"] is None
    assert job["result"]["created"] == 2100
    assert Sku.objects.count() == 2100
    assert ImportJob.objects.get(pk=queued["id"]).data is None  # the upload is not kept
    listed = client.get("/api/v1/import-jobs/").json()
    assert [item["id"] for item in listed["results"]] == [queued["id"]]


@pytest.mark.django_db
def test_skip_invalid_returns_the_refused_rows_as_a_file(client_for, buyer, pcs, inline_jobs):
    client = client_for(buyer)
    rows = many_rows(30, bad_every=10)
    response = client.post(
        "/api/v1/skus/import/",
        {"file": csv_file(rows), "on_error": "skip_invalid", "background": "true"},
    )
    assert response.status_code == 202
    job = client.get(f"/api/v1/import-jobs/{response.json()['id']}/").json()
    assert (job["status"], job["created"], job["refused"]) == ("done", 27, 3)
    assert [(r["row"], r["code"]) for r in job["result"]["rows"]] == [
        (2, "J00000"),
        (12, "J00010"),
        (22, "J00020"),
    ]
    download = client.get(job["refused_file"])
    assert download.status_code == 200
    assert download["Content-Disposition"] == f'attachment; filename="skus-refused-{job["id"]}.csv"'
    refused = read_csv(download.content)
    assert refused[0] == ["code", "name", "base_unit", "retail_price", "#row", "#errors"]
    assert refused[1] == [
        "J00000",
        "商品0",
        "pcs",
        "abc",
        "2",
        "retail_price: A valid number is required.",
    ]
    assert len(refused) == 4

    # corrected, the same file imports (the # columns are notes)
    for row in refused[1:]:
        row[3] = "2.50"
    again = client.post("/api/v1/skus/import/", {"file": csv_file(refused)})
    assert again.status_code == 200, again.json()
    assert (again.json()["created"], again.json()["refused"]) == (3, 0)
    assert Sku.objects.count() == 30


@pytest.mark.django_db
def test_a_refused_file_keeps_its_refused_rows_for_download(client_for, buyer, pcs):
    client = client_for(buyer)
    rows = many_rows(5, bad_every=4)
    response = client.post("/api/v1/skus/import/", {"file": xlsx_file(rows)})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "import_invalid"
    assert [(r["row"], r["code"]) for r in body["details"]["rows"]] == [
        (2, "J00000"),
        (6, "J00004"),
    ]
    job = client.get(f"/api/v1/import-jobs/{body['details']['job']}/").json()
    assert (job["status"], job["created"], job["refused"]) == ("refused", 0, 2)
    download = client.get(job["refused_file"])
    assert download["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(download.content)).active
    assert [c.value for c in sheet[1]] == [*rows[0], "#row", "#errors"]
    assert [c.value for c in sheet[3]][:1] + [c.value for c in sheet[3]][4:5] == ["J00004", "6"]
    assert Sku.objects.count() == 0

    other = factories.user("buyer2", roles=("buyer",), all_stores=True)
    assert client_for(other).get(f"/api/v1/import-jobs/{job['id']}/").status_code == 404
    assert client_for(other).get(job["refused_file"]).status_code == 404


@pytest.mark.django_db
def test_a_bad_file_is_refused_before_a_job_starts(client_for, buyer, inline_jobs):
    client = client_for(buyer)
    bad = client.post(
        "/api/v1/skus/import/",
        {"file": csv_file([["kode", "name"], ["X", "Y"]]), "background": "true"},
    )
    assert bad.status_code == 400
    assert bad.json()["code"] == "bad_header"
    assert ImportJob.objects.count() == 0


@pytest.mark.django_db
def test_progress_comes_from_the_cache_while_running(buyer):
    job = ImportJob.objects.create(
        user=buyer,
        resource=jobs.resource_path(SkuResource),
        on_error="refuse_all",
        status=ImportJob.Status.RUNNING,
        rows_total=5000,
    )
    cache.set(jobs._progress_key(job.pk), 3000)
    assert jobs.rows_done(job) == 3000
    job.status = ImportJob.Status.DONE
    assert jobs.rows_done(job) == 0


@pytest.mark.django_db
def test_a_job_runs_once_and_a_crash_is_recorded(client_for, buyer, pcs, monkeypatch, settings):
    settings.IMPORT_JOBS_INLINE = False
    settings.CELERY_TASK_ALWAYS_EAGER = False
    queued = []
    from storeledger.core import tasks

    monkeypatch.setattr(tasks.run_import_job, "delay", lambda job_id: queued.append(job_id))
    client = client_for(buyer)
    with pytest.MonkeyPatch.context() as patch:
        from django.db import transaction

        patch.setattr(transaction, "on_commit", lambda callback: callback())
        response = client.post(
            "/api/v1/skus/import/", {"file": csv_file(many_rows(3)), "background": "true"}
        )
    assert response.status_code == 202
    job_id = response.json()["id"]
    assert queued == [job_id]  # handed to Celery (a worker runs it with REDIS_URL set)
    assert ImportJob.objects.get(pk=job_id).status == "queued"
    tasks.run_import_job(job_id)  # what the worker runs
    tasks.run_import_job(job_id)  # delivered twice: runs once
    job = ImportJob.objects.get(pk=job_id)
    assert (job.status, job.created) == ("done", 3)
    assert Sku.objects.count() == 3

    def crash(**kwargs):
        raise RuntimeError("disk full")

    broken = jobs.create_job(
        user=buyer,
        resource=jobs.resource_class(job),
        data=b"code,name\nX,Y\n",
        filename="x.csv",
        on_error="refuse_all",
        dry_run=False,
        background=True,
    )
    monkeypatch.setattr(jobs.tabular, "import_table", crash)
    jobs.run(broken.pk)
    broken.refresh_from_db()
    assert (broken.status, broken.result["code"]) == ("failed", "import_failed")


@pytest.mark.django_db
def test_without_a_broker_the_job_starts_in_a_thread_after_commit(
    buyer, settings, django_capture_on_commit_callbacks
):
    settings.IMPORT_JOBS_INLINE = False
    settings.CELERY_TASK_ALWAYS_EAGER = True
    job = jobs.create_job(
        user=buyer,
        resource=SkuResource,
        data=b"code,name\nX,Y\n",
        filename="x.csv",
        on_error="refuse_all",
        dry_run=False,
        background=True,
    )
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        jobs.start(job)
    assert len(callbacks) == 1
    assert callbacks[0].__self__.name == f"import-job-{job.pk}"
    assert callbacks[0].__self__.daemon
