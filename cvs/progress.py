"""Progress events on the tenant's Channels group, for the admin and /ws/tasks."""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer

logger = logging.getLogger(__name__)


def tenant_group(tenant_id: Any) -> str:
    return f"tenant_{tenant_id}".replace("-", "")


def publish_task_update(tenant_id: Any, payload: dict[str, Any]) -> None:
    """Best effort: a progress event must never fail the work it reports on."""
    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(tenant_group(tenant_id), {"type": "task.update", "payload": payload})
    except Exception:  # noqa: BLE001 - the channel layer being down is not the job's failure
        logger.warning("Could not publish progress for tenant %s", tenant_id, exc_info=True)
