"""Writes of the analytics app: embeddings of candidates, and answering questions about the pool."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Generator
from typing import Any

from django.conf import settings
from django.db import connection, transaction
from django.db.models import Exists, OuterRef, Q

from analytics import answers
from analytics.embeddings import embed_one, embedding_provider
from analytics.models import AnalysisQuery, CandidateEmbedding
from analytics.questions import Filters, detect_language, parse_question, search_terms
from analytics.retrieval import hybrid_search
from analytics.selectors import candidate_distribution, location_vocabulary, skill_vocabulary
from analytics.texts import SEARCH_VECTOR_SQL, candidate_passages, cjk_bigrams, content_hash, fts_config, profile_text
from cvs.models import Candidate
from cvs.progress import publish_task_update
from tenants.scoping import required_tenant_id, scopes_disabled
from tenants.tasks_base import DB_OUTAGE_ERRORS

logger = logging.getLogger(__name__)

SOURCE_CONTENT_CHARS = 500


# --- embeddings -------------------------------------------------------------------------------


def candidate_embed(*, candidate_id: Any) -> dict[str, int]:
    """(Re-)embed one candidate's passages. Idempotent: unchanged text with the current model is skipped."""
    candidate = Candidate.objects.filter(pk=candidate_id).first()
    if candidate is None or candidate.is_deleted:
        deleted, _ = CandidateEmbedding.objects.filter(candidate_id=candidate_id).delete()
        return {"embedded": 0, "kept": 0, "deleted": deleted}
    provider = embedding_provider()
    passages = candidate_passages(candidate)
    existing = {(row.kind, row.position): row for row in CandidateEmbedding.objects.filter(candidate=candidate)}
    todo = [
        passage
        for passage in passages
        if not (
            (row := existing.get((passage.kind, passage.position)))
            and row.content_hash == content_hash(passage.content)
            and row.model == provider.name
            and row.dim == provider.dim
        )
    ]
    vectors = provider.embed([passage.content for passage in todo]) if todo else []
    wanted = {(passage.kind, passage.position) for passage in passages}
    with transaction.atomic():
        stale_positions = [row.pk for key, row in existing.items() if key not in wanted]
        CandidateEmbedding.objects.filter(pk__in=stale_positions).delete()
        for passage, vector in zip(todo, vectors, strict=True):
            row, _ = CandidateEmbedding.objects.update_or_create(
                candidate=candidate,
                kind=passage.kind,
                position=passage.position,
                defaults={
                    "tenant_id": candidate.tenant_id,
                    "content": passage.content,
                    "content_hash": content_hash(passage.content),
                    "language": candidate.language,
                    "embedding": vector,
                    "model": provider.name,
                    "dim": provider.dim,
                },
            )
            _index_text(row.pk, passage.content, candidate.language)
    return {"embedded": len(todo), "kept": len(passages) - len(todo), "deleted": len(stale_positions)}


def _index_text(row_id: int, content: str, language: str) -> None:
    vector_sql = SEARCH_VECTOR_SQL.format(config="%(config)s", content="%(content)s", bigrams="%(bigrams)s")
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE analytics_candidateembedding SET search_vector = {vector_sql} WHERE id = %(id)s",
            {"config": fts_config(language), "content": content, "bigrams": cjk_bigrams(content), "id": row_id},
        )


def candidate_embedding_queue(*, tenant_id: Any, candidate_id: Any) -> None:
    """Queue the candidate's (re-)embedding. Best effort (robust): with the broker down, the CV job
    that changed the candidate must still complete; beat's ``refresh_embeddings`` queues what is missing."""
    from analytics.tasks import embed_candidate

    transaction.on_commit(
        lambda: embed_candidate.apply_async(kwargs={"tenant_id": str(tenant_id), "candidate_id": str(candidate_id)}, queue="embeddings"),
        robust=True,
    )


def _needing_embedding(candidates: Any) -> tuple[Any, Any]:
    """(missing, stale) candidate querysets: no profile vector, or a vector of another model/dimension."""
    provider = embedding_provider()
    rows = CandidateEmbedding.objects.filter(candidate=OuterRef("pk"))
    missing = candidates.filter(~Exists(rows.filter(kind=CandidateEmbedding.Kind.PROFILE)))
    stale = candidates.filter(Exists(rows.filter(~Q(model=provider.name) | ~Q(dim=provider.dim))))
    return missing, stale


def embeddings_sync(*, fix: bool) -> dict[str, Any]:
    """Compare the current tenant's candidates with their vectors; with ``fix``, queue the re-embedding."""
    candidates = Candidate.objects.live()
    missing, stale = _needing_embedding(candidates)
    missing_ids = set(missing.values_list("pk", flat=True))
    stale_ids = set(stale.values_list("pk", flat=True))
    queued = 0
    if fix:
        tenant_id = required_tenant_id()
        for candidate_id in missing_ids | stale_ids:
            candidate_embedding_queue(tenant_id=tenant_id, candidate_id=candidate_id)
            queued += 1
    return {"checked": candidates.count(), "missing": len(missing_ids), "stale": len(stale_ids), "queued": queued,
            "missing_ids": sorted(map(str, missing_ids)), "stale_ids": sorted(map(str, stale_ids))}


def embeddings_refresh_all(*, limit: int = 500) -> int:
    """Beat: queue candidates of every tenant whose vectors are missing or from another model. Bounded per run."""
    with scopes_disabled():
        candidates = Candidate.objects.live()
        missing, stale = _needing_embedding(candidates)
        pairs = list((missing | stale).values_list("tenant_id", "pk").distinct()[:limit])
    for tenant_id, candidate_id in pairs:
        candidate_embedding_queue(tenant_id=tenant_id, candidate_id=candidate_id)
    return len(pairs)


# --- answering questions ------------------------------------------------------------------


ProgressCallback = Callable[[int, str], None]


def _record(candidate: Candidate, similarity: float) -> dict[str, Any]:
    return {
        "id": str(candidate.pk),
        "name": candidate.name,
        "headline": candidate.headline,
        "school": candidate.school,
        "location": candidate.location,
        "education_level": candidate.education_level,
        "years_of_experience": candidate.years_of_experience,
        "skills": list(candidate.skills or []),
        "similarity": similarity,
    }


def analysis_retrieve(
    *, question: str, top_k: int, filters: Filters | None = None, progress: ProgressCallback | None = None
) -> answers.Retrieved:
    """Read the question, retrieve the tenant's best candidates and compute the analytics."""
    progress = progress or (lambda step, message: None)
    language = detect_language(question)
    parsed = parse_question(question, skills_vocabulary=skill_vocabulary(), locations_vocabulary=location_vocabulary())
    applied = parsed.merged_with(filters or Filters())
    progress(1, "retrieving")
    hits = hybrid_search(vector=embed_one(question), text=search_terms(question), language=language, filters=applied, k=top_k)
    candidates = Candidate.objects.in_bulk([hit.candidate_id for hit in hits])
    progress(2, "analysing")
    records: list[dict[str, Any]] = []
    sources: list[dict[str, Any]] = []
    for hit in hits:
        candidate = candidates.get(hit.candidate_id)
        if candidate is None:
            continue
        records.append(_record(candidate, hit.similarity))
        sources.append(
            {
                "id": str(candidate.pk),
                "name": candidate.name,
                "school": candidate.school,
                "similarity": hit.similarity,
                "content": profile_text(candidate)[:SOURCE_CONTENT_CHARS],
            }
        )
    # With structured filters the analytics describe every matching candidate, not only the top k.
    scope_ids = None if not applied.is_empty() else [source["id"] for source in sources]
    analytics = candidate_distribution(filters=applied, candidate_ids=scope_ids)
    similarities = [source["similarity"] for source in sources]
    analytics["avg_similarity"] = round(sum(similarities) / len(similarities), 4) if similarities else 0.0
    analytics = {key: analytics[key] for key in ("total_count", "avg_similarity", "by_education", "top_skills")}
    return answers.Retrieved(
        question=question, language=language, filters=applied, sources=sources, analytics=analytics, records=records
    )


def analysis_query_create(*, tenant_id: Any, user: Any, question: str, top_k: int, filters: Filters, mode: str) -> AnalysisQuery:
    return AnalysisQuery.objects.create(
        tenant_id=tenant_id,
        created_by=user if getattr(user, "pk", None) else None,
        question=question,
        language=detect_language(question),
        top_k=top_k,
        filters=filters.as_dict(),
        mode=mode,
    )


def _result(retrieved: answers.Retrieved, answer: str) -> dict[str, Any]:
    return {
        "answer": answer,
        "sources": retrieved.sources,
        "analytics": retrieved.analytics,
        "language": retrieved.language,
        "filters": retrieved.filters.as_dict(),
    }


def _finish(query: AnalysisQuery, *, result: dict[str, Any], llm_used: bool, started: float) -> None:
    query.status = AnalysisQuery.Status.COMPLETED
    query.result = result
    query.filters = result["filters"]
    query.llm_used = llm_used
    query.duration_ms = int((time.monotonic() - started) * 1000)
    query.progress = {**_progress(3, "completed"), "percentage": 100.0}
    query.save()


def _fail(query: AnalysisQuery, exc: Exception) -> None:
    query.status = AnalysisQuery.Status.FAILED
    query.error = getattr(exc, "message", None) or str(exc) or exc.__class__.__name__
    query.save(update_fields=["status", "error", "updated_at"])


STEPS = 3


def _progress(current: int, message: str) -> dict[str, Any]:
    return {"current": current, "total": STEPS, "percentage": round(100 * current / STEPS, 2), "message": message}


def _publish(query: AnalysisQuery) -> None:
    """Background queries report progress on /ws/tasks too; in-request ones have nobody waiting there."""
    if query.mode == AnalysisQuery.Mode.ASYNC:
        publish_task_update(
            query.tenant_id,
            {"type": "task_update", "task_id": str(query.pk), "name": "analysis_query",
             "data": {"status": query.status, "progress": query.progress}},
        )


def analysis_query_run(*, query_id: Any) -> AnalysisQuery:
    """Answer a stored query (the async task and the synchronous endpoint both end up here)."""
    query = AnalysisQuery.objects.get(pk=query_id)
    if query.is_finished:
        return query  # redelivered task: the answer is already stored

    def progress(step: int, message: str) -> None:
        query.status = AnalysisQuery.Status.RUNNING
        query.progress = _progress(step, message)
        query.save(update_fields=["status", "progress", "updated_at"])
        _publish(query)

    started = time.monotonic()
    try:
        retrieved = analysis_retrieve(question=query.question, top_k=query.top_k, filters=Filters(**query.filters), progress=progress)
        progress(3, "generating answer")
        parts, llm_used = [], False
        for delta, from_llm in answers.answer_stream(retrieved):
            parts.append(delta)
            llm_used = llm_used or from_llm
    except DB_OUTAGE_ERRORS:
        raise  # not the query's fault, and not recordable: the task retries it once the database is back
    except Exception as exc:
        _fail(query, exc)
        raise
    _finish(query, result=_result(retrieved, "".join(parts)), llm_used=llm_used, started=started)
    _publish(query)
    return query


def analysis_query_queue(*, query: AnalysisQuery) -> None:
    from analytics.tasks import run_analysis_query

    transaction.on_commit(
        lambda: run_analysis_query.apply_async(kwargs={"tenant_id": str(query.tenant_id), "query_id": str(query.pk)}, queue="llm")
    )


def analysis_stream(*, query: AnalysisQuery) -> Generator[dict[str, Any]]:
    """Events for SSE: sources and analytics first, then answer deltas, then the stored summary."""
    started = time.monotonic()
    try:
        retrieved = analysis_retrieve(question=query.question, top_k=query.top_k, filters=Filters(**query.filters))
        yield {"type": "sources", "query_id": str(query.pk), "sources": retrieved.sources, "analytics": retrieved.analytics,
               "language": retrieved.language, "filters": retrieved.filters.as_dict()}
        parts, llm_used = [], False
        for delta, from_llm in answers.answer_stream(retrieved):
            parts.append(delta)
            llm_used = llm_used or from_llm
            # "text" is what the AI API patterns' clients read; "content" stays for earlier clients.
            yield {"type": "delta", "content": delta, "text": delta}
    except GeneratorExit:
        query.status = AnalysisQuery.Status.CANCELLED
        query.save(update_fields=["status", "updated_at"])
        raise
    except Exception as exc:
        logger.exception("Streaming analysis %s failed", query.pk)
        _fail(query, exc)
        yield {"type": "error", "message": query.error}
        return
    _finish(query, result=_result(retrieved, "".join(parts)), llm_used=llm_used, started=started)
    yield {"type": "done", "query_id": str(query.pk), "llm_used": llm_used, "duration_ms": query.duration_ms,
           **usage_fields(query)}


def usage_fields(query: AnalysisQuery) -> dict[str, Any]:
    """``tokens_used``, ``latency_ms`` and ``model`` of an answered query, as the AI API patterns carry them.

    Offline (rules) answers use no tokens and name the model ``rules``. The LLM path streams without a
    usage report, so its tokens are not counted (0) — see docs/analysis.md.
    """
    return {
        "tokens_used": 0,
        "latency_ms": query.duration_ms or 0,
        "model": settings.LLM_MODEL if query.llm_used and settings.LLM_MODEL else "rules",
    }

