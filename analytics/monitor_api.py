"""/api/v1/monitor: platform health for the tenant's admins and HR staff (viewers get 403).

Counts of tenant data (candidates, jobs, processing times, logs) cover the caller's tenant
only. Host metrics, queue depths and service health are about shared infrastructure and
carry no tenant data.
"""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any, Literal

from asgiref.sync import sync_to_async
from django.http import HttpRequest
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from analytics import monitor, selectors
from analytics.logstore import log_records
from config.ninja import AsyncJWTBearer
from config.rest import envelope
from tenants.access import in_tenant
from tenants.authentication import TenantRequest
from tenants.models import Role

router = Router(tags=["monitor"], auth=AsyncJWTBearer(role=Role.HR))
# The screening API reference's names for the same services, which its clients read: the database, the object
# store and the vector store (pgvector, inside PostgreSQL here).
REFERENCE_SERVICE_NAMES = {"mysql": "postgresql", "minio": "storage", "chromadb": "postgresql"}


class LogsIn(Schema):
    level: Literal["DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL"] | None = None
    limit: int = Field(100, ge=1, le=1000)


def _tenant_metrics() -> dict[str, Any]:
    now = timezone.now()
    return {
        "candidates": selectors.candidate_counts(),
        "jobs_last_hour": selectors.job_stats(since=now - timedelta(hours=1)),
        "processing_time_last_hour": selectors.processing_time_percentiles(since=now - timedelta(hours=1)),
        "processing_time_last_24h": selectors.processing_time_percentiles(since=now - timedelta(hours=24)),
        "embeddings": selectors.embedding_counts(),
    }


@router.get("/metrics")
async def metrics(request: HttpRequest) -> dict[str, Any]:
    system, queues, tenant = await asyncio.gather(
        sync_to_async(monitor.system_metrics, thread_sensitive=False)(),
        sync_to_async(monitor.queue_depths, thread_sensitive=False)(),
        in_tenant(request, _tenant_metrics),
    )
    candidates = tenant["candidates"]
    data = {
        **system,
        "talent_count": candidates["total"],
        "qualified_count": candidates["qualified"],
        "unqualified_count": candidates["unqualified"],
        "queues": queues,
        **tenant,
    }
    return envelope(data)


@router.get("/logs")
async def logs(request: TenantRequest, params: Query[LogsIn]) -> dict[str, Any]:
    records = await sync_to_async(log_records, thread_sensitive=False)(
        tenant_id=request.auth.tenant.pk, level=params.level or "", limit=params.limit
    )
    return envelope({"items": records, "count": len(records)})


@router.get("/services")
async def services(request: HttpRequest) -> dict[str, Any]:
    # The database check shares the request thread's connection; the rest run side by side.
    names = list(monitor.CHECKS)
    results = await asyncio.gather(
        *(sync_to_async(monitor.run_check, thread_sensitive=name == "postgresql")(name) for name in names)
    )
    data = dict(zip(names, results, strict=True))
    statuses = {result["status"] for result in results}
    overall = monitor.DOWN if monitor.DOWN in statuses else monitor.DEGRADED if monitor.DEGRADED in statuses else monitor.HEALTHY
    references = {alias: data[name] for alias, name in REFERENCE_SERVICE_NAMES.items()}
    return envelope({"overall": overall, **data, **references})
