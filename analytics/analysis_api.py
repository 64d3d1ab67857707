"""/api/v1/analysis: questions over the tenant's CV pool (django-ninja, async).

Every role may ask (viewer included, as questions change nothing but the history), and client systems
may ask ``query`` and ``stream`` with their API key (Bearer or ``X-API-Key``) within the key's tenant. ORM work
runs in ``sync_to_async`` with the caller's tenant scope entered inside the worker thread:
the scope is a contextvar, so it is set where the queries run, not around the await.
"""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse
from ninja import Field, Query, Router, Schema
from pydantic import AliasChoices, StringConstraints

from analytics import selectors, services
from analytics.models import AnalysisQuery
from analytics.questions import Filters
from analytics.reports import analysis_report_markdown
from config.errors import Conflict, NotFound
from config.ninja import JWT_OR_API_KEY, api
from config.pagination import DEFAULT_PAGE_SIZE, Page
from config.rest import envelope
from cvs.candidate_data import requested_language
from cvs.extraction.levels import RANKED_LEVELS, level_label
from tenants.access import in_tenant
from tenants.authentication import TenantRequest

router = Router(tags=["analysis"])


class FiltersIn(Schema):
    min_years: float | None = Field(None, ge=0, le=80)
    max_years: float | None = Field(None, ge=0, le=80)
    education_min: Literal[RANKED_LEVELS] | None = None  # type: ignore[valid-type]
    skills: list[Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=100)]] = Field(
        default_factory=list, max_length=20
    )
    location: str | None = Field(None, min_length=1, max_length=200)


class QueryIn(Schema):
    question: str = Field(min_length=2, max_length=2000, validation_alias=AliasChoices("question", "query"))
    top_k: int = Field(10, ge=1, le=50, validation_alias=AliasChoices("top_k", "max_results"))
    filters: FiltersIn | None = None
    stream: bool = Field(False, description="true: answer as server-sent events, like POST /analysis/stream.")

    def explicit_filters(self) -> Filters:
        return Filters(**self.filters.model_dump()) if self.filters else Filters()


class PageIn(Schema):
    page: int = Field(1, ge=1)
    page_size: int = Field(DEFAULT_PAGE_SIZE, ge=1, le=100)


def _create(request: TenantRequest, payload: QueryIn, mode: str) -> AnalysisQuery:
    return services.analysis_query_create(
        tenant_id=request.auth.tenant.pk,
        user=request.user,
        question=payload.question.strip(),
        top_k=payload.top_k,
        filters=payload.explicit_filters(),
        mode=mode,
    )


def task_payload(query: AnalysisQuery) -> dict[str, Any]:
    return {
        "id": str(query.pk),
        "name": "analysis_query",
        "question": query.question,
        "status": query.status,
        "progress": query.progress or {"current": 0, "total": services.STEPS, "percentage": 0.0, "message": "queued"},
        "result": query.result,
        "error": query.error or None,
        "created_at": query.created_at.isoformat(),
        "updated_at": query.updated_at.isoformat(),
    }


def history_item(query: AnalysisQuery) -> dict[str, Any]:
    return {
        "id": str(query.pk),
        "question": query.question,
        "language": query.language,
        "mode": query.mode,
        "status": query.status,
        "top_k": query.top_k,
        "filters": query.filters,
        "total_count": (query.result or {}).get("analytics", {}).get("total_count"),
        "llm_used": query.llm_used,
        "duration_ms": query.duration_ms,
        "created_by": query.created_by.get_username() if query.created_by else None,
        "created_at": query.created_at.isoformat(),
    }


@router.post("/query", auth=JWT_OR_API_KEY)
async def query(request: TenantRequest, payload: QueryIn) -> Any:
    if payload.stream:
        return await stream(request, payload)

    def run() -> dict[str, Any]:
        stored = _create(request, payload, AnalysisQuery.Mode.SYNC)
        answered = services.analysis_query_run(query_id=stored.pk)
        assert answered.result is not None  # created just above, so run answered it (or raised)
        return {**(_levels_named(answered.result, request) or {}), **services.usage_fields(answered)}

    return envelope(await in_tenant(request, run), "Query answered.")


@router.post("/query-async")
async def query_async(request: TenantRequest, payload: QueryIn) -> HttpResponse:
    def run() -> AnalysisQuery:
        stored = _create(request, payload, AnalysisQuery.Mode.ASYNC)
        services.analysis_query_queue(query=stored)
        return stored

    stored = await in_tenant(request, run)
    data = {"task_id": str(stored.pk), "status": stored.status, "message": "The query runs in the background."}
    return api.create_response(request, envelope(data, "Task created."), status=202)


@router.get("/tasks/{task_id}")
async def task_status(request: HttpRequest, task_id: str) -> dict[str, Any]:
    stored = await in_tenant(request, selectors.analysis_query_get, query_id=_uuid(task_id))
    payload = task_payload(stored)
    return envelope({**payload, "result": _levels_named(payload["result"], request)})


@router.get("/tasks/{task_id}/export")
async def task_export(request: HttpRequest, task_id: str) -> HttpResponse:
    stored = await in_tenant(request, selectors.analysis_query_get, query_id=_uuid(task_id))
    if stored.status != AnalysisQuery.Status.COMPLETED:
        raise Conflict(f"The task is {stored.status}; only completed tasks can be exported.", code="task_not_completed")
    response = HttpResponse(analysis_report_markdown(stored), content_type="text/markdown; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="analysis-{stored.pk}.md"'
    return response


@router.get("/history")
async def history(request: HttpRequest, params: Query[PageIn]) -> dict[str, Any]:
    page = Page(params.page, params.page_size)
    items, total = await in_tenant(request, selectors.analysis_history, page=page)
    return envelope(page.body([history_item(item) for item in items], total))


@router.post("/stream", auth=JWT_OR_API_KEY)
async def stream(request: TenantRequest, payload: QueryIn) -> StreamingHttpResponse:
    stored = await in_tenant(request, _create, request, payload, AnalysisQuery.Mode.STREAM)
    events = services.analysis_stream(query=stored)
    done = object()

    async def sse() -> AsyncIterator[str]:
        try:
            while (event := await in_tenant(request, next, events, done)) is not done:
                yield f"data: {json.dumps(event, ensure_ascii=False, default=str)}\n\n"
            yield "data: [DONE]\n\n"
        finally:
            await in_tenant(request, events.close)  # a client that went away cancels the query

    response = StreamingHttpResponse(sse(), content_type="text/event-stream; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    response["X-Accel-Buffering"] = "no"  # nginx would otherwise hold the stream back
    return response


def _levels_named(result: dict[str, Any] | None, request: HttpRequest) -> dict[str, Any] | None:
    """``analytics.by_education`` keyed in the caller's language when asked (?lang=zh → 本科); codes otherwise."""
    language = requested_language(request)
    analytics = (result or {}).get("analytics")
    if result is None or not language or not isinstance(analytics, dict) or not analytics.get("by_education"):
        return result
    by_education = {level_label(level, language): count for level, count in analytics["by_education"].items()}
    return {**result, "analytics": {**analytics, "by_education": by_education}}


def _uuid(raw: str) -> str:
    """A malformed id is simply not found (not a 500 from the UUID cast)."""
    try:
        return str(uuid.UUID(raw))
    except ValueError as exc:
        raise NotFound("Analysis task not found.") from exc
