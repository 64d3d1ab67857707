"""/ws/admin/progress: live job and batch progress for admin-site sessions.

The admin authenticates with its session cookie (routing wraps this consumer in
``channels.auth.AuthMiddlewareStack``), so the socket must come from our own pages:
the Origin header has to match the Host, which stops other sites from opening it
with a visitor's cookie. Tenant admins and hr users get their tenant's group;
platform staff get every active tenant's group.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cvs.progress import tenant_group
from tenants.access import role_reaches
from tenants.admin_scoping import ADMIN_ROLES
from tenants.authentication import membership_for
from tenants.models import Tenant


def _header(scope: dict[str, Any], name: bytes) -> str:
    return next((value.decode("latin-1") for key, value in scope.get("headers", []) if key == name), "")


def same_origin(scope: dict[str, Any]) -> bool:
    origin, host = _header(scope, b"origin"), _header(scope, b"host")
    return bool(origin and host) and urlsplit(origin).netloc.lower() == host.lower()


def admin_progress_groups(user: Any) -> list[str]:
    """The Channels groups an admin-site user may listen to; empty means no access."""
    if not (user.is_authenticated and user.is_active and user.is_staff):
        return []
    if user.is_superuser:
        return [tenant_group(pk) for pk in Tenant.objects.filter(is_active=True).values_list("pk", flat=True)]
    membership = membership_for(user, None)
    if membership is None or not role_reaches(membership.role, ADMIN_ROLES):
        return []
    return [tenant_group(membership.tenant_id)]


class AdminProgressConsumer(AsyncJsonWebsocketConsumer):
    groups_joined: list[str]

    async def connect(self) -> None:
        self.groups_joined = []
        user = self.scope.get("user")
        if user is None or not same_origin(self.scope):
            await self.close(code=4403)
            return
        groups = await database_sync_to_async(admin_progress_groups)(user)
        if not groups:
            await self.close(code=4401)
            return
        for group in groups:
            await self.channel_layer.group_add(group, self.channel_name)
        self.groups_joined = groups
        await self.accept()
        await self.send_json({"type": "connected", "groups": len(groups)})

    async def disconnect(self, code: int) -> None:
        for group in getattr(self, "groups_joined", []):
            await self.channel_layer.group_discard(group, self.channel_name)

    async def task_update(self, event: dict[str, Any]) -> None:
        await self.send_json({"type": "task_update", "data": event["payload"]})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
