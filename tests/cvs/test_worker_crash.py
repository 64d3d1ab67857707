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


def test_killed_worker_child_job_is_taken_back_by_its_redelivered_message(celery_worker, celery_worker_factory, key_client,
                                                                          endpoint):
    """kill -9 of the pool process running OCR: no beat, no sweeper; the redelivered message takes the job back.

    Asserted: the job is running again under a new lease within 30 s of the kill (the dead process's
    20 s lease, then the retry). Completion adds the OCR done again, which depends on the machine's load.
    """
    import os
    import signal

    import psutil

    celery_worker.stop()
    try:
        worker = celery_worker_factory(name="child-kill", concurrency=1)
        response = key_client.post(
            f"/cv/{endpoint.pk}", {"file": SimpleUploadedFile("scan.pdf", files.scanned_pdf_bytes(3))}, format="multipart"
        )
        request_id = response.json()["request_id"]
        wait_until(lambda: job_state(request_id).status == "running", timeout=60, interval=0.1)
        time.sleep(1.0)  # inside OCR of the first pages
        children = psutil.Process(worker.proc.pid).children()
        assert len(children) == 1
        dead_lease = job_state(request_id).lease_expires_at
        os.kill(children[0].pid, signal.SIGKILL)
        killed_at = time.monotonic()

        def taken_back() -> bool:
            job = job_state(request_id)
            return job.is_finished or (job.lease_expires_at is not None and job.lease_expires_at > dead_lease)

        wait_until(taken_back, timeout=60, interval=0.2)
        reclaimed = time.monotonic() - killed_at
        done = wait_until(lambda: (job := job_state(request_id)).is_finished and job, timeout=180, interval=0.5)
        completed = time.monotonic() - killed_at
        print(f"\nworker child killed mid-OCR: job running again {reclaimed:.1f} s after the kill, completed after {completed:.1f} s")
        assert done.status == "completed", (done.error_code, done.error_message)
        assert done.data["contact_info"]["email"] == "laura.martin@example.com"
        assert reclaimed <= 30, f"taken back only after {reclaimed:.1f} s"
        worker.stop()
    finally:
        celery_worker.start()
