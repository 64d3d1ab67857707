"""Role checks for /api/v1. Views declare the role needed to read and to write."""

from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission

from tenants.access import ROLE_REFUSED, role_allows
from tenants.authentication import TenantContext
from tenants.models import Role


class HasTenantRole(BasePermission):
    """Viewer may read; hr and admin may write; views can raise either bar."""

    message = ROLE_REFUSED

    def has_permission(self, request: Any, view: Any) -> bool:
        needed = getattr(view, "read_role", Role.VIEWER) if request.method in SAFE_METHODS else getattr(view, "write_role", Role.HR)
        return role_allows(request.auth, needed)


class HasTenantRoleOrApiKey(HasTenantRole):
    """A client system's API key, or a person whose role passes the view's bar."""

    def has_permission(self, request: Any, view: Any) -> bool:
        ctx = request.auth
        if isinstance(ctx, TenantContext) and ctx.api_key is not None:
            return True
        return super().has_permission(request, view)
