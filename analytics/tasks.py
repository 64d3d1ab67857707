from __future__ import annotations

import time
from typing import Any

from celery import shared_task
from django.core.cache import cache

from tenants.tasks_base import TenantTask

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(acks_late=True, ignore_result=True)
def record_worker_heartbeat() -> float:
    """Beat sends this every 30 s; the monitor reports Celery as down when it goes stale."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    return now


@shared_task(base=TenantTask, ignore_result=True)
def embed_candidate(*, tenant_id: str, candidate_id: str) -> dict[str, int]:
    from analytics.services import candidate_embed

    return candidate_embed(candidate_id=candidate_id)


@shared_task(acks_late=True, ignore_result=True)
def refresh_embeddings() -> int:
    """Beat: vectors missing, or made by another model than the configured one, are queued for re-embedding."""
    from analytics.services import embeddings_refresh_all

    return embeddings_refresh_all()


@shared_task(base=TenantTask, ignore_result=True)
def run_analysis_query(*, tenant_id: str, query_id: str) -> Any:
    from analytics.services import analysis_query_run

    return str(analysis_query_run(query_id=query_id).status)
