"""Tenant scoping: one mechanism for every tenant-owned table.

Built on django-scopes (from pretix): tenant-owned models use ``ScopedManager``, which
refuses to run a query unless a tenant scope is active, and filters by that tenant
when one is. Entry points (requests, Celery tasks, management commands) enter the
scope; system code that must see every tenant says so with ``scopes_disabled()``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any, TypeVar

from django.db import models
from django_scopes import ScopedManager, get_scope, scope, scopes_disabled
from django_scopes.exceptions import ScopeError

__all__ = ["ScopeError", "TenantScopedManager", "current_tenant_id", "required_tenant_id", "scopes_disabled",
           "tenant_scope"]

_M = TypeVar("_M", bound=models.Model)

# django-scopes builds its manager class inside a function; subclassing it here gives that class a
# module-level name, which django-stubs' mypy plugin needs to type ``objects`` and related managers.
if TYPE_CHECKING:
    _ScopedManager = models.Manager
else:
    _ScopedManager = type(ScopedManager(tenant="tenant_id"))


class TenantScopedManager(_ScopedManager[_M]):
    """Filters by the active tenant scope. With a custom queryset, subclass ``TenantScopedManager.from_queryset(QS)``
    at module level (see ``cvs.models.CandidateManager``)."""


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


def required_tenant_id() -> Any:
    """The active scope's tenant id, for code that bypasses the scoped manager (raw SQL); ScopeError without one."""
    current = get_scope()
    if not current.get("_enabled") or not current.get("tenant"):
        raise ScopeError("This needs an active tenant scope.")
    return current["tenant"]
