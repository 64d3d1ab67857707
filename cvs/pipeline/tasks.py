from __future__ import annotations

from celery import Task, shared_task

from cvs.pipeline.services import job_run, jobs_apply_retention, jobs_requeue_stale
from tenants.tasks_base import TenantTask


@shared_task(base=TenantTask, name="cvs.run_job", ignore_result=True, bind=True, max_retries=None)
def cv_job_run(self: Task, *, tenant_id: str, job_id: str, queue: str = "default") -> None:
    """Run the stages of one CV job that belong on ``queue``. Idempotent: a finished job is a no-op.

    When another worker's lease holds the job (this is a redelivery after a worker died), try again
    once that lease runs out. Unbounded retries are safe: a job that ends or fails stops them.
    """
    retry_in = job_run(job_id=job_id, worker_queue=queue)
    if retry_in is not None:
        raise self.retry(countdown=retry_in, queue=queue)


@shared_task(name="cvs.requeue_stale_jobs", acks_late=True)
def cv_jobs_requeue_stale() -> dict[str, int]:
    return jobs_requeue_stale()


@shared_task(name="cvs.apply_retention", acks_late=True)
def cv_jobs_apply_retention() -> dict[str, int]:
    return jobs_apply_retention()
