"""Figures for docs/webhooks.md (run with -s to see them). Loose bounds, so a pathological regression fails."""

from __future__ import annotations

import statistics
import time

import pytest

from tenants.scoping import scopes_disabled, tenant_scope
from tests.conftest import wait_until
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_delivery_attempt, webhook_event_emit

PAYLOAD = {"request_id": "r", "status": "completed", "data": {"summary": "资深工程师 · ingeniera " * 200}, "error": None}


@pytest.mark.slow
@pytest.mark.django_db
def test_attempt_latency_in_process(hook_endpoint, receiver, in_scope):
    timings = []
    for _ in range(100):
        delivery = webhook_event_emit(endpoint=hook_endpoint, event_type="cv.completed", payload=PAYLOAD)
        started = time.perf_counter()
        assert webhook_delivery_attempt(delivery_id=delivery.pk).status == WebhookDelivery.Status.DELIVERED
        timings.append((time.perf_counter() - started) * 1000)
    timings.sort()
    p50, p95 = statistics.median(timings), timings[94]
    print(f"\nwebhook attempt (claim + sign + POST to loopback + record), 100 runs: p50 {p50:.1f} ms, p95 {p95:.1f} ms")
    assert p50 < 250


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_worker_drains_a_burst(celery_worker, hook_endpoint, receiver):
    count = 200
    started = time.perf_counter()
    with tenant_scope(hook_endpoint.tenant_id):
        for _ in range(count):
            webhook_event_emit(endpoint=hook_endpoint, event_type="cv.completed", payload=PAYLOAD)
    emitted = time.perf_counter() - started

    def delivered() -> bool:
        with scopes_disabled():
            return WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED).count() == count

    wait_until(delivered, timeout=300, interval=0.5)
    total = time.perf_counter() - started
    print(f"\n{count} events: emit {emitted * 1000 / count:.1f} ms each; all delivered by the worker in {total:.1f} s "
          f"({count / total:.1f} deliveries/s)")
    assert len({r.headers["webhook-id"] for r in receiver.requests}) == count
