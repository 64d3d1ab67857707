"""Attempts, retries, idempotency and the sweep, driven by calling the services directly."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CVJobFactory, EndpointFactory
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.services import (
    webhook_deliveries_dispatch_due,
    webhook_deliveries_purge,
    webhook_delivery_attempt,
    webhook_event_emit,
)

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def _emit(endpoint, **kwargs):
    return webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload={"status": "completed"}, **kwargs)


def test_no_callback_url_means_no_delivery(tenant, in_scope):
    assert _emit(EndpointFactory(tenant=tenant, callback_url="")) is None
    assert WebhookDelivery.objects.count() == 0


def test_unknown_event_type_is_refused(hook_endpoint, in_scope):
    with pytest.raises(Exception, match="Unknown webhook event type"):
        webhook_event_emit(endpoint=hook_endpoint, event_type="cv.exploded", payload={})


def test_emit_queues_first_attempt_on_commit(hook_endpoint, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        delivery = _emit(hook_endpoint)
    assert len(callbacks) == 1
    assert delivery.status == Status.PENDING and delivery.attempts == 0
    assert delivery.next_attempt_at > timezone.now()  # not picked by the sweep while the queued task is fresh


def test_500_twice_then_200_same_id_same_bytes(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_RETRY_SCHEDULE = [30, 120, 600]
    receiver.script = [500, (500, {}, "upstream down"), 200]
    delivery = _emit(hook_endpoint)
    for expected_status in (Status.PENDING, Status.PENDING, Status.DELIVERED):
        delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
        assert delivery.status == expected_status
    assert delivery.attempts == 3 and delivery.last_status_code == 200 and delivery.delivered_at
    assert {r.headers["webhook-id"] for r in receiver.requests} == {delivery.event_id}
    assert {r.body for r in receiver.requests} == {delivery.payload.encode()}
    log = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code) for a in log] == [(1, 500), (2, 500), (3, 200)]
    assert log[1].response_excerpt == "upstream down"


def test_backoff_follows_schedule_with_jitter(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_RETRY_SCHEDULE = [30, 120]
    settings.WEBHOOK_RETRY_JITTER_PERCENT = 20
    receiver.script = [503, 503, 503]
    delivery = _emit(hook_endpoint)
    before = timezone.now()
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert timedelta(seconds=24) <= delivery.next_attempt_at - before <= timedelta(seconds=37)
    before = timezone.now()
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert timedelta(seconds=96) <= delivery.next_attempt_at - before <= timedelta(seconds=145)
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Status.FAILED and delivery.attempts == 3 and delivery.next_attempt_at is None
    assert webhook_delivery_attempt(delivery_id=delivery.pk) is None
    assert len(receiver.requests) == 3


def test_4xx_other_than_410_and_timeouts_are_retried(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    receiver.script = [400, 200]
    delivery = _emit(hook_endpoint)
    assert webhook_delivery_attempt(delivery_id=delivery.pk).status == Status.PENDING
    receiver.delay = 2.5
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Status.PENDING and delivery.last_status_code is None
    assert "Timed out" in delivery.last_error


def test_connection_refused_is_retried(tenant, receiver, in_scope):
    url = receiver.url()
    receiver.close()
    delivery = _emit(EndpointFactory(tenant=tenant, callback_url=url))
    delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    assert delivery.status == Status.PENDING and "ConnectError" in delivery.last_error


def test_redelivered_tasks_do_nothing(hook_endpoint, receiver, in_scope):
    delivery = _emit(hook_endpoint)
    assert webhook_delivery_attempt(delivery_id=delivery.pk, attempt=2) is None  # not the attempt due
    assert webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1).status == Status.DELIVERED
    assert webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1) is None  # the same task again
    assert webhook_delivery_attempt(delivery_id=delivery.pk, attempt=2) is None  # delivered: nothing more
    assert len(receiver.requests) == 1


def test_response_excerpt_is_capped(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_RESPONSE_EXCERPT_CHARS = 50
    receiver.script = [(500, {}, "é" * 10_000)]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    assert delivery.response_excerpt == "é" * 50


def test_sweep_queues_due_deliveries_across_tenants(tenant, other_tenant, django_capture_on_commit_callbacks):
    endpoints = [EndpointFactory(tenant=t, callback_url="http://127.0.0.1:9/hook") for t in (tenant, other_tenant)]
    deliveries = [_emit(e) for e in endpoints]
    past = timezone.now() - timedelta(seconds=1)
    with scopes_disabled():
        WebhookDelivery.objects.filter(pk=deliveries[0].pk).update(next_attempt_at=past)
        # An attempt whose worker died: delivering with its lease run out.
        WebhookDelivery.objects.filter(pk=deliveries[1].pk).update(status=Status.DELIVERING, attempts=1, lease_expires_at=past)
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert webhook_deliveries_dispatch_due() == 2
        assert webhook_deliveries_dispatch_due() == 0  # dispatched rows are leased, not re-queued each tick
        rows = {d.pk: d for d in WebhookDelivery.objects.all()}
    assert len(callbacks) == 2
    assert all(rows[d.pk].status == Status.PENDING and rows[d.pk].next_attempt_at > timezone.now() for d in deliveries)
    lost = rows[deliveries[1].pk]
    assert lost.consecutive_failures == 1 and "interrupted" in lost.last_error


def test_a_delivery_that_keeps_killing_workers_ends_failed(hook_endpoint, settings, django_capture_on_commit_callbacks):
    settings.WEBHOOK_RETRY_SCHEDULE = [1]
    delivery = _emit(hook_endpoint)
    with scopes_disabled():
        WebhookDelivery.objects.filter(pk=delivery.pk).update(
            status=Status.DELIVERING, attempts=2, consecutive_failures=1, lease_expires_at=timezone.now() - timedelta(seconds=1)
        )
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            assert webhook_deliveries_dispatch_due() == 0
        assert WebhookDelivery.objects.get(pk=delivery.pk).status == Status.FAILED
    assert callbacks == []


def test_sweep_holds_deliveries_of_disabled_endpoints(hook_endpoint):
    delivery = _emit(hook_endpoint)
    with scopes_disabled():
        hook_endpoint.webhooks_disabled_at = timezone.now()
        hook_endpoint.save()
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now() - timedelta(seconds=1))
        assert webhook_deliveries_dispatch_due() == 0
        assert WebhookDelivery.objects.get(pk=delivery.pk).status == Status.HELD


def test_deleting_the_job_erases_its_deliveries(hook_endpoint, tenant, receiver, in_scope):
    job = CVJobFactory(tenant=tenant, endpoint=hook_endpoint)
    delivery = _emit(hook_endpoint, job=job)
    webhook_delivery_attempt(delivery_id=delivery.pk)
    job.delete()
    assert not WebhookDelivery.objects.filter(pk=delivery.pk).exists()
    assert not WebhookAttempt.objects.exists()


def test_purge_drops_only_old_settled_deliveries(hook_endpoint, receiver, tenant):
    with tenant_scope(tenant.pk):
        old = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
        fresh = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
        pending = _emit(hook_endpoint)
        WebhookDelivery.objects.filter(pk__in=[old.pk, pending.pk]).update(created_at=timezone.now() - timedelta(days=40))
    assert webhook_deliveries_purge(older_than_days=30) >= 1
    with tenant_scope(tenant.pk):
        assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {fresh.pk, pending.pk}
