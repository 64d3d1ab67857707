"""A WebSocket test client speaking ASGI directly (channels.testing needs daphne, which we do not ship)."""

from __future__ import annotations

import json
from typing import Any

from asgiref.testing import ApplicationCommunicator


class WebSocketClient(ApplicationCommunicator):
    def __init__(self, application: Any, path: str, subprotocols: list[str] | None = None,
                 headers: list[tuple[bytes, bytes]] | None = None):
        path, _, query = path.partition("?")
        scope = {
            "type": "websocket", "path": path, "raw_path": path.encode(), "query_string": query.encode(),
            "headers": headers or [], "subprotocols": subprotocols or [], "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        super().__init__(application, scope)

    async def connect(self, timeout: float = 5) -> bool:
        await self.send_input({"type": "websocket.connect"})
        return (await self.receive_output(timeout))["type"] == "websocket.accept"

    async def receive_json(self, timeout: float = 5) -> dict[str, Any]:
        message = await self.receive_output(timeout)
        assert message["type"] == "websocket.send", message
        return json.loads(message["text"])

    async def disconnect(self) -> None:
        await self.send_input({"type": "websocket.disconnect", "code": 1000})
        await self.wait(1)
