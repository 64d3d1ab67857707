"""X-Response-Time on every response, as the AI API patterns reference does."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class ResponseTimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Response-Time"] = f"{(time.perf_counter() - started) * 1000:.1f}ms"
        return response
