"""Who is calling, and for which tenant: API keys for client systems, JWT for people."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.http import HttpRequest
from django.utils import timezone
from rest_framework import authentication, exceptions
from rest_framework_simplejwt.authentication import JWTAuthentication
from rest_framework_simplejwt.exceptions import InvalidToken, TokenError
from rest_framework_simplejwt.tokens import AccessToken

from tenants.lookup_cache import cached_forget, cached_lookup
from tenants.models import API_KEY_PREFIX, ApiKey, Membership, Role, Tenant
from tenants.scoping import scopes_disabled


@dataclass(frozen=True)
class TenantContext:
    """The tenant and role a request acts as; DRF's ``request.auth``."""

    tenant: Tenant
    role: str
    api_key: ApiKey | None = None

    @property
    def tenant_id(self) -> Any:
        return self.tenant.pk


class TenantRequest(HttpRequest):
    """For type hints in Ninja views: a request our API authentication let through, with its TenantContext
    in ``auth`` (Ninja stores there what the auth class returned)."""

    auth: TenantContext


class ApiClient:
    """The ``request.user`` of an API-key call: a client system, not a person."""

    is_authenticated = True
    is_active = True
    is_staff = False
    is_superuser = False
    pk = None

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key

    def __str__(self) -> str:
        return f"api-key:{self.api_key.prefix}"


def _bearer(request: Any) -> str | None:
    header = authentication.get_authorization_header(request).decode(errors="replace")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def api_key_lookup(raw: str) -> ApiKey:
    """The usable key for ``raw``, or AuthenticationFailed. Constant-time hash comparison."""
    parts = raw.split("_", 2)
    if len(parts) != 3 or parts[0] != API_KEY_PREFIX:
        raise exceptions.AuthenticationFailed("Invalid API key.")
    prefix = parts[1]

    def load() -> ApiKey | None:
        with scopes_disabled():
            return ApiKey.objects.select_related("tenant").filter(prefix=prefix).first()

    key = cached_lookup("api_key", prefix, load)
    if key is None or not key.matches(raw):
        raise exceptions.AuthenticationFailed("Invalid API key.")
    if key.is_revoked:
        raise exceptions.AuthenticationFailed("This API key has been revoked.")
    if not key.is_usable:
        raise exceptions.AuthenticationFailed("This API key has expired.")
    if not key.tenant.is_active:
        raise exceptions.AuthenticationFailed("This tenant is inactive.")
    now = timezone.now()
    # Throttled write: last-used precision of a minute is plenty and spares the hot path.
    if key.last_used_at is None or (now - key.last_used_at).total_seconds() > 60:
        with scopes_disabled():
            ApiKey.objects.filter(pk=key.pk).update(last_used_at=now)
        # The stamp leaves the shared version alone (it would empty every process's cache each minute);
        # this process looks again so that its next call sees the new stamp and does not write it again.
        cached_forget("api_key", prefix)
    return key


class ApiKeyAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Any) -> tuple[ApiClient, TenantContext] | None:
        raw = _bearer(request)
        if raw is None:
            return None
        key = api_key_lookup(raw)
        return ApiClient(key), TenantContext(tenant=key.tenant, role="client", api_key=key)

    def authenticate_header(self, request: Any) -> str:
        return 'Bearer realm="api-key"'


def membership_for(user: Any, tenant_id: Any | None) -> Membership | None:
    with scopes_disabled():
        memberships = Membership.objects.select_related("tenant").filter(user=user, tenant__is_active=True)
        if tenant_id:
            memberships = memberships.filter(tenant_id=tenant_id)
        return memberships.order_by("created_at").first()


def context_from_access_token(raw: str) -> tuple[Any, TenantContext]:
    """Validate a JWT access token; return (user, tenant context). Used by DRF, ninja and Channels."""
    try:
        token = AccessToken(raw)  # type: ignore[arg-type]  # simplejwt's hint says Token; it takes the encoded str
    except TokenError as exc:
        raise exceptions.AuthenticationFailed("Invalid or expired token.") from exc
    user = get_user_model().objects.filter(pk=token.get("user_id"), is_active=True).first()
    if user is None:
        raise exceptions.AuthenticationFailed("User not found or inactive.")
    membership = membership_for(user, token.get("tenant_id"))
    if membership is None:
        raise exceptions.AuthenticationFailed("No active membership for this tenant.")
    return user, TenantContext(tenant=membership.tenant, role=membership.role)


class TenantJWTAuthentication(JWTAuthentication):
    # request.auth carries our TenantContext, not simplejwt's token: every tenant view reads it from there.
    def authenticate(self, request: Any) -> tuple[Any, TenantContext] | None:  # type: ignore[override]
        raw = _bearer(request)
        if raw is None or raw.startswith(API_KEY_PREFIX + "_"):
            return None
        try:
            return context_from_access_token(raw)
        except InvalidToken as exc:
            raise exceptions.AuthenticationFailed("Invalid or expired token.") from exc


ROLE_ORDER: dict[str, int] = {Role.VIEWER: 0, Role.HR: 1, Role.ADMIN: 2}
