"""Webhook fixtures: a real HTTP receiver on loopback, an endpoint pointing at it, a tenant scope."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tenants.scoping import tenant_scope
from tests.factories import EndpointFactory
from tests.webhooks.receiver import Received, Receiver

__all__ = ["Received", "Receiver"]  # tests elsewhere import the receiver from here

# Only this area's beat entry reads it: a short sweep so beat-driven retries finish in seconds.
# Children (beat, workers) inherit it because they start after collection.
os.environ.setdefault("WEBHOOK_SWEEP_SECONDS", "2")


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def hook_endpoint(tenant, receiver):
    return EndpointFactory(tenant=tenant, callback_url=receiver.url())


@pytest.fixture
def in_scope(tenant) -> Iterator[None]:
    with tenant_scope(tenant.pk):
        yield
