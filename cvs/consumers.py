"""/ws/tasks: pushes ``task_update`` messages of the caller's own tenant."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from cvs.progress import tenant_group


class TaskProgressConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self) -> None:
        ctx = self.scope.get("tenant_context")
        if ctx is None:
            await self.close(code=4401)
            return
        self.group = tenant_group(ctx.tenant.pk)
        await self.channel_layer.group_add(self.group, self.channel_name)
        protocols = self.scope.get("subprotocols") or []
        await self.accept(subprotocol=protocols[0] if protocols else None)
        await self.send_json({"type": "connected", "tenant_id": str(ctx.tenant.pk)})

    async def disconnect(self, code: int) -> None:
        if hasattr(self, "group"):
            await self.channel_layer.group_discard(self.group, self.channel_name)

    async def task_update(self, event: dict[str, Any]) -> None:
        payload = event["payload"]
        # The reference clients read task_id at the top level; data keeps it too (earlier clients).
        await self.send_json({"type": "task_update", "task_id": payload.get("task_id"), "data": payload})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("type") == "ping":
            await self.send_json({"type": "pong"})
