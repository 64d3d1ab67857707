"""Admin requests run in the signed-in person's tenant scope; platform staff see all tenants."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext

from django.http import HttpRequest, HttpResponse

from tenants.access import admin_scope
from tenants.admin_scoping import admin_membership


class AdminTenantScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        context = admin_scope(user, admin_membership(request)) if user is not None and user.is_authenticated else None
        with context or nullcontext():
            return self.get_response(request)
