"""Celery task base class that enters the tenant scope, as pretix's tasks do."""

from __future__ import annotations

import random
from typing import Any

from celery import Task
from django.conf import settings
from django.db import InterfaceError, OperationalError

from tenants.scoping import tenant_scope

# What a task meets while PostgreSQL restarts or fails over: the server closed the connection, refused a new
# one, or shut down mid-query.
DB_OUTAGE_ERRORS = (OperationalError, InterfaceError)
DB_RETRY_MAX_DELAY_SECONDS = 30.0


def db_outage_countdown(retries: int) -> float:
    """Seconds before retry number ``retries + 1``: doubling from CV_DB_RETRY_SECONDS up to 30 s, ±20 %
    so the tasks stopped by one outage do not all come back in the same instant."""
    delay = min(settings.CV_DB_RETRY_SECONDS * 2 ** min(retries, 16), DB_RETRY_MAX_DELAY_SECONDS)
    return delay * random.uniform(0.8, 1.2)


class TenantTask(Task):
    """Tasks are called with ``tenant_id=`` and run inside that tenant's scope.

    acks_late with reject-on-worker-lost means a task whose worker dies is redelivered,
    so every task built on this base must be idempotent. For the same reason a task that meets a database
    outage is retried, on the queue it came from, with backoff (up to CV_DB_RETRY_MAX times), rather than
    failing and leaving its work to a sweep minutes later.
    """

    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with tenant_scope(kwargs["tenant_id"]):
            try:
                return super().__call__(*args, **kwargs)
            except DB_OUTAGE_ERRORS as exc:
                queue = (self.request.delivery_info or {}).get("routing_key")
                raise self.retry(
                    exc=exc, countdown=db_outage_countdown(self.request.retries), max_retries=settings.CV_DB_RETRY_MAX,
                    **({"queue": queue} if queue else {}),
                ) from exc
