"""Reads over the CV pool: vocabularies, distributions, job statistics and analysis history.

Everything here runs in the active tenant scope (the scoped managers filter by it); the admin
dashboard may call the statistics under ``scopes_disabled()`` for a platform-wide view.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Count, Func, Q
from django.utils import timezone

from analytics.models import AnalysisQuery, CandidateEmbedding
from analytics.questions import Filters
from analytics.retrieval import filter_sql
from config.errors import NotFound
from config.pagination import Page
from cvs.models import Candidate, CVJob
from tenants.scoping import required_tenant_id


def skill_vocabulary() -> list[str]:
    return list(
        Candidate.objects.live()
        .annotate(skill=Func("skills", function="unnest"))
        .values_list("skill", flat=True)
        .distinct()
    )


def location_vocabulary() -> list[str]:
    return list(Candidate.objects.live().exclude(location="").values_list("location", flat=True).distinct())


def candidate_distribution(*, filters: Filters, candidate_ids: list[Any] | None = None, top: int = 10) -> dict[str, Any]:
    """Count, education levels and top skills of the tenant's candidates matching ``filters`` (or of ``candidate_ids``)."""
    predicates, params = filter_sql(filters)
    params["tenant"] = required_tenant_id()
    if candidate_ids is not None:
        predicates += " AND c.id = ANY(%(ids)s)"
        params["ids"] = list(candidate_ids)
    where = predicates
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COALESCE(NULLIF(c.education_level, ''), 'unknown'), count(*) FROM cvs_candidate c WHERE {where} "
            "GROUP BY 1 ORDER BY 2 DESC, 1",
            params,
        )
        by_education = dict(cursor.fetchall())
        cursor.execute(
            f"SELECT min(s), count(DISTINCT c.id) FROM cvs_candidate c, unnest(c.skills) AS s WHERE {where} "
            "GROUP BY lower(s) ORDER BY 2 DESC, 1 LIMIT %(top)s",
            {**params, "top": top},
        )
        top_skills = [{"name": name, "count": count} for name, count in cursor.fetchall()]
    return {"total_count": sum(by_education.values()), "by_education": by_education, "top_skills": top_skills}


def analysis_query_get(*, query_id: Any) -> AnalysisQuery:
    query = AnalysisQuery.objects.filter(pk=query_id).first()
    if query is None:
        raise NotFound("Analysis task not found.")
    return query


def analysis_history(*, page: Page) -> tuple[list[AnalysisQuery], int]:
    return page.of(AnalysisQuery.objects.select_related("created_by"))


# --- statistics for the monitor and the admin dashboard -------------------------------------


def job_stats(*, since: datetime | None = None) -> dict[str, int]:
    """CV jobs by status created since ``since`` (all time when None)."""
    jobs = CVJob.objects.all()
    if since is not None:
        jobs = jobs.filter(created_at__gte=since)
    counts = dict(jobs.values_list("status").annotate(n=Count("id")).values_list("status", "n"))
    return {status: counts.get(status, 0) for status in CVJob.Status.values}


def processing_time_percentiles(*, since: datetime | None = None) -> dict[str, float | int | None]:
    """p50 / p95 of ``processing_ms`` over completed jobs (PostgreSQL percentile_cont, no rows pulled)."""
    jobs = CVJob.objects.filter(status=CVJob.Status.COMPLETED, processing_ms__isnull=False)
    if since is not None:
        jobs = jobs.filter(finished_at__gte=since)
    sql, params = jobs.values("processing_ms").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY t.processing_ms), "
            f"percentile_cont(0.95) WITHIN GROUP (ORDER BY t.processing_ms) FROM ({sql}) AS t",
            params,
        )
        count, p50, p95 = cursor.fetchone()
    return {"count": count, "p50_ms": round(p50, 1) if p50 is not None else None, "p95_ms": round(p95, 1) if p95 is not None else None}


def top_skills(*, limit: int = 10) -> list[dict[str, Any]]:
    rows = (
        Candidate.objects.live()
        .annotate(skill=Func("skills", function="unnest"))
        .values("skill")
        .annotate(count=Count("id"))
        .order_by("-count", "skill")[:limit]
    )
    return [{"name": row["skill"], "count": row["count"]} for row in rows]


def candidates_by_education() -> dict[str, int]:
    rows = Candidate.objects.live().values_list("education_level").annotate(n=Count("id"))
    return {level or "unknown": count for level, count in rows.order_by("-n")}


def candidate_counts() -> dict[str, int]:
    counts = Candidate.objects.aggregate(
        total=Count("id", filter=Q(is_deleted=False)),
        deleted=Count("id", filter=Q(is_deleted=True)),
        qualified=Count("id", filter=Q(is_deleted=False, screening_status="qualified")),
        unqualified=Count("id", filter=Q(is_deleted=False, screening_status="unqualified")),
        last_24h=Count("id", filter=Q(is_deleted=False, created_at__gte=timezone.now() - timedelta(hours=24))),
    )
    return counts


def embedding_counts() -> dict[str, int]:
    from analytics.embeddings import embedding_provider

    provider = embedding_provider()
    return CandidateEmbedding.objects.aggregate(
        vectors=Count("id"),
        candidates=Count("candidate_id", distinct=True),
        stale=Count("id", filter=~Q(model=provider.name) | ~Q(dim=provider.dim)),
    )
