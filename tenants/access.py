"""The one request boundary: the caller's role against a bar, and the caller's tenant scope.

DRF views reach it through ``tenants/rest.py`` (``HasTenantRole`` and ``TenantScopedMixin``);
django-ninja handlers call :func:`role_require` and :func:`in_tenant`. Both frameworks leave
the caller's :class:`TenantContext` in ``request.auth``. The admin site uses the same role order
(:func:`role_reaches`, from ``tenants/admin_scoping.py`` and the admin progress socket) and
:func:`admin_scope` (from ``tenants/middleware.py``), so a role means the same everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async

from config.errors import ApplicationError
from tenants.authentication import ROLE_ORDER, TenantContext
from tenants.scoping import scopes_disabled, tenant_scope

ROLE_REFUSED = "Your role does not allow this action."


def role_reaches(role: str | None, needed: str | None) -> bool:
    """Whether a tenant ``role`` reaches the ``needed`` one (viewer < hr < admin); a ``needed`` of None is
    reached by no tenant role (platform staff only, in the admin)."""
    return needed is not None and role in ROLE_ORDER and ROLE_ORDER[role] >= ROLE_ORDER[needed]


def role_allows(ctx: Any, needed: str) -> bool:
    """Whether a person's tenant context reaches the ``needed`` role."""
    return isinstance(ctx, TenantContext) and role_reaches(ctx.role, needed)


def role_require(ctx: Any, needed: str) -> None:
    if not role_allows(ctx, needed):
        raise ApplicationError(ROLE_REFUSED, code="permission_denied", status=403)


def request_scope(ctx: TenantContext) -> Any:
    """The tenant scope of one request (a context manager)."""
    return tenant_scope(ctx.tenant.pk)


def admin_scope(user: Any, membership: Any) -> Any:
    """The scope of an admin-site request: every tenant for platform staff (superusers), the member's own
    tenant otherwise; None (no scope: scoped queries refuse to run) for a user of no tenant."""
    if user.is_superuser:
        return scopes_disabled()
    return tenant_scope(membership.tenant_id) if membership is not None else None


async def in_tenant(request: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run sync ORM work of an async handler in a worker thread, inside the caller's tenant scope."""
    ctx = request.auth

    def run() -> Any:
        with request_scope(ctx):
            return fn(*args, **kwargs)

    return await sync_to_async(run)()
