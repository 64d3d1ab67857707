"""Thin Celery tasks: ids in, one service call."""

from __future__ import annotations

from celery import shared_task

from tenants.tasks_base import TenantTask
from webhooks import services


@shared_task(base=TenantTask, name="webhooks.deliver", ignore_result=True)
def webhook_deliver(*, delivery_id: str, attempt: int, tenant_id: str) -> None:
    services.webhook_delivery_attempt(delivery_id=delivery_id, attempt=attempt)


@shared_task(name="webhooks.sweep", ignore_result=True)
def webhook_sweep() -> int:
    """Cross-tenant: the service disables scopes for the query and enters each delivery's tenant."""
    return services.webhook_deliveries_dispatch_due()


@shared_task(name="webhooks.purge", ignore_result=True)
def webhook_purge() -> int:
    return services.webhook_deliveries_purge()
