"""410, the circuit breaker, held deliveries, re-enabling and replay (services)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from config.errors import ApplicationError
from tenants import lookup_cache
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import EndpointFactory
from webhooks.models import WebhookDelivery
from webhooks.selectors import endpoints_with_disabled_webhooks, webhook_deliveries_for_endpoint
from webhooks.services import (
    webhook_deliveries_replay,
    webhook_delivery_attempt,
    webhook_delivery_replay,
    webhook_endpoint_enable,
    webhook_event_emit,
    webhook_test_send,
)

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def _emit(endpoint):
    return webhook_event_emit(endpoint=endpoint, event_type="cv.failed", payload={"status": "failed"})


def test_410_disables_the_endpoint_and_holds_its_deliveries(hook_endpoint, receiver, in_scope):
    receiver.script = [410]
    first, waiting = _emit(hook_endpoint), _emit(hook_endpoint)
    first = webhook_delivery_attempt(delivery_id=first.pk)
    hook_endpoint.refresh_from_db()
    assert hook_endpoint.webhooks_disabled_at is not None and "410" in hook_endpoint.webhooks_disabled_reason
    assert first.status == Status.HELD
    waiting.refresh_from_db()
    assert waiting.status == Status.HELD
    assert webhook_delivery_attempt(delivery_id=waiting.pk) is None
    assert _emit(hook_endpoint).status == Status.HELD  # new events are kept, not sent
    assert len(receiver.requests) == 1
    assert list(endpoints_with_disabled_webhooks()) == [hook_endpoint]


def test_breaker_opens_after_n_hours_of_failures(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_CIRCUIT_BREAKER_HOURS = 24
    receiver.script = [500, 500]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    hook_endpoint.refresh_from_db()
    assert delivery.status == Status.PENDING and hook_endpoint.failing_since is not None
    hook_endpoint.failing_since = timezone.now() - timedelta(hours=23)
    hook_endpoint.save()
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    hook_endpoint.refresh_from_db()
    assert delivery.status == Status.PENDING and hook_endpoint.webhooks_disabled_at is None
    hook_endpoint.failing_since = timezone.now() - timedelta(hours=24, minutes=1)
    hook_endpoint.save()
    receiver.script = [502]
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    hook_endpoint.refresh_from_db()
    assert delivery.status == Status.HELD
    assert hook_endpoint.webhooks_disabled_at is not None and "24 hours" in hook_endpoint.webhooks_disabled_reason


def test_a_success_resets_the_failure_clock(hook_endpoint, receiver, in_scope):
    receiver.script = [500, 200]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    hook_endpoint.refresh_from_db()
    assert hook_endpoint.failing_since is None


def test_enable_replays_held_deliveries(hook_endpoint, receiver, in_scope, django_capture_on_commit_callbacks):
    receiver.script = [410]
    held = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    with pytest.raises(ApplicationError) as exc:
        webhook_delivery_replay(delivery=held)
    assert exc.value.code == "webhooks_disabled"
    hook_endpoint.refresh_from_db()
    with pytest.raises(ApplicationError):
        webhook_test_send(endpoint=hook_endpoint)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert webhook_endpoint_enable(endpoint=hook_endpoint) == 1
    # One replay queued; the other callback tells the web processes' look-up caches that the endpoint changed.
    assert len([callback for callback in callbacks if callback is not lookup_cache._replace_version]) == 1
    held.refresh_from_db()
    assert held.status == Status.PENDING
    delivered = webhook_delivery_attempt(delivery_id=held.pk, attempt=2)
    assert delivered.status == Status.DELIVERED and delivered.attempts == 2
    assert list(endpoints_with_disabled_webhooks()) == []


def test_replay_resends_with_the_same_event_id(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_RETRY_SCHEDULE = [1]
    receiver.script = [500, 500]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Status.FAILED
    settings.WEBHOOK_RETRY_SCHEDULE = [30, 60]
    replayed = webhook_delivery_replay(delivery=delivery)
    assert replayed.status == Status.PENDING and replayed.retry_schedule == [30, 60] and replayed.consecutive_failures == 0
    delivered = webhook_delivery_attempt(delivery_id=delivery.pk, attempt=3)
    assert delivered.status == Status.DELIVERED
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.event_id] * 3


def test_bulk_replay_reports_what_it_skipped(tenant, hook_endpoint, receiver, in_scope):
    disabled = EndpointFactory(tenant=tenant, callback_url=receiver.url(), webhooks_disabled_at=timezone.now())
    ok, held = _emit(hook_endpoint), _emit(disabled)
    outcome = webhook_deliveries_replay(deliveries=[ok, held])
    assert [d.pk for d in outcome.replayed] == [ok.pk]
    assert [(d.pk, e.code) for d, e in outcome.skipped] == [(held.pk, "webhooks_disabled")]


def test_test_event(hook_endpoint, receiver, in_scope):
    delivery = webhook_test_send(endpoint=hook_endpoint)
    assert delivery.event_type == "webhook.test"
    webhook_delivery_attempt(delivery_id=delivery.pk)
    body = receiver.requests[0]
    assert b'"type":"webhook.test"' in body.body and body.headers["x-webhook-event"] == "webhook.test"
    with pytest.raises(ApplicationError) as exc:
        webhook_test_send(endpoint=EndpointFactory(tenant=hook_endpoint.tenant, callback_url=""))
    assert exc.value.code == "no_callback_url"


def test_selectors_respect_tenant_scope(tenant, other_tenant, hook_endpoint, receiver):
    foreign = EndpointFactory(tenant=other_tenant, callback_url=receiver.url(), webhooks_disabled_at=timezone.now())
    _emit(hook_endpoint), _emit(foreign)
    with tenant_scope(tenant.pk):
        assert webhook_deliveries_for_endpoint(endpoint=hook_endpoint).count() == 1
        assert webhook_deliveries_for_endpoint(endpoint=foreign).count() == 0
        assert list(endpoints_with_disabled_webhooks()) == []
    with scopes_disabled():
        assert list(endpoints_with_disabled_webhooks()) == [foreign]
