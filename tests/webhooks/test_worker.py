"""End to end through real Celery processes: the worker sends, beat (or the sweep) drives retries."""

from __future__ import annotations

import threading

import pytest

from tenants.scoping import tenant_scope
from tests.conftest import wait_until
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.services import webhook_deliveries_dispatch_due, webhook_delivery_attempt, webhook_event_emit

pytestmark = pytest.mark.django_db(transaction=True)

Status = WebhookDelivery.Status
PAYLOAD = {"request_id": "r-1", "status": "completed", "data": {"name": "Łukasz 李雷"}, "error": None}


def _emit(endpoint):
    with tenant_scope(endpoint.tenant_id):
        return webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload=PAYLOAD)


def _fetch(delivery):
    with tenant_scope(delivery.tenant_id):
        return WebhookDelivery.objects.get(pk=delivery.pk)


def _assert_delivered_after_three(delivery, receiver):
    delivery = _fetch(delivery)
    assert delivery.status == Status.DELIVERED and delivery.attempts == 3
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.event_id] * 3
    assert {r.body for r in receiver.requests} == {delivery.payload.encode()}
    with tenant_scope(delivery.tenant_id):
        codes = list(WebhookAttempt.objects.filter(delivery=delivery).order_by("number").values_list("status_code", flat=True))
    assert codes == [500, 500, 200]


def test_worker_sends_and_the_sweep_queues_retries(celery_worker, hook_endpoint, receiver, settings):
    settings.WEBHOOK_RETRY_SCHEDULE = [1, 1, 1]  # stored on the delivery, so the worker process follows it
    receiver.script = [500, 500, 200]
    delivery = _emit(hook_endpoint)

    def delivered():
        webhook_deliveries_dispatch_due()
        return _fetch(delivery).status == Status.DELIVERED

    wait_until(delivered, timeout=60, interval=0.5)
    _assert_delivered_after_three(delivery, receiver)


def test_beat_and_worker_drive_retries_end_to_end(celery_worker, celery_beat, hook_endpoint, receiver, settings):
    settings.WEBHOOK_RETRY_SCHEDULE = [1, 1, 1]
    receiver.script = [500, 500, 200]
    delivery = _emit(hook_endpoint)
    wait_until(lambda: _fetch(delivery).status == Status.DELIVERED, timeout=90, interval=0.5)
    _assert_delivered_after_three(delivery, receiver)


def test_concurrent_attempts_send_once(hook_endpoint, receiver):
    """Five workers get the same attempt at once: the row lock lets exactly one send it."""
    receiver.delay = 1.0
    with tenant_scope(hook_endpoint.tenant_id):  # not queued: only the five threads below try it
        delivery = WebhookDelivery.objects.create(
            tenant_id=hook_endpoint.tenant_id, endpoint=hook_endpoint, event_type="cv.completed", payload="{}"
        )
    results = []

    def attempt():
        from django.db import connection

        try:
            with tenant_scope(delivery.tenant_id):
                results.append(webhook_delivery_attempt(delivery_id=delivery.pk, attempt=1))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt) for _ in range(5)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert len(receiver.requests) == 1
    assert sum(r is not None for r in results) == 1
    assert _fetch(delivery).attempts == 1
