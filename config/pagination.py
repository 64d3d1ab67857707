"""The one paginator of every list endpoint, DRF and django-ninja alike.

Pages are numbered from 1 and bounded in size; every list answers with the same body
``{items, total, page, page_size, pages}`` inside the envelope.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet

from config.errors import ApplicationError

DEFAULT_PAGE_SIZE = 20
MAX_PAGE_SIZE = 200


@dataclass(frozen=True)
class Page:
    number: int = 1
    size: int = DEFAULT_PAGE_SIZE

    @classmethod
    def from_query(cls, query: Mapping[str, Any], *, max_size: int = MAX_PAGE_SIZE) -> Page:
        """The page a query string asks for; out-of-range numbers are clamped, not refused."""
        try:
            number = max(1, int(query.get("page", 1)))
            size = min(max_size, max(1, int(query.get("page_size", DEFAULT_PAGE_SIZE))))
        except (TypeError, ValueError) as exc:
            raise ApplicationError("page and page_size must be integers.", code="invalid_pagination") from exc
        return cls(number, size)

    def of(self, rows: QuerySet[Any] | Sequence[Any]) -> tuple[list[Any], int]:
        """This page's rows and the total number of rows (one COUNT for a queryset)."""
        total = rows.count() if isinstance(rows, QuerySet) else len(rows)
        start = (self.number - 1) * self.size
        return list(rows[start : start + self.size]), total

    def body(self, items: list[Any], total: int) -> dict[str, Any]:
        return {
            "items": items,
            "total": total,
            "page": self.number,
            "page_size": self.size,
            "pages": math.ceil(total / self.size),
        }
