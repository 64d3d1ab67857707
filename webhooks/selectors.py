"""Webhook reads, in the active tenant scope (or across tenants inside ``scopes_disabled()``)."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from config.errors import NotFound
from tenants.models import Endpoint
from tenants.selectors import is_uuid
from webhooks.models import WebhookAttempt, WebhookDelivery


def webhook_delivery_list(
    *, endpoint_id: Any = None, status: str | None = None, event_type: str | None = None, job_id: Any = None
) -> QuerySet[WebhookDelivery]:
    deliveries = WebhookDelivery.objects.select_related("endpoint").order_by("-created_at")
    if endpoint_id:
        deliveries = deliveries.filter(endpoint_id=endpoint_id)
    if status:
        deliveries = deliveries.filter(status=status)
    if event_type:
        deliveries = deliveries.filter(event_type=event_type)
    if job_id:
        deliveries = deliveries.filter(job_id=job_id)
    return deliveries


def webhook_deliveries_for_endpoint(*, endpoint: Endpoint) -> QuerySet[WebhookDelivery]:
    return webhook_delivery_list(endpoint_id=endpoint.pk)


def webhook_delivery_get(*, delivery_id: Any) -> WebhookDelivery:
    """The delivery in the current tenant scope; another tenant's or a malformed id is 404."""
    delivery = (
        WebhookDelivery.objects.select_related("endpoint").filter(pk=delivery_id).first() if is_uuid(delivery_id) else None
    )
    if delivery is None:
        raise NotFound("Webhook delivery not found.")
    return delivery


def webhook_deliveries_get(*, delivery_ids: list[Any]) -> list[WebhookDelivery]:
    """All of them or 404 naming the missing ones, so a bulk action never half-applies to a typo."""
    wanted = list(dict.fromkeys(str(uuid.UUID(str(v))) if is_uuid(v) else str(v) for v in delivery_ids))
    found = {
        str(d.pk): d
        for d in WebhookDelivery.objects.select_related("endpoint").filter(pk__in=[v for v in wanted if is_uuid(v)])
    }
    missing = [value for value in wanted if value not in found]
    if missing:
        raise NotFound(f"Webhook deliveries not found: {', '.join(missing[:20])}.")
    return [found[value] for value in wanted]


def webhook_delivery_attempts(*, delivery: WebhookDelivery) -> QuerySet[WebhookAttempt]:
    return WebhookAttempt.objects.filter(delivery=delivery).order_by("number")


def endpoints_with_disabled_webhooks() -> QuerySet[Endpoint]:
    """For the admin's notice: endpoints whose webhooks the circuit breaker (or a 410) switched off."""
    return Endpoint.objects.filter(webhooks_disabled_at__isnull=False).order_by("-webhooks_disabled_at")
