"""Fair scheduling: one tenant's bulk upload cannot stand in front of another tenant's single CV.

Each tenant has at most ``CV_TENANT_MAX_IN_FLIGHT`` jobs on the queues or running; the rest wait in
the database and are sent as slots free up. Proven with a real worker: tenant B's CV, sent after
tenant A's ten, finishes among the first few instead of last.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from cvs.models import CVJob
from cvs.pipeline.services import job_submit, jobs_requeue_stale
from tenants.scoping import scopes_disabled, tenant_scope
from tests.conftest import wait_until
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)


def submit(tenant, number: int):
    upload = SimpleUploadedFile(f"cv-{tenant.pk}-{number}.pdf", files.pdf_bytes([f"Person {number}", f"p{number}@example.com"]),
                                content_type="application/pdf")
    with tenant_scope(tenant.pk):
        return job_submit(tenant=tenant, upload=upload)


def jobs_of(tenant):
    with scopes_disabled():
        return list(CVJob.objects.filter(tenant=tenant))


def test_a_single_cv_goes_in_behind_a_few_jobs_of_another_tenants_batch(celery_worker, celery_worker_factory, settings,
                                                                         tenant, other_tenant):
    settings.CV_TENANT_MAX_IN_FLIGHT = 2
    settings.CV_DEDUPLICATE_FILES = False
    celery_worker.stop()  # jobs pile up first, then one worker with the same limit drains them
    try:
        batch = [submit(tenant, number) for number in range(10)]
        sent = [job for job in jobs_of(tenant) if job.queued_at is not None]
        assert len(sent) == 2  # the other eight wait in the database, not on the queue
        single = submit(other_tenant, 0)
        with scopes_disabled():
            assert CVJob.objects.get(pk=single.pk).queued_at is not None  # another tenant's CV is sent at once

        worker = celery_worker_factory(name="fair", concurrency=1,
                                       env={"CV_TENANT_MAX_IN_FLIGHT": "2", "CV_DEDUPLICATE_FILES": "0"})
        wait_until(lambda: all(job.is_finished for job in jobs_of(tenant) + jobs_of(other_tenant)), timeout=240, interval=0.5)
        worker.stop()
    finally:
        celery_worker.start()

    finished = sorted(jobs_of(tenant) + jobs_of(other_tenant), key=lambda job: job.finished_at)
    assert [job.status for job in finished] == ["completed"] * 11, [(job.status, job.error_code) for job in finished]
    order = [job.pk for job in finished]
    assert order.index(single.pk) <= 2, "tenant B's CV waited behind tenant A's batch"
    assert {job.pk for job in batch} | {single.pk} == set(order)


def test_the_sweeper_sends_jobs_whose_dispatch_was_lost(settings, tenant):
    settings.CV_TENANT_MAX_IN_FLIGHT = 1
    first, second = submit(tenant, 1), submit(tenant, 2)
    with scopes_disabled():
        # The first job ends as if its worker's after-commit dispatch never ran (process killed).
        CVJob.objects.filter(pk=first.pk).update(status=CVJob.Status.CANCELLED)
        assert CVJob.objects.get(pk=second.pk).queued_at is None
        assert jobs_requeue_stale()["dispatched"] == 1
        assert CVJob.objects.get(pk=second.pk).queued_at is not None
        assert jobs_requeue_stale()["dispatched"] == 0
