"""JSON from clients, bounded in nesting depth.

A body or form field nested thousands of levels deep makes ``json.loads`` raise RecursionError (a 500)
and, below that, would be stored and then break every later ``json.dumps`` of it (webhook payloads,
results). No document of ours needs more than a few levels, so anything past ``JSON_MAX_DEPTH`` is
refused as client input.
"""

from __future__ import annotations

import json
from typing import Any

from config.errors import ApplicationError

JSON_MAX_DEPTH = 32


class JSONTooDeep(ApplicationError):
    def __init__(self, where: str):
        super().__init__(f"{where} is nested deeper than {JSON_MAX_DEPTH} levels.", code="json_too_deep")


def json_depth_check(value: Any, *, where: str = "The JSON") -> Any:
    """``value`` if its objects and arrays nest at most JSON_MAX_DEPTH levels, else ApplicationError ``json_too_deep``."""
    # Iterative, so that checking a deep value cannot itself overflow the stack.
    stack: list[tuple[Any, int]] = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else None
        if children is None:
            continue
        if depth > JSON_MAX_DEPTH:
            raise JSONTooDeep(where)
        stack.extend((child, depth + 1) for child in children)
    return value


def json_loads_bounded(text: str | bytes, *, where: str = "The JSON") -> Any:
    """``json.loads`` that answers ``json_too_deep`` instead of RecursionError; JSONDecodeError as usual."""
    try:
        value = json.loads(text)
    except RecursionError:
        raise JSONTooDeep(where) from None
    return json_depth_check(value, where=where)
