"""Admin-site clients: staff (superuser) and tenant members logged in with a session."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from tenants.models import Role
from tests.admin.browser import chromium
from tests.factories import MembershipFactory, UserFactory


@pytest.fixture
def member_client(db) -> Callable[..., Client]:
    """``member_client(tenant, role)`` → a Django test Client with an admin session."""

    def _make(tenant: Any, role: str = Role.ADMIN) -> Client:
        membership = MembershipFactory(tenant=tenant, role=role)
        client = Client()
        client.force_login(membership.user)
        client.user = membership.user
        client.tenant = tenant
        return client

    return _make


@pytest.fixture
def tenant_admin(member_client, tenant) -> Client:
    return member_client(tenant, Role.ADMIN)


@pytest.fixture
def tenant_hr(member_client, tenant) -> Client:
    return member_client(tenant, Role.HR)


@pytest.fixture
def staff(db) -> Client:
    client = Client()
    client.user = UserFactory(is_superuser=True)
    client.force_login(client.user)
    return client


@pytest.fixture
def live_server_url(asgi_server) -> str:
    return f"http://{asgi_server}"


@pytest.fixture
def browser():
    driver = chromium()
    yield driver
    driver.quit()
