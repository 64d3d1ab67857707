"""Writes for screening: conditions, results (one per candidate and condition) and tenant schools."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from itertools import islice
from typing import Any

from django.db import transaction

from config.errors import ApplicationError, Conflict
from cvs.models import Candidate, CVJob, ScreeningStatus
from screening import selectors
from screening.criteria import Criteria, criteria_dump, criteria_parse
from screening.engine import Profile, Screener
from screening.models import ScreeningCondition, ScreeningResult, TenantSchool
from tenants.models import Tenant

logger = logging.getLogger(__name__)

# Statuses screening may set; the HR workflow statuses (interview, hired, rejected) are left alone.
AUTOMATIC_STATUSES = {ScreeningStatus.PENDING, ScreeningStatus.QUALIFIED, ScreeningStatus.UNQUALIFIED}


# --- conditions -------------------------------------------------------------------------------


def _criteria_validated(raw: Any) -> dict[str, Any]:
    criteria = criteria_parse(raw)
    known_tiers = selectors.school_index().tiers
    unknown = criteria.tiers() - known_tiers
    if unknown:
        known = ", ".join(sorted(known_tiers))
        raise ApplicationError(
            f"criteria.school_tier: unknown tier(s) {', '.join(sorted(unknown))}; known tiers: {known}.", code="invalid_criteria"
        )
    return criteria_dump(criteria)


def condition_create(
    *, tenant: Tenant, name: str, description: str = "", criteria: dict[str, Any] | None = None,
    is_active: bool = True, created_by: Any = None,
) -> ScreeningCondition:
    return ScreeningCondition.objects.create(
        tenant=tenant, name=name, description=description, criteria=_criteria_validated(criteria or {}),
        is_active=is_active, created_by=created_by,
    )


def condition_update(*, condition: ScreeningCondition, criteria: dict[str, Any] | None = None, **fields: Any) -> ScreeningCondition:
    """Update fields; ``criteria`` is merged key by key (a null value removes a criterion).

    Results are recomputed in the background when the criteria actually change.
    """
    changed = False
    if criteria is not None:
        merged = {key: value for key, value in {**condition.criteria, **criteria}.items() if value is not None}
        validated = _criteria_validated(merged)
        changed = validated != condition.criteria
        condition.criteria = validated
    for name, value in fields.items():
        setattr(condition, name, value)
    with transaction.atomic():
        condition.save()
        if changed:
            condition_rescreen_queue(condition=condition)
    return condition


def condition_delete(*, condition: ScreeningCondition) -> None:
    condition.delete()


def condition_rescreen_queue(*, condition: ScreeningCondition, scope: str = "screened") -> None:
    from screening.tasks import screening_condition_rescreen_task

    kwargs = {"tenant_id": str(condition.tenant_id), "condition_id": str(condition.pk), "scope": scope}
    transaction.on_commit(lambda: screening_condition_rescreen_task.apply_async(kwargs=kwargs, queue="default"))


# --- results ------------------------------------------------------------------------------------


def _save_results(pairs: list[tuple[Candidate, ScreeningCondition]], screener: Screener) -> list[ScreeningResult]:
    """Evaluate and upsert in one statement (ON CONFLICT on candidate and condition keeps ``created_at``)."""
    criteria: dict[Any, Criteria] = {}
    rows = []
    for candidate, condition in pairs:
        if condition.pk not in criteria:
            criteria[condition.pk] = criteria_parse(condition.criteria)
        evaluation = screener.evaluate(criteria[condition.pk], Profile.from_candidate(candidate))
        rows.append(ScreeningResult(
            tenant_id=candidate.tenant_id, candidate=candidate, condition=condition, is_qualified=evaluation.is_qualified,
            score=evaluation.score, reasons=evaluation.reasons, summary=evaluation.summary,
        ))
    return ScreeningResult.objects.bulk_create(
        rows, update_conflicts=True, unique_fields=["candidate", "condition"],
        update_fields=["is_qualified", "score", "reasons", "summary", "computed_at"],
    )


def _statuses_follow(results: list[ScreeningResult], *, latest_only: bool) -> None:
    """A candidate's automatic status follows the condition it was last screened for (its newest result)."""
    if latest_only:
        newest = set(
            ScreeningResult.objects.filter(candidate_id__in=[r.candidate_id for r in results])
            .order_by("candidate_id", "-created_at")
            .distinct("candidate_id")
            .values_list("candidate_id", "condition_id")
        )
        results = [r for r in results if (r.candidate_id, r.condition_id) in newest]
    automatic = Candidate.objects.filter(screening_status__in=AUTOMATIC_STATUSES)
    for qualified, status in ((True, ScreeningStatus.QUALIFIED), (False, ScreeningStatus.UNQUALIFIED)):
        ids = [r.candidate_id for r in results if r.is_qualified is qualified]
        if ids:
            automatic.filter(pk__in=ids).exclude(screening_status=status).update(screening_status=status)


def candidate_screen(*, candidate: Candidate, condition: ScreeningCondition) -> ScreeningResult:
    """Screen one candidate now (this is their newest screening: the status follows it) and store the result."""
    results = _save_results([(candidate, condition)], Screener(selectors.school_index()))
    _statuses_follow(results, latest_only=False)
    candidate.refresh_from_db(fields=["screening_status"])
    return ScreeningResult.objects.get(candidate=candidate, condition=condition)


def _rescreen(pairs: Iterable[tuple[Candidate, ScreeningCondition]], chunk: int = 500) -> int:
    screener = Screener(selectors.school_index())
    pairs = iter(pairs)
    count = 0
    while batch := list(islice(pairs, chunk)):
        _statuses_follow(_save_results(batch, screener), latest_only=True)
        count += len(batch)
    return count


def screening_condition_rescreen(*, condition: ScreeningCondition, scope: str = "screened") -> int:
    """Recompute a condition's results: for the candidates already screened against it, or for all ("all")."""
    candidates = Candidate.objects.live() if scope == "all" else Candidate.objects.filter(screening_results__condition=condition)
    return _rescreen((candidate, condition) for candidate in candidates.iterator(chunk_size=500))


def candidate_rescreen(*, candidate: Candidate) -> int:
    """Recompute every stored result of a candidate whose data changed."""
    results = ScreeningResult.objects.filter(candidate=candidate).select_related("condition")
    return _rescreen((candidate, result.condition) for result in results)


def _condition_for_job(job: CVJob) -> ScreeningCondition | None:
    condition_id = (
        (job.options or {}).get("condition_id")
        or (job.batch.condition_id if job.batch is not None else None)
        or (job.endpoint.options.get("condition_id") if job.endpoint is not None else None)
    )
    if not condition_id:
        return None
    condition = selectors.condition_find(condition_id=condition_id)
    if condition is None or not condition.is_active:
        logger.info("Job %s names screening condition %s, which is missing or inactive", job.pk, condition_id)
        return None
    return condition


def candidate_screen_for_job(*, job: CVJob) -> dict[str, Any] | None:
    """The pipeline's enriching step: screen the job's candidate against the job's condition, if any."""
    condition = _condition_for_job(job)
    if condition is None or job.candidate is None:
        return None
    result = candidate_screen(candidate=job.candidate, condition=condition)
    return {
        "condition_id": str(condition.pk),
        "condition_name": condition.name,
        "is_qualified": result.is_qualified,
        "score": result.score,
        "reasons": result.reasons,
        "summary": result.summary,
    }


# --- tenant schools -------------------------------------------------------------------------------


def tenant_school_create(*, tenant: Tenant, name: str, aliases: list[str], tiers: list[str], country: str = "") -> TenantSchool:
    if TenantSchool.objects.filter(name=name).exists():
        raise Conflict(f"This tenant already has a school named '{name}'.", code="school_exists")
    return TenantSchool.objects.create(tenant=tenant, name=name, aliases=aliases, tiers=tiers, country=country)


def tenant_school_update(*, school: TenantSchool, **fields: Any) -> TenantSchool:
    if "name" in fields and TenantSchool.objects.filter(name=fields["name"]).exclude(pk=school.pk).exists():
        raise Conflict(f"This tenant already has a school named '{fields['name']}'.", code="school_exists")
    for name, value in fields.items():
        setattr(school, name, value)
    school.save()
    return school


def tenant_school_delete(*, school: TenantSchool) -> None:
    school.delete()
