"""Writes for tenants, people, API keys and endpoints."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from config.errors import ApplicationError, Conflict
from tenants.endpoint_options import endpoint_options_clean
from tenants.models import ApiKey, Endpoint, Membership, Role, Tenant, generate_webhook_secret
from tenants.scoping import scopes_disabled, tenant_scope

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # what get_user_model() returns: settings keep Django's default
else:
    User = get_user_model()


def tenant_get_or_create(*, name: str) -> tuple[Tenant, bool]:
    slug = slugify(name)[:100] or "tenant"
    return Tenant.objects.get_or_create(name=name, defaults={"slug": slug})


def user_create(*, tenant: Tenant, username: str, password: str, role: str = Role.VIEWER, email: str = "") -> User:
    """Create a person with a role in ``tenant``. Tenant admins also get admin-site access."""
    if role not in Role.values:
        raise ApplicationError(f"Unknown role '{role}'.", code="invalid_role")
    if User.objects.filter(username=username).exists():
        raise Conflict(f"The username '{username}' is taken.", code="username_taken")
    with transaction.atomic():
        user = User.objects.create_user(username=username, password=password, email=email, is_staff=role in (Role.ADMIN, Role.HR))
        with tenant_scope(tenant.pk):
            Membership.objects.create(tenant=tenant, user=user, role=role)
    return user


def user_is_shared(*, user: User, tenant: Tenant) -> bool:
    """Whether ``user`` also belongs to a tenant other than ``tenant``."""
    with scopes_disabled():
        return Membership.objects.filter(user=user).exclude(tenant=tenant).exists()


def user_staff_sync(*, user: User) -> None:
    """Admin-site access (``is_staff``) follows the person's roles in *every* tenant they belong to.

    Computed across memberships so that demoting someone in one tenant never locks them out of the
    back office of another tenant where they are still an admin.
    """
    with scopes_disabled():
        is_staff = user.is_superuser or Membership.objects.filter(user=user, role__in=(Role.ADMIN, Role.HR)).exists()
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])


def membership_set_role(*, membership: Membership, role: str) -> Membership:
    """Change a member's role in their tenant; admin-site access follows (viewers have none)."""
    if role not in Role.values:
        raise ApplicationError(f"Unknown role '{role}'.", code="invalid_role")
    with transaction.atomic():
        membership.role = role
        membership.save(update_fields=["role"])
        user_staff_sync(user=membership.user)
    return membership


@dataclass(frozen=True)
class IssuedApiKey:
    key: ApiKey
    raw: str


def api_key_create(*, tenant: Tenant, name: str, expires_at: datetime | None = None) -> IssuedApiKey:
    raw, prefix, hashed = ApiKey.generate()
    with tenant_scope(tenant.pk):
        key = ApiKey.objects.create(tenant=tenant, name=name, prefix=prefix, hashed_key=hashed, expires_at=expires_at)
    return IssuedApiKey(key=key, raw=raw)


def api_key_revoke(*, key: ApiKey) -> ApiKey:
    key.is_revoked = True
    key.save(update_fields=["is_revoked"])
    return key


def endpoint_create(
    *, tenant: Tenant, name: str, callback_url: str = "", options: object = None, is_active: bool = True
) -> Endpoint:
    if callback_url:
        from tenants.callback_guard import validate_callback_url

        validate_callback_url(callback_url)
    cleaned = endpoint_options_clean(options)
    with tenant_scope(tenant.pk):
        return Endpoint.objects.create(tenant=tenant, name=name, callback_url=callback_url, options=cleaned, is_active=is_active)


def endpoint_update(*, endpoint: Endpoint, **fields: object) -> Endpoint:
    if fields.get("callback_url"):
        from tenants.callback_guard import validate_callback_url

        validate_callback_url(str(fields["callback_url"]))
    if "options" in fields:
        fields["options"] = endpoint_options_clean(fields["options"])
    for name, value in fields.items():
        setattr(endpoint, name, value)
    if fields.get("is_active"):
        endpoint.webhooks_disabled_at = None
        endpoint.webhooks_disabled_reason = ""
        endpoint.failing_since = None
    endpoint.save()
    return endpoint


def endpoint_rotate_secret(*, endpoint: Endpoint, overlap: timedelta = timedelta(hours=24)) -> Endpoint:
    """New signing secret; the old one keeps signing (as a second signature) for ``overlap``."""
    endpoint.previous_secret = endpoint.secret
    endpoint.previous_secret_expires_at = timezone.now() + overlap
    endpoint.secret = generate_webhook_secret()
    endpoint.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return endpoint


@dataclass(frozen=True)
class Provisioned:
    tenant: Tenant
    user: User
    api_key: str
    endpoint: Endpoint


def tenant_provision(*, tenant_name: str, admin_username: str, password: str, callback_url: str = "") -> Provisioned:
    """Idempotent set-up for automation: tenant + admin (reused if present), new key and endpoint."""
    with transaction.atomic():
        tenant, _ = tenant_get_or_create(name=tenant_name)
        user = User.objects.filter(username=admin_username).first()
        if user is None:
            user = user_create(tenant=tenant, username=admin_username, password=password, role=Role.ADMIN)
        else:
            with scopes_disabled():
                Membership.objects.update_or_create(user=user, tenant=tenant, defaults={"role": Role.ADMIN})
            if not user.is_staff:
                user.is_staff = True
                user.save(update_fields=["is_staff"])
        issued = api_key_create(tenant=tenant, name=f"provisioned {timezone.now():%Y-%m-%d %H:%M}")
        endpoint = endpoint_create(tenant=tenant, name="default", callback_url=callback_url)
    return Provisioned(tenant=tenant, user=user, api_key=issued.raw, endpoint=endpoint)
