from __future__ import annotations

import time

from celery import shared_task
from django.core.cache import cache

HEARTBEAT_KEY = "celery:heartbeat"


@shared_task(acks_late=True, ignore_result=True)
def record_worker_heartbeat() -> float:
    """Beat sends this every 30 s; the monitor reports Celery as down when it goes stale."""
    now = time.time()
    cache.set(HEARTBEAT_KEY, now, timeout=3600)
    return now
