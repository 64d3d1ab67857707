"""Webhook fixtures: a tenant scope (the receiver and hook_endpoint fixtures live in tests/conftest.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tenants.scoping import tenant_scope
from tests.webhooks.receiver import Received, Receiver

__all__ = ["Received", "Receiver"]  # tests elsewhere import the receiver from here

# Only this area's beat entry reads it: a short sweep so beat-driven retries finish in seconds.
# Children (beat, workers) inherit it because they start after collection.
os.environ.setdefault("WEBHOOK_SWEEP_SECONDS", "2")


@pytest.fixture
def in_scope(tenant) -> Iterator[None]:
    with tenant_scope(tenant.pk):
        yield
