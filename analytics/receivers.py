"""Signal receivers: keep vectors in step with candidates, and the log store attached in workers."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings


def embed_saved_candidate(sender: Any, *, candidate: Any, changed: bool = True, **kwargs: Any) -> None:
    """cvs.signals.candidate_saved is sent on commit; unchanged candidates keep their vectors."""
    if not changed:
        return
    from analytics.services import candidate_embedding_queue

    candidate_embedding_queue(tenant_id=candidate.tenant_id, candidate_id=candidate.pk)


def attach_log_store(logger: logging.Logger, **kwargs: Any) -> None:
    from analytics.logstore import RedisLogHandler

    if not any(isinstance(handler, RedisLogHandler) for handler in logger.handlers):
        logger.addHandler(RedisLogHandler(settings.LOG_STORE_LEVEL))
