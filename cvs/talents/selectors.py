"""Reads for talents (candidates) and their upload tasks, within the tenant scope."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from datetime import time as dtime
from typing import Any

from django.db.models import Count, F, Func, QuerySet, TextField
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from config.errors import ApplicationError, NotFound
from cvs.extraction.jsonresume import to_json_resume
from cvs.extraction.levels import EDUCATION_LEVELS, education_level
from cvs.models import Batch, Candidate, CVJob, ScreeningStatus, Stage
from cvs.selectors import candidate_search
from screening.vocab import skill_key
from tenants.selectors import is_uuid

SORTABLE = {"created_at", "updated_at", "name", "years_of_experience", "education_level", "screening_status"}
SORT_ALIASES = {"work_years": "years_of_experience"}


def _csv(value: str | None) -> list[str]:
    return [item.strip() for item in (value or "").split(",") if item.strip()]


def _when(value: str, *, end: bool) -> datetime:
    moment = parse_datetime(value)
    if moment is None:
        day = parse_date(value)
        if day is None:
            raise ApplicationError(f"'{value}' is not a date (YYYY-MM-DD) or an ISO date-time.", code="invalid_filter")
        moment = datetime.combine(day, dtime.max if end else dtime.min)
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _number(value: str, name: str) -> float:
    try:
        return float(value)
    except ValueError as exc:
        raise ApplicationError(f"{name} must be a number.", code="invalid_filter") from exc


def skill_spellings(wanted: str) -> list[str]:
    """The stored spellings of one canonical skill ('vue' → ['Vue.js', 'VueJS', …]) in this tenant."""
    key = skill_key(wanted)
    stored = (
        Candidate.objects.annotate(skill=Func(F("skills"), function="unnest", output_field=TextField()))
        .values_list("skill", flat=True)
        .distinct()
    )
    return [skill for skill in stored if skill_key(skill) == key] or [wanted]


@dataclass(frozen=True)
class TalentFilters:
    deleted: bool = False
    screening_status: list[str] | None = None
    education_level: list[str] | None = None
    keyword: str = ""
    skills: list[str] | None = None
    years_min: float | None = None
    years_max: float | None = None
    created_from: datetime | None = None
    created_to: datetime | None = None
    condition_id: str | None = None
    ordering: str = ""

    @classmethod
    def from_query(cls, params: Any) -> TalentFilters:
        statuses = _csv(params.get("screening_status"))
        bad = [status for status in statuses if status not in ScreeningStatus.values]
        if bad:
            raise ApplicationError(
                f"Unknown screening_status {', '.join(bad)}; use {', '.join(ScreeningStatus.values)}.", code="invalid_filter"
            )
        parsed_levels = [education_level(label) for label in _csv(params.get("education_level"))]
        levels = [level for level in parsed_levels if level is not None]
        if len(levels) != len(parsed_levels):
            raise ApplicationError(f"Unknown education_level; use {', '.join(EDUCATION_LEVELS)} (本科, 硕士, … are understood).",
                                   code="invalid_filter")
        ordering = params.get("ordering") or params.get("sort") or ""
        field = SORT_ALIASES.get(ordering.lstrip("-"), ordering.lstrip("-"))
        if ordering and field not in SORTABLE:
            raise ApplicationError(f"Cannot sort by '{ordering}'; use one of {', '.join(sorted(SORTABLE))} "
                                   "(prefix - for descending).", code="invalid_ordering")
        years_min = params.get("years_min") or params.get("work_years_min")
        years_max = params.get("years_max") or params.get("work_years_max")
        condition_id = params.get("condition_id") or None
        if condition_id and not is_uuid(condition_id):
            raise ApplicationError("condition_id must be a UUID.", code="invalid_filter")
        return cls(
            deleted=str(params.get("deleted", "")).lower() in {"1", "true"},
            screening_status=statuses or None,
            education_level=levels or None,
            keyword=(params.get("keyword") or "").strip()[:200],
            skills=_csv(params.get("skills")) or None,
            years_min=_number(years_min, "years_min") if years_min else None,
            years_max=_number(years_max, "years_max") if years_max else None,
            created_from=_when(params["created_from"], end=False) if params.get("created_from") else None,
            created_to=_when(params["created_to"], end=True) if params.get("created_to") else None,
            condition_id=condition_id,
            ordering=("-" if ordering.startswith("-") else "") + field if ordering else "",
        )


def talent_list(*, filters: TalentFilters, match_contacts: bool) -> QuerySet[Candidate]:
    """``match_contacts``: whether the keyword may match e-mail and phone (only for roles that see them)."""
    candidates: QuerySet[Candidate] = Candidate.objects.filter(is_deleted=filters.deleted)
    if filters.screening_status:
        candidates = candidates.filter(screening_status__in=filters.screening_status)
    if filters.education_level:
        candidates = candidates.filter(education_level__in=filters.education_level)
    for skill in filters.skills or []:
        candidates = candidates.filter(skills__overlap=skill_spellings(skill))
    if filters.years_min is not None:
        candidates = candidates.filter(years_of_experience__gte=filters.years_min)
    if filters.years_max is not None:
        candidates = candidates.filter(years_of_experience__lte=filters.years_max)
    if filters.created_from:
        candidates = candidates.filter(created_at__gte=filters.created_from)
    if filters.created_to:
        candidates = candidates.filter(created_at__lte=filters.created_to)
    if filters.condition_id:
        candidates = candidates.filter(screening_results__condition_id=uuid.UUID(filters.condition_id))  # checked by from_query
    if filters.keyword:
        candidates = candidate_search(candidates, filters.keyword, match_contacts=match_contacts)
        if not filters.ordering:
            return candidates.order_by(F("rank").desc(), "-created_at")  # rank: annotated by candidate_search
    return candidates.order_by(filters.ordering or "-created_at", "-created_at" if filters.ordering else "pk")


def talent_get(*, talent_id: Any) -> Candidate:
    """Any candidate of the tenant, deleted ones included (they can be viewed and restored)."""
    candidate = Candidate.objects.filter(pk=talent_id).first() if is_uuid(talent_id) else None
    if candidate is None:
        raise NotFound("Talent not found.", code="talent_not_found")
    return candidate


EXPORT_FORMATS = ("jsonresume",)


def talent_export(*, candidate: Candidate, export_format: str, data: dict[str, Any]) -> dict[str, Any]:
    """The candidate's CV in an open exchange format; ``data`` is the cv-data the caller may see (masked or not)."""
    if export_format not in EXPORT_FORMATS:
        raise ApplicationError(
            f"Unknown export format '{export_format}'. Supported: {', '.join(EXPORT_FORMATS)}.",
            code="unsupported_format",
        )
    return to_json_resume(data, last_modified=candidate.updated_at.isoformat() if candidate.updated_at else None)


# --- tasks: a batch upload, or one CV job ------------------------------------------------------------


def task_get(*, task_id: Any) -> Batch | CVJob:
    if is_uuid(task_id):
        batch = Batch.objects.filter(pk=task_id).first()
        if batch is not None:
            return batch
        job = CVJob.objects.select_related("candidate").filter(pk=task_id).first()
        if job is not None:
            return job
    raise NotFound("Task not found.", code="task_not_found")


_JOB_STATUS: dict[str, str] = {CVJob.Status.QUEUED: "pending"}
_STAGE_STEPS: list[str] = [Stage.QUEUED, Stage.EXTRACTING_TEXT, Stage.PARSING, Stage.ENRICHING, Stage.COMPLETED]


def _progress(current: int, total: int, message: str) -> dict[str, Any]:
    return {"current": current, "total": total, "percentage": round(100.0 * current / total, 1) if total else 100.0,
            "message": message}


def batch_status(batch: Batch, counts: dict[str, int]) -> str:
    finished = counts["completed"] + counts["failed"] + counts["cancelled"]
    if batch.status == Batch.Status.CANCELLED:
        return Batch.Status.CANCELLED
    if finished >= batch.total:
        return Batch.Status.FAILED if batch.total and counts["completed"] == 0 and counts["failed"] else Batch.Status.COMPLETED
    if finished or counts["running"]:
        return Batch.Status.RUNNING
    return Batch.Status.PENDING


def batch_counts(batch: Batch) -> dict[str, int]:
    counts = dict.fromkeys(["queued", "running", "completed", "failed", "cancelled"], 0)
    for row in CVJob.objects.filter(batch=batch).values("status").annotate(n=Count("id")):
        counts[row["status"]] = row["n"]
    screened = CVJob.objects.filter(batch=batch, status=CVJob.Status.COMPLETED)
    counts["qualified"] = screened.filter(enrichment__screening__is_qualified=True).count()
    counts["unqualified"] = screened.filter(enrichment__screening__is_qualified=False).count()
    return counts


def job_progress(job: CVJob) -> dict[str, Any]:
    """A CV job's progress as its stages go: {current, total, percentage, message}."""
    # Only some jobs render documents: counted as the end of enriching, so every job has the same steps.
    stage = Stage.ENRICHING if job.stage == Stage.RENDERING else job.stage
    step = _STAGE_STEPS.index(stage) if stage in _STAGE_STEPS else len(_STAGE_STEPS) - 1
    return _progress(step, len(_STAGE_STEPS) - 1, job.error_message or job.stage)


def task_payload(task: Batch | CVJob) -> dict[str, Any]:
    """The task body of GET /talents/tasks/{id} and of /ws/tasks task_update events."""
    if isinstance(task, Batch):
        counts = batch_counts(task)
        finished = counts["completed"] + counts["failed"] + counts["cancelled"]
        status = batch_status(task, counts)
        message = f"Processed {finished} of {task.total} files"
        if counts["failed"]:
            message += f" ({counts['failed']} failed)"
        if status == Batch.Status.CANCELLED:
            message += "; cancelled"
        return {
            "id": str(task.pk), "task_id": str(task.pk), "kind": "batch", "name": f"Batch upload ({task.total} files)",
            "status": status, "progress": _progress(finished, task.total, message), "counts": counts,
            "condition_id": str(task.condition_id) if task.condition_id else None,
            "created_at": task.created_at.isoformat(), "finished_at": task.finished_at.isoformat() if task.finished_at else None,
        }
    screening = (task.enrichment or {}).get("screening") or {}
    return {
        "id": str(task.pk), "task_id": str(task.pk), "kind": "cv_job", "name": task.file_name,
        "status": _JOB_STATUS.get(task.status, task.status),
        "progress": job_progress(task),
        "talent_id": str(task.candidate_id) if task.candidate_id else None,
        "is_qualified": screening.get("is_qualified"), "qualification_reason": screening.get("summary"),
        "error_code": task.error_code or None, "processing_time": task.processing_ms,
        "created_at": task.created_at.isoformat(), "finished_at": task.finished_at.isoformat() if task.finished_at else None,
    }

