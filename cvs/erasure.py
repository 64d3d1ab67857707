"""GDPR erasure: a candidate and everything derived from their CV, gone for good."""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction

from cvs.models import Candidate, CVJob

logger = logging.getLogger(__name__)


def _stored_paths(candidate: Candidate, jobs: list[CVJob]) -> list[str]:
    from cvs.documents.models import GeneratedDocument

    paths = [job.file_path for job in jobs if job.file_path]
    paths += list(candidate.photo_paths or [])
    paths += [job_photo for job in jobs for job_photo in (job.options or {}).get("photo_paths", [])]
    paths += list(GeneratedDocument.objects.filter(candidate=candidate).values_list("file_path", flat=True))
    return sorted({path for path in paths if path})


def candidate_erase(*, candidate: Candidate) -> dict[str, Any]:
    """Hard-delete a candidate: stored files (CVs, photos, documents), jobs with their text and
    data, webhook deliveries, screening results, embeddings, then the row itself.

    Rows go in one transaction; files are deleted only after it commits, so a failed
    erasure never leaves rows that point at missing files. Returns what was removed.
    """
    candidate_id = str(candidate.pk)
    jobs = list(CVJob.objects.filter(candidate=candidate))
    paths = _stored_paths(candidate, jobs)
    with transaction.atomic():
        # Duplicates point at the kept job; they hold the same person's data.
        job_ids = [job.pk for job in jobs]
        duplicates = list(CVJob.objects.filter(duplicate_of_id__in=job_ids).exclude(pk__in=job_ids))
        paths = sorted(set(paths) | {job.file_path for job in duplicates if job.file_path})
        all_jobs = CVJob.objects.filter(pk__in=job_ids + [job.pk for job in duplicates])
        # Deliveries and generated-document rows cascade from jobs/candidate; count them for the report.
        deliveries = sum(job.webhook_deliveries.count() for job in jobs + duplicates)
        jobs_deleted = all_jobs.count()
        all_jobs.delete()
        _, per_model = candidate.delete()
        transaction.on_commit(lambda: _delete_files(paths))
    return {
        "candidate_id": candidate_id,
        "jobs": jobs_deleted,
        "webhook_deliveries": deliveries,
        "files": len(paths),
        "rows": per_model,
    }


def _delete_files(paths: list[str]) -> None:
    for path in paths:
        try:
            default_storage.delete(path)
        except Exception:  # noqa: BLE001 - one missing object must not stop the rest of the erasure
            logger.warning("Could not delete stored file %s during erasure", path, exc_info=True)
