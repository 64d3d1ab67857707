from __future__ import annotations

from celery import Task, shared_task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from cvs.pipeline.services import job_run, jobs_apply_retention, jobs_requeue_stale
from tenants.tasks_base import TenantTask


@shared_task(base=TenantTask, name="cvs.run_job", ignore_result=True, bind=True, max_retries=None)
def cv_job_run(self: Task, *, tenant_id: str, job_id: str, queue: str = "default") -> None:
    """Run the stages of one CV job that belong on ``queue``. Idempotent: a finished job is a no-op.

    When another worker's lease holds the job (this is a redelivery after a worker died), try again
    once that lease runs out. Unbounded retries are safe: a job that ends or fails stops them.
    A database outage is retried every few seconds until the database is back.
    """
    try:
        retry_in = job_run(job_id=job_id, worker_queue=queue)
    except (OperationalError, InterfaceError) as exc:
        # The database went away (restart, failover). The job row and its finished stages are intact; keep
        # the message and try again shortly rather than leave the job to the sweeper's lease and resend
        # timers. Bounded: past the budget the error propagates and the sweeper's attempt count applies.
        raise self.retry(exc=exc, countdown=settings.CV_DB_RETRY_SECONDS, max_retries=settings.CV_DB_RETRY_MAX,
                         queue=queue) from exc
    if retry_in is not None:
        raise self.retry(countdown=retry_in, queue=queue)


@shared_task(name="cvs.requeue_stale_jobs", acks_late=True)
def cv_jobs_requeue_stale() -> dict[str, int]:
    return jobs_requeue_stale()


@shared_task(name="cvs.apply_retention", acks_late=True)
def cv_jobs_apply_retention() -> dict[str, int]:
    return jobs_apply_retention()
