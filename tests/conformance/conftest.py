"""The reference specifications (../shared/reference/), checked from a client's side: real HTTP to uvicorn serving
the app, the real Celery worker behind it, webhooks to a real receiver. Each module holds one specification's
expectations, written as code (the specification texts stay outside the repository)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import httpx
import pytest

from tenants.models import Role
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def base_url(asgi_server) -> str:
    return f"http://{asgi_server}"


@pytest.fixture
def http(base_url) -> Iterator[httpx.Client]:
    """An anonymous HTTP client of the running service."""
    with httpx.Client(base_url=base_url, timeout=120) as client:
        yield client


@pytest.fixture
def person(base_url, tenant) -> Iterator[Callable[..., httpx.Client]]:
    """``person(role)`` → a client that logged in as the reference does (form-encoded username and password)."""
    clients: list[httpx.Client] = []

    def _login(role: str = Role.ADMIN, tenant_=None) -> httpx.Client:
        membership = MembershipFactory(tenant=tenant_ or tenant, role=role)
        client = httpx.Client(base_url=base_url, timeout=120)
        clients.append(client)
        response = client.post("/api/v1/auth/login", data={"username": membership.user.username, "password": "pass-word-123"})
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["success"] is True and body["data"]["token_type"] == "bearer"
        assert body["data"]["user"]["username"] == membership.user.username and body["data"]["user"]["role"] == role
        client.headers["Authorization"] = f"Bearer {body['data']['access_token']}"
        return client

    yield _login
    for client in clients:
        client.close()
