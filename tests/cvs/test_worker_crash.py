"""A worker killed in the middle of a job loses nothing: the job completes after the restart."""

import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from cvs.models import CVJob
from cvs.pipeline.services import jobs_requeue_stale
from tenants.scoping import scopes_disabled
from tests.conftest import wait_until
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)


def job_state(request_id):
    with scopes_disabled():
        return CVJob.objects.get(pk=request_id)


def test_killed_worker_job_completes_after_restart(celery_worker, celery_worker_factory, key_client, endpoint):
    celery_worker.stop()  # only the doomed worker may take the job
    try:
        doomed = celery_worker_factory(name="doomed", env={"CV_JOB_LEASE_SECONDS": "4"})
        response = key_client.post(
            f"/cv/{endpoint.pk}", {"file": SimpleUploadedFile("scan.pdf", files.scanned_pdf_bytes(5))}, format="multipart"
        )
        request_id = response.json()["request_id"]
        wait_until(lambda: job_state(request_id).status == "running", timeout=60, interval=0.1)
        time.sleep(1.0)  # inside OCR of the first pages
        doomed.kill()
        crashed = job_state(request_id)
        assert crashed.status == "running" and not crashed.is_finished

        rescuer = celery_worker_factory(name="rescuer")
        wait_until(lambda: timezone.now() > crashed.lease_expires_at, timeout=30)
        assert jobs_requeue_stale()["requeued"] == 1
        done = wait_until(lambda: (job := job_state(request_id)).is_finished and job, timeout=180, interval=0.5)
        assert done.status == "completed", (done.error_code, done.error_message)
        assert done.attempts == 1
        assert done.data["contact_info"]["email"] == "laura.martin@example.com"
        rescuer.stop()
    finally:
        celery_worker.start()
