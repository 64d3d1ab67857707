"""Reads for tenants. Tenant-owned models are filtered by the active scope."""

from __future__ import annotations

import uuid
from typing import Any

from django.contrib.auth import authenticate

from config.errors import ApplicationError, NotFound
from tenants.lookup_cache import cached_lookup
from tenants.models import ApiKey, Endpoint, Membership, Tenant
from tenants.scoping import required_tenant_id, scopes_disabled


def is_uuid(value: Any) -> bool:
    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


_MAX_BIGINT = 2**63 - 1


def is_integer_id(value: Any) -> bool:
    """ASCII digits within PostgreSQL's bigint: ``str.isdigit`` also accepts "¹", which int() refuses."""
    text = str(value)
    return text.isascii() and text.isdigit() and int(text) <= _MAX_BIGINT


def endpoint_get(*, endpoint_id: Any, cached: bool = False) -> Endpoint:
    """The endpoint in the current tenant scope; anything else (other tenant, malformed id) is 404.

    ``cached``: from this process's look-up cache (``tenants.lookup_cache``), for the intake hot path; code
    that edits the endpoint reads it from the database.
    """
    if not is_uuid(endpoint_id):
        raise NotFound("Endpoint not found.")

    def load() -> Endpoint | None:
        return Endpoint.objects.filter(pk=endpoint_id).first()

    endpoint = cached_lookup("endpoint", f"{required_tenant_id()}:{endpoint_id}", load) if cached else load()
    if endpoint is None:
        raise NotFound("Endpoint not found.")
    return endpoint


def api_key_get(*, key_id: Any) -> ApiKey:
    key = ApiKey.objects.filter(pk=key_id).first() if is_integer_id(key_id) else None
    if key is None:
        raise NotFound("API key not found.")
    return key


def login_membership(*, username: str, password: str, tenant: str | None = None) -> Membership:
    user = authenticate(username=username, password=password)
    if user is None:
        raise ApplicationError("Invalid username or password.", code="invalid_credentials", status=401)
    with scopes_disabled():
        memberships = Membership.objects.select_related("tenant", "user").filter(user=user, tenant__is_active=True)
        if tenant:
            tenants = Tenant.objects.filter(slug=tenant) | Tenant.objects.filter(name=tenant)
            memberships = memberships.filter(tenant__in=tenants)
        membership = memberships.order_by("created_at").first()
    if membership is None:
        raise ApplicationError("This account has no access to an active tenant.", code="no_membership", status=403)
    return membership
