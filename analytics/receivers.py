"""Signal receivers: the log store attached in workers (Celery replaces the root handlers)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings


def attach_log_store(logger: logging.Logger, **kwargs: Any) -> None:
    from analytics.logstore import RedisLogHandler

    if not any(isinstance(handler, RedisLogHandler) for handler in logger.handlers):
        logger.addHandler(RedisLogHandler(settings.LOG_STORE_LEVEL))
