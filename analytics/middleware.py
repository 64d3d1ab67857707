"""X-Response-Time on every response, as the AI API patterns reference does, and the latency histogram."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from analytics.prometheus import REQUEST_LATENCY


class ResponseTimeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)
        elapsed = time.perf_counter() - started
        response["X-Response-Time"] = f"{elapsed * 1000:.0f}ms"  # whole milliseconds, as the reference sends
        match = getattr(request, "resolver_match", None)
        route = match.route if match else "unmatched"
        REQUEST_LATENCY.labels(request.method, route, f"{response.status_code // 100}xx").observe(elapsed)
        return response
