"""Structured log store: a logging handler that appends records to capped Redis streams.

One stream per tenant (records emitted inside a tenant scope) plus one for system records,
so ``GET /monitor/logs`` reads only the caller's tenant without filtering anyone else's
data. Streams are capped (``LOG_STORE_MAX_ENTRIES``, approximate trimming) and writes are
best effort: a log line must never fail the request that logs it.

This module is loaded by ``logging.config`` before the app registry is ready, so it must
not import models.
"""

from __future__ import annotations

import logging
import threading
import time
from typing import TYPE_CHECKING, Any, cast

from django.conf import settings

from tenants.scoping import current_tenant_id

LEVELS = ("DEBUG", "INFO", "WARNING", "ERROR", "CRITICAL")
SYSTEM = "system"
_guard = threading.local()

if TYPE_CHECKING:
    import redis
    from redis.typing import EncodableT, FieldT


def stream_key(tenant_id: Any) -> str:
    return f"{settings.REDIS_KEY_PREFIX}logs:{tenant_id or SYSTEM}"


class RedisLogHandler(logging.Handler):
    def __init__(self, level: int | str = logging.NOTSET):
        super().__init__(level)
        self._client: redis.Redis | None = None
        self._retry_after = 0.0

    def _redis(self) -> redis.Redis:
        if self._client is None:
            import redis

            self._client = redis.Redis.from_url(settings.REDIS_URL, socket_timeout=0.5, socket_connect_timeout=0.5)
        return self._client

    def emit(self, record: logging.LogRecord) -> None:
        # Redis' own client logs would re-enter this handler; and after a failure we back off
        # instead of paying a connect timeout on every log line.
        if getattr(_guard, "active", False) or time.monotonic() < self._retry_after:
            return
        _guard.active = True
        try:
            tenant = current_tenant_id()
            fields: dict[FieldT, EncodableT] = {
                "ts": f"{record.created:.3f}",
                "level": record.levelname,
                "logger": record.name,
                "message": record.getMessage()[:4000],
                "tenant": tenant,
                "process": record.processName or "",
            }
            if record.exc_info:
                # exc_text: the traceback as the redacting filter left it (config/log_redaction.py).
                fields["exc"] = (record.exc_text or logging.Formatter().formatException(record.exc_info))[-4000:]
            self._redis().xadd(stream_key(tenant), fields, maxlen=settings.LOG_STORE_MAX_ENTRIES, approximate=True)
        except Exception:  # noqa: BLE001 - logging must never raise into the caller
            self._retry_after = time.monotonic() + 5
        finally:
            _guard.active = False


def log_records(*, tenant_id: Any, level: str = "", limit: int = 100) -> list[dict[str, Any]]:
    """The newest records of one tenant's stream at ``level`` or above, newest first."""
    import redis

    client = redis.Redis.from_url(settings.REDIS_URL, decode_responses=True, socket_timeout=2)
    minimum = LEVELS.index(level) if level in LEVELS else 0
    key = stream_key(tenant_id)
    found: list[dict[str, Any]] = []
    upper = "+"
    scanned = 0
    while len(found) < limit and scanned < settings.LOG_STORE_MAX_ENTRIES:
        # redis-py types every reply mode at once; with decode_responses an XRANGE entry is str ids and str fields.
        page = cast("list[tuple[str, dict[str, str]]] | None", client.xrevrange(key, max=upper, min="-", count=500))
        if not page:
            break
        for entry_id, fields in page:
            scanned += 1
            if fields.get("level") in LEVELS and LEVELS.index(fields["level"]) >= minimum:
                found.append({"id": entry_id, **fields, "ts": float(fields.get("ts", 0))})
                if len(found) >= limit:
                    break
        upper = "(" + page[-1][0]
    return found
