"""Celery task base class that enters the tenant scope, as pretix's tasks do."""

from __future__ import annotations

from typing import Any

from celery import Task

from tenants.scoping import tenant_scope


class TenantTask(Task):
    """Tasks are called with ``tenant_id=`` and run inside that tenant's scope.

    acks_late with reject-on-worker-lost means a task whose worker dies is redelivered,
    so every task built on this base must be idempotent.
    """

    abstract = True
    acks_late = True
    reject_on_worker_lost = True

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        with tenant_scope(kwargs["tenant_id"]):
            return super().__call__(*args, **kwargs)
