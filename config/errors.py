"""The one application error type. Each API framework maps it once (config.rest, config.ninja)."""

from __future__ import annotations

from typing import Any


class ApplicationError(Exception):
    """A failure the caller can act on: stable ``code``, human ``message``, HTTP ``status``."""

    def __init__(self, message: str, *, code: str = "invalid", status: int = 400, extra: dict[str, Any] | None = None):
        super().__init__(message)
        self.message = message
        self.code = code
        self.status = status
        self.extra = extra or {}


class NotFound(ApplicationError):
    def __init__(self, message: str = "Not found.", *, code: str = "not_found"):
        super().__init__(message, code=code, status=404)


class Conflict(ApplicationError):
    def __init__(self, message: str, *, code: str = "conflict"):
        super().__init__(message, code=code, status=409)
