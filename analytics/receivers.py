"""Signal receivers: the log store attached in workers (Celery replaces the root handlers)."""

from __future__ import annotations

import logging
from typing import Any

from django.conf import settings


def attach_log_store(logger: logging.Logger, **kwargs: Any) -> None:
    from analytics.logstore import RedisLogHandler
    from config.log_redaction import RedactSecrets

    if not any(isinstance(handler, RedisLogHandler) for handler in logger.handlers):
        handler = RedisLogHandler(settings.LOG_STORE_LEVEL)
        # As in settings LOGGING: this receiver may run after config.celery's, which redacts the handlers it finds.
        handler.addFilter(RedactSecrets())
        logger.addHandler(handler)
