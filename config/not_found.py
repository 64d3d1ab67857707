"""Unknown routes answer a JSON 404 in the API envelope (the reference clients parse every error body).

Only the Django admin, a site for people, keeps its HTML 404.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.defaults import page_not_found

from config.rest import error_body


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if request.path.startswith("/admin/"):
        return page_not_found(request, exception)
    return JsonResponse(error_body(f"No route {request.method} {request.path}.", "not_found"), status=404,
                        json_dumps_params={"ensure_ascii": False})
