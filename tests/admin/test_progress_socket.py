import pytest
from asgiref.sync import sync_to_async
from django.db import connections
from django.test import Client

from config.asgi import application
from cvs.progress import publish_task_update
from tenants.models import Role
from tests.factories import MembershipFactory, TenantFactory, UserFactory
from tests.ws import WebSocketClient

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.asyncio]


@pytest.fixture(autouse=True)
def no_persistent_connections(monkeypatch):
    """The consumer queries on asgiref's worker thread; without persistent connections the test DB can be dropped."""
    monkeypatch.setitem(connections.settings["default"], "CONN_MAX_AGE", 0)


def session_cookie(user) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


async def connect(user, origin: str = "http://testserver") -> tuple[WebSocketClient, bool]:
    headers = [(b"host", b"testserver"), (b"origin", origin.encode())]
    if user is not None:
        cookie = await sync_to_async(session_cookie)(user)
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    socket = WebSocketClient(application, "/ws/admin/progress", headers=headers)
    return socket, await socket.connect()


async def test_tenant_admin_gets_own_tenant_progress_only():
    tenant, other = await sync_to_async(TenantFactory)(), await sync_to_async(TenantFactory)()
    membership = await sync_to_async(MembershipFactory)(tenant=tenant, role=Role.HR)
    communicator, connected = await connect(membership.user)
    assert connected
    assert (await communicator.receive_json())["type"] == "connected"
    await sync_to_async(publish_task_update)(other.pk, {"task_id": "theirs", "status": "running"})
    await sync_to_async(publish_task_update)(tenant.pk, {"task_id": "mine", "status": "completed"})
    message = await communicator.receive_json(timeout=5)
    assert message == {"type": "task_update", "data": {"task_id": "mine", "status": "completed"}}
    await communicator.disconnect()


async def test_staff_gets_every_tenant():
    tenant = await sync_to_async(TenantFactory)()
    staff = await sync_to_async(UserFactory)(is_superuser=True)
    communicator, connected = await connect(staff)
    assert connected
    await communicator.receive_json()
    await sync_to_async(publish_task_update)(tenant.pk, {"task_id": "x", "status": "queued"})
    assert (await communicator.receive_json(timeout=5))["data"]["task_id"] == "x"
    await communicator.disconnect()


@pytest.mark.parametrize("case", ["anonymous", "viewer", "foreign_origin"])
async def test_refused(case):
    tenant = await sync_to_async(TenantFactory)()
    membership = await sync_to_async(MembershipFactory)(tenant=tenant, role=Role.VIEWER if case == "viewer" else Role.ADMIN)
    user = None if case == "anonymous" else membership.user
    communicator, connected = await connect(user, origin="https://evil.example" if case == "foreign_origin" else "http://testserver")
    assert not connected
