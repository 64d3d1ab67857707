"""Unknown routes answer a JSON 404 in the API envelope (the reference clients parse every error body), and
a method a route does not serve a JSON 405. Only the Django admin, a site for people, keeps its HTML pages.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found

from config.rest import error_body


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/admin/"):
        return page_not_found(request, exception)
    return JsonResponse(error_body(f"No route {request.method} {request.path}.", "not_found"), status=404,
                        json_dumps_params={"ensure_ascii": False})


class MethodNotAllowedMiddleware:
    """django-ninja answers a method its route does not serve with a plain-text 405 (DRF's is already JSON)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if response.status_code != 405 or request.path.startswith("/admin/") or "json" in response.get("Content-Type", ""):
            return response
        allowed = response.get("Allow", "")
        envelope = JsonResponse(error_body(f"Method {request.method} is not allowed here (allowed: {allowed}).", "method_not_allowed"),
                                status=405)
        envelope["Allow"] = allowed
        return envelope
