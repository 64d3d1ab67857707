"""Signal wiring: results follow candidate changes; batch progress follows finished jobs."""

from __future__ import annotations

from typing import Any

from tenants.scoping import tenant_scope


def on_candidate_saved(sender: Any, *, candidate: Any, changed: bool = True, **kwargs: Any) -> None:
    from screening.services import candidate_rescreen

    if changed:
        with tenant_scope(candidate.tenant_id):
            candidate_rescreen(candidate=candidate)


def on_job_finished(sender: Any, *, job: Any, **kwargs: Any) -> None:
    from cvs.talents.services import task_progress_publish

    with tenant_scope(job.tenant_id):
        task_progress_publish(job=job)


def connect() -> None:
    from cvs.signals import candidate_saved, job_finished

    candidate_saved.connect(on_candidate_saved, dispatch_uid="screening.candidate_saved")
    job_finished.connect(on_job_finished, dispatch_uid="screening.job_finished")
