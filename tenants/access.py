"""The one request boundary of both API frameworks: the caller's role against a bar, and the caller's tenant scope.

DRF views reach it through ``tenants/rest.py`` (``HasTenantRole`` and ``TenantScopedMixin``);
django-ninja handlers call :func:`role_require` and :func:`in_tenant`. Both frameworks leave
the caller's :class:`TenantContext` in ``request.auth``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from asgiref.sync import sync_to_async

from config.errors import ApplicationError
from tenants.authentication import ROLE_ORDER, TenantContext
from tenants.scoping import tenant_scope

ROLE_REFUSED = "Your role does not allow this action."


def role_allows(ctx: Any, needed: str) -> bool:
    """Whether a person's tenant context reaches the ``needed`` role (viewer < hr < admin)."""
    return isinstance(ctx, TenantContext) and ctx.role in ROLE_ORDER and ROLE_ORDER[ctx.role] >= ROLE_ORDER[needed]


def role_require(ctx: Any, needed: str) -> None:
    if not role_allows(ctx, needed):
        raise ApplicationError(ROLE_REFUSED, code="permission_denied", status=403)


def request_scope(ctx: TenantContext) -> Any:
    """The tenant scope of one request (a context manager)."""
    return tenant_scope(ctx.tenant.pk)


async def in_tenant(request: Any, fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """Run sync ORM work of an async handler in a worker thread, inside the caller's tenant scope."""
    ctx = request.auth

    def run() -> Any:
        with request_scope(ctx):
            return fn(*args, **kwargs)

    return await sync_to_async(run)()
