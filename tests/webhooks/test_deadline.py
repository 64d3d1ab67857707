"""A webhook attempt ends at its total deadline, however slowly the receiver answers."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator

import pytest

from tests.factories import EndpointFactory
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.sender import post_signed
from webhooks.services import webhook_delivery_attempt, webhook_event_emit


class DribblingReceiver:
    """A raw TCP receiver that reads the request, then sends ``prefix`` and one more byte every ``interval`` s.

    Each byte arrives well within a per-read timeout, so only a deadline on the whole attempt stops it.
    """

    def __init__(self, prefix: bytes, interval: float = 0.3):
        self.prefix, self.interval = prefix, interval
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.stop = threading.Event()
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        self.sock.settimeout(0.2)
        while not self.stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except OSError:
                continue
            threading.Thread(target=self._dribble, args=(conn,), daemon=True).start()

    def _dribble(self, conn: socket.socket) -> None:
        with conn:
            try:
                conn.recv(65536)
                conn.sendall(self.prefix)
                while not self.stop.wait(self.interval):
                    conn.sendall(b"x")
            except OSError:
                pass  # the sender hung up: what we expect

    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hook"

    def close(self) -> None:
        self.stop.set()
        self.sock.close()


@pytest.fixture(params=["headers", "body"])
def dribbler(request) -> Iterator[DribblingReceiver]:
    prefix = b"HTTP/1.1 200 OK\r\nX-Slow: " if request.param == "headers" else (
        b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"
    )
    server = DribblingReceiver(prefix)
    yield server
    server.close()


def test_slow_receiver_attempt_ends_at_total_deadline(dribbler, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 2
    started = time.monotonic()
    result = post_signed(dribbler.url(), body=b"{}", headers={})
    elapsed = time.monotonic() - started
    print(f"dribbling receiver: attempt ended after {elapsed:.2f}s (deadline 2s)")
    assert elapsed < 2 + 1
    assert result.error == "Timed out after 2s." and not result.ok


@pytest.mark.django_db
def test_slow_receiver_is_recorded_as_a_timeout(dribbler, tenant, settings):
    from tenants.scoping import tenant_scope

    settings.WEBHOOK_TIMEOUT_SECONDS = 1
    endpoint = EndpointFactory(tenant=tenant, callback_url=dribbler.url())
    with tenant_scope(tenant.pk):
        delivery = webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload={"status": "completed"})
        started = time.monotonic()
        delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
        assert time.monotonic() - started < 1 + 1
        assert delivery.status == WebhookDelivery.Status.PENDING  # a retry is scheduled
        attempt = WebhookAttempt.objects.get(delivery=delivery)
    assert attempt.error == "Timed out after 1s." and attempt.status_code is None
    assert attempt.duration_ms < 2000
