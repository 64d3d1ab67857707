"""Tenant scoping: one mechanism for every tenant-owned table.

Built on django-scopes (from pretix): tenant-owned models use ``ScopedManager``, which
refuses to run a query unless a tenant scope is active, and filters by that tenant
when one is. Entry points (requests, Celery tasks, management commands) enter the
scope; system code that must see every tenant says so with ``scopes_disabled()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django_scopes import ScopedManager, get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

__all__ = ["ScopeError", "TenantScopedManager", "current_tenant_id", "scopes_disabled", "tenant_scope"]


def TenantScopedManager(manager_class: Any = None) -> Any:  # noqa: N802 - reads like a class at call sites
    from django.db import models

    return ScopedManager(_manager_class=manager_class or models.Manager, tenant="tenant_id")


@contextmanager
def tenant_scope(tenant_id: Any) -> Iterator[None]:
    """Enter the scope of one tenant. ``None`` is refused: it would disable the filter."""
    if tenant_id is None:
        raise ScopeError("tenant_scope() needs a tenant id")
    with scope(tenant=getattr(tenant_id, "pk", tenant_id)):
        yield


def current_tenant_id() -> str:
    """The id of the tenant whose scope is active, as text; "" outside a tenant scope."""
    current = get_scope()
    return str(current["tenant"]) if current.get("_enabled") and current.get("tenant") else ""
