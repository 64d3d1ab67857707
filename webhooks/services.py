"""Webhook writes: emit an event, make one attempt, sweep due retries, replay, circuit breaker.

A delivery moves pending → delivering → delivered | pending (retry) | failed | held.
Attempts are queued by number: a task only runs if its number is the delivery's next
one and the row is pending, so redelivered or duplicated tasks never send twice, and a
row lock plus a lease keep two workers from sending the same attempt.
"""

from __future__ import annotations

import json
import logging
import random
import time
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from config.errors import ApplicationError, Conflict
from tenants.models import Endpoint
from tenants.scoping import scopes_disabled, tenant_scope
from tenants.tasks_base import DB_OUTAGE_ERRORS
from webhooks.models import EventType, WebhookAttempt, WebhookDelivery
from webhooks.sender import SendResult, post_signed
from webhooks.signing import signed_headers

logger = logging.getLogger(__name__)

Status = WebhookDelivery.Status


def payload_serialize(payload: dict[str, Any]) -> str:
    """Compact UTF-8 JSON. Text the database can't store as UTF-8 (lone surrogates) is escaped instead."""
    text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=False, separators=(",", ":"))
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(payload, cls=DjangoJSONEncoder, ensure_ascii=True, separators=(",", ":"))
    return text


def _attempt_lease() -> timedelta:
    # An attempt ends at WEBHOOK_TIMEOUT_SECONDS (every hop included); the margin covers the database writes.
    return timedelta(seconds=settings.WEBHOOK_TIMEOUT_SECONDS + 60)


def _retry_delay(delivery: WebhookDelivery) -> timedelta | None:
    """Delay before the next try after ``consecutive_failures`` failures; None once the schedule is spent."""
    schedule = delivery.retry_schedule or settings.WEBHOOK_RETRY_SCHEDULE
    if delivery.consecutive_failures > len(schedule):
        return None
    base = schedule[delivery.consecutive_failures - 1]
    jitter = settings.WEBHOOK_RETRY_JITTER_PERCENT / 100
    return timedelta(seconds=base * random.uniform(1 - jitter, 1 + jitter))


def _queue_attempt(delivery: WebhookDelivery) -> None:
    """Queue the next attempt after commit. If the broker is down, the sweep queues it after the dispatch lease."""
    from webhooks.tasks import webhook_deliver

    kwargs = {"delivery_id": str(delivery.pk), "attempt": delivery.attempts + 1, "tenant_id": str(delivery.tenant_id)}
    transaction.on_commit(lambda: webhook_deliver.apply_async(kwargs=kwargs, queue="webhooks"), robust=True)


def _mark_dispatched(delivery: WebhookDelivery, *, now: Any) -> None:
    """Pending, and not due again (for the sweep) until the dispatch lease runs out."""
    delivery.status = Status.PENDING
    delivery.lease_expires_at = None
    delivery.next_attempt_at = now + timedelta(seconds=settings.WEBHOOK_DISPATCH_LEASE_SECONDS)


def webhook_event_emit(
    *, endpoint: Endpoint, event_type: str, payload: dict[str, Any], job: Any = None
) -> WebhookDelivery | None:
    """Record an event for ``endpoint`` and queue its first attempt on commit. None if there is no callback URL."""
    if event_type not in EventType.values:
        raise ApplicationError(f"Unknown webhook event type '{event_type}'.", code="invalid_event_type")
    if not endpoint.callback_url:
        return None
    now = timezone.now()
    delivery = WebhookDelivery(
        tenant_id=endpoint.tenant_id, endpoint=endpoint, job=job, event_type=event_type,
        payload=payload_serialize(payload), retry_schedule=list(settings.WEBHOOK_RETRY_SCHEDULE),
    )
    held = endpoint.webhooks_disabled_at is not None
    if held:
        delivery.status = Status.HELD
    else:
        _mark_dispatched(delivery, now=now)
    with tenant_scope(endpoint.tenant_id):
        delivery.save()
    if not held:
        _queue_attempt(delivery)
    return delivery


def _claim(delivery_id: Any, attempt: int | None) -> WebhookDelivery | None:
    """Lock the row and move it to ``delivering`` if this attempt is the one due; else None."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint").filter(pk=delivery_id).first()
        )
        if delivery is None or delivery.status != Status.PENDING:
            return None  # locked by a concurrent attempt, erased, or already settled
        if attempt is not None and attempt != delivery.attempts + 1:
            return None  # a redelivered or duplicate task for an attempt already made
        endpoint = delivery.endpoint
        if endpoint.webhooks_disabled_at is not None:
            delivery.status, delivery.next_attempt_at = Status.HELD, None
            delivery.save(update_fields=["status", "next_attempt_at", "updated_at"])
            return None
        if not endpoint.callback_url:
            delivery.status, delivery.next_attempt_at = Status.FAILED, None
            delivery.last_error = "The endpoint has no callback URL."
            delivery.save(update_fields=["status", "next_attempt_at", "last_error", "updated_at"])
            return None
        delivery.status = Status.DELIVERING
        delivery.attempts += 1
        delivery.lease_expires_at = timezone.now() + _attempt_lease()
        delivery.save(update_fields=["status", "attempts", "lease_expires_at", "updated_at"])
    return delivery


def _endpoint_webhooks_disable(endpoint: Endpoint, *, reason: str) -> None:
    """Stop sending to ``endpoint``; its pending deliveries are held for replay. Caller holds the endpoint lock."""
    endpoint.webhooks_disabled_at = timezone.now()
    endpoint.webhooks_disabled_reason = reason[:200]
    endpoint.save(update_fields=["webhooks_disabled_at", "webhooks_disabled_reason", "failing_since"])
    WebhookDelivery.objects.filter(endpoint=endpoint, status=Status.PENDING).update(
        status=Status.HELD, next_attempt_at=None, updated_at=timezone.now()
    )
    logger.warning("Webhooks disabled for endpoint %s (tenant %s): %s", endpoint.pk, endpoint.tenant_id, reason)


def _record(claimed: WebhookDelivery, result: SendResult, started_at: Any) -> WebhookDelivery:
    now = timezone.now()
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update().filter(pk=claimed.pk).first()
        if delivery is None:
            return claimed  # erased while in flight (e.g. its CV job was deleted)
        WebhookAttempt.objects.create(
            tenant_id=claimed.tenant_id, delivery_id=claimed.pk, number=claimed.attempts, url=result.url[:500],
            started_at=started_at, duration_ms=result.duration_ms, status_code=result.status_code,
            error=result.error[:500], response_excerpt=result.response_excerpt,
        )
        if delivery.status != Status.DELIVERING or delivery.attempts != claimed.attempts:
            return delivery  # the lease ran out and the sweep took the row back: only log this try
        endpoint = Endpoint.objects.select_for_update().get(pk=delivery.endpoint_id)
        delivery.last_status_code = result.status_code
        delivery.response_excerpt = result.response_excerpt
        delivery.last_error = result.error[:500]
        delivery.lease_expires_at = None
        delivery.next_attempt_at = None
        if result.ok:
            delivery.status, delivery.delivered_at, delivery.consecutive_failures = Status.DELIVERED, now, 0
            if endpoint.failing_since is not None:
                endpoint.failing_since = None
                endpoint.save(update_fields=["failing_since"])
        elif result.status_code == 410:
            delivery.status = Status.HELD
            _endpoint_webhooks_disable(endpoint, reason="The receiver answered 410 Gone.")
        else:
            delivery.consecutive_failures += 1
            if endpoint.failing_since is None:
                endpoint.failing_since = started_at
                endpoint.save(update_fields=["failing_since"])
            breaker = timedelta(hours=settings.WEBHOOK_CIRCUIT_BREAKER_HOURS)
            delay = _retry_delay(delivery)
            if now - endpoint.failing_since >= breaker:
                delivery.status = Status.HELD
                _endpoint_webhooks_disable(
                    endpoint, reason=f"Every delivery failed for {settings.WEBHOOK_CIRCUIT_BREAKER_HOURS} hours."
                )
            elif delay is None:
                delivery.status = Status.FAILED
            else:
                delivery.status, delivery.next_attempt_at = Status.PENDING, now + delay
        delivery.save()
    return delivery


def webhook_delivery_attempt(*, delivery_id: Any, attempt: int | None = None) -> WebhookDelivery | None:
    """Make one HTTP attempt of a pending delivery. Returns the updated delivery, or None if nothing was due."""
    claimed = _claim(delivery_id, attempt)
    if claimed is None:
        return None
    endpoint = claimed.endpoint
    body = claimed.body
    headers = signed_headers(secrets=endpoint.signing_secrets(), event_id=claimed.event_id, body=body)
    headers["X-Webhook-Event"] = claimed.event_type
    started_at = timezone.now()
    result = post_signed(endpoint.callback_url, body=body, headers=headers)
    return _record_when_database_answers(claimed, result, started_at)


def _record_when_database_answers(claimed: WebhookDelivery, result: SendResult, started_at: Any) -> WebhookDelivery:
    """Record the attempt, waiting out a database outage while the attempt's lease lasts.

    The request has been sent: retrying the task would find the row still ``delivering`` and the sweep would
    send it again once the lease ran out, a duplicate at the receiver. Only the recording is retried here.
    Past the lease the error propagates, and the sweep's resend (same ``webhook-id``) is the fallback.
    """
    deadline = (claimed.lease_expires_at or timezone.now()) - timedelta(seconds=5)
    delay = 0.5
    while True:
        try:
            return _record(claimed, result, started_at)
        except DB_OUTAGE_ERRORS:
            if timezone.now() + timedelta(seconds=delay) >= deadline:
                raise
            logger.warning("Database unavailable recording webhook attempt %s of %s; retrying in %.1f s",
                           claimed.attempts, claimed.pk, delay)
            connection.close()  # the broken connection; the next query opens a new one
            time.sleep(delay)
            delay = min(delay * 2, 5.0)


def webhook_deliveries_dispatch_due(*, limit: int = 500) -> int:
    """Beat: queue every due retry, across tenants, and take back attempts whose worker was lost."""
    now = timezone.now()
    queued = 0
    with scopes_disabled(), transaction.atomic():
        due = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("endpoint")
            .filter(Q(status=Status.PENDING, next_attempt_at__lte=now) | Q(status=Status.DELIVERING, lease_expires_at__lte=now))
            .order_by("next_attempt_at")[:limit]
        )
        for delivery in due:
            with tenant_scope(delivery.tenant_id):
                queued += _dispatch(delivery, now=now)
    return queued


def _dispatch(delivery: WebhookDelivery, *, now: Any) -> int:
    """Queue one due delivery (caller holds its lock); returns 1 if queued."""
    if delivery.status == Status.DELIVERING:
        # Its worker died mid-attempt. Count it as a failure so a crash loop still ends.
        delivery.consecutive_failures += 1
        delivery.last_error = f"Attempt {delivery.attempts} was interrupted (worker lost)."
    if delivery.endpoint.webhooks_disabled_at is not None:
        delivery.status, delivery.next_attempt_at, delivery.lease_expires_at = Status.HELD, None, None
    elif delivery.consecutive_failures and _retry_delay(delivery) is None:
        delivery.status, delivery.next_attempt_at, delivery.lease_expires_at = Status.FAILED, None, None
    else:
        _mark_dispatched(delivery, now=now)
    delivery.save(
        update_fields=["status", "next_attempt_at", "lease_expires_at", "consecutive_failures", "last_error", "updated_at"]
    )
    if delivery.status != Status.PENDING:
        return 0
    _queue_attempt(delivery)
    return 1


def _requeue(delivery: WebhookDelivery) -> WebhookDelivery:
    """Start the delivery's retry schedule afresh and queue an attempt. Caller holds the row lock."""
    delivery.consecutive_failures = 0
    delivery.retry_schedule = list(settings.WEBHOOK_RETRY_SCHEDULE)
    _mark_dispatched(delivery, now=timezone.now())
    delivery.save()
    _queue_attempt(delivery)
    return delivery


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again (same event id, so receivers can deduplicate), with a fresh retry schedule."""
    with transaction.atomic():
        delivery = WebhookDelivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery.pk)
        endpoint = delivery.endpoint
        if endpoint.webhooks_disabled_at is not None:
            raise Conflict(
                f"Webhooks for endpoint '{endpoint.name}' are disabled ({endpoint.webhooks_disabled_reason}); enable them first.",
                code="webhooks_disabled",
            )
        if not endpoint.callback_url:
            raise ApplicationError(f"Endpoint '{endpoint.name}' has no callback URL.", code="no_callback_url")
        if delivery.status == Status.DELIVERING and delivery.lease_expires_at and delivery.lease_expires_at > timezone.now():
            raise Conflict("An attempt of this delivery is in progress.", code="delivery_in_progress")
        return _requeue(delivery)


@dataclass
class ReplayOutcome:
    replayed: list[WebhookDelivery] = field(default_factory=list)
    skipped: list[tuple[WebhookDelivery, ApplicationError]] = field(default_factory=list)


def webhook_deliveries_replay(*, deliveries: Any) -> ReplayOutcome:
    """Replay many; each one that can't be replayed now is reported with its reason, the rest go ahead."""
    outcome = ReplayOutcome()
    for delivery in deliveries:
        try:
            outcome.replayed.append(webhook_delivery_replay(delivery=delivery))
        except ApplicationError as exc:
            outcome.skipped.append((delivery, exc))
    return outcome


def webhook_test_send(*, endpoint: Endpoint) -> WebhookDelivery:
    """Queue a ``webhook.test`` event so a client can check its receiver and signature verification."""
    if not endpoint.callback_url:
        raise ApplicationError(f"Endpoint '{endpoint.name}' has no callback URL.", code="no_callback_url")
    if endpoint.webhooks_disabled_at is not None:
        raise Conflict(f"Webhooks for endpoint '{endpoint.name}' are disabled; re-enable them first.", code="webhooks_disabled")
    payload = {
        "type": EventType.TEST.value,
        "endpoint_id": str(endpoint.pk),
        "message": "Test event: your receiver got a signed webhook.",
        "timestamp": timezone.now(),
    }
    delivery = webhook_event_emit(endpoint=endpoint, event_type=EventType.TEST, payload=payload)
    assert delivery is not None  # emit returns None only without a callback URL, refused above
    return delivery


def webhook_endpoint_enable(*, endpoint: Endpoint, replay_held: bool = True) -> int:
    """Re-enable webhooks after the circuit breaker or a 410; held deliveries are replayed. Returns how many."""
    with transaction.atomic():
        endpoint = Endpoint.objects.select_for_update().get(pk=endpoint.pk)
        endpoint.webhooks_disabled_at = None
        endpoint.webhooks_disabled_reason = ""
        endpoint.failing_since = None
        endpoint.save(update_fields=["webhooks_disabled_at", "webhooks_disabled_reason", "failing_since"])
        if not replay_held or not endpoint.callback_url:
            return 0
        held = WebhookDelivery.objects.select_for_update().filter(endpoint=endpoint, status=Status.HELD)
        count = 0
        for delivery in held:
            _requeue(delivery)
            count += 1
    return count


def webhook_deliveries_purge(*, older_than_days: int | None = None) -> int:
    """Beat, daily: drop settled deliveries past the retention period, across tenants."""
    days = settings.WEBHOOK_RETENTION_DAYS if older_than_days is None else older_than_days
    cutoff = timezone.now() - timedelta(days=days)
    with scopes_disabled():
        deleted, _ = WebhookDelivery.objects.filter(
            status__in=[Status.DELIVERED, Status.FAILED], created_at__lt=cutoff
        ).delete()
    return deleted
