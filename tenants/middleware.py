"""Admin requests run in the signed-in person's tenant scope; platform staff see all tenants."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import nullcontext
from typing import Any

from django.http import HttpRequest, HttpResponse

from tenants.scoping import scopes_disabled, tenant_scope


def admin_scope_for(user: Any) -> Any:
    """The scope an admin-site user works in; superusers are platform staff."""
    if user.is_superuser:
        return scopes_disabled()
    from tenants.authentication import membership_for

    membership = membership_for(user, None)
    if membership is None:
        return None
    return tenant_scope(membership.tenant_id)


class AdminTenantScopeMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not request.path.startswith("/admin/"):
            return self.get_response(request)
        user = getattr(request, "user", None)
        context = admin_scope_for(user) if user is not None and user.is_authenticated else None
        with context or nullcontext():
            return self.get_response(request)
