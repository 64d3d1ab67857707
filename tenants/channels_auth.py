"""WebSocket auth: a JWT access token in the query string (?token=) or the subprotocol."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qs

from channels.db import database_sync_to_async
from rest_framework.exceptions import AuthenticationFailed

from tenants.authentication import context_from_access_token


def _token_from_scope(scope: dict[str, Any]) -> str | None:
    query = parse_qs(scope.get("query_string", b"").decode())
    if query.get("token"):
        return query["token"][0]
    for protocol in scope.get("subprotocols", []):
        # Browsers cannot set headers on WebSockets; "bearer.<jwt>" or the bare JWT both work.
        candidate = protocol.removeprefix("bearer.")
        if candidate.count(".") == 2:
            return candidate
    return None


class JWTAuthMiddleware:
    def __init__(self, inner: Any):
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        scope = dict(scope)
        scope["tenant_context"] = None
        token = _token_from_scope(scope)
        if token:
            try:
                user, ctx = await database_sync_to_async(context_from_access_token)(token)
                scope["user"], scope["tenant_context"] = user, ctx
            except AuthenticationFailed:
                pass
        return await self.inner(scope, receive, send)
