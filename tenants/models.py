from __future__ import annotations

import base64
import hashlib
import hmac
import secrets
import uuid
from datetime import datetime
from typing import ClassVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone

from tenants.lookup_cache import CredentialsModel, CredentialsQuerySet
from tenants.scoping import TenantScopedManager


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    HR = "hr", "HR"
    VIEWER = "viewer", "Viewer"


class ExtractionProvider(models.TextChoices):
    DEFAULT = "", "Deployment default"
    RULES = "rules", "Rules (offline)"
    OPENAI = "openai", "OpenAI-compatible LLM"
    ANTHROPIC = "anthropic", "Anthropic"
    HYBRID = "hybrid", "Rules + LLM"


_TenantManagerBase = models.Manager.from_queryset(CredentialsQuerySet)


class TenantManager(_TenantManagerBase["Tenant"]):
    pass


class Tenant(CredentialsModel):
    """A customer organisation. The root of every tenant-owned object graph.

    Its rows are cached by the client-call look-ups (``tenants.lookup_cache``): every write goes through
    ``CredentialsModel``/``CredentialsQuerySet`` so that those caches look again.
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    is_active = models.BooleanField(default=True)
    extraction_provider = models.CharField(max_length=20, choices=ExtractionProvider.choices, blank=True, default="")
    llm_model = models.CharField(max_length=100, blank=True, help_text="Overrides LLM_MODEL for this tenant.")
    retention_days = models.PositiveIntegerField(
        null=True, blank=True, help_text="Delete CV files and text after this many days."
    )
    monthly_cv_quota = models.PositiveIntegerField(
        null=True, blank=True, help_text="CVs accepted per calendar month; empty means unlimited."
    )
    review_threshold = models.FloatField(
        default=0.6, validators=[MinValueValidator(0.0), MaxValueValidator(1.0)],
        help_text="A CV job needs review when a key value's confidence is below this (0 to 1).",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TenantManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_extraction_provider(self) -> str:
        return self.extraction_provider or settings.EXTRACTION_PROVIDER


class TenantOwned(models.Model):
    """Base for every tenant-owned table: indexed tenant FK and the scoped manager."""

    tenant = models.ForeignKey(Tenant, on_delete=models.CASCADE, db_index=True, related_name="+")

    objects = TenantScopedManager()

    class Meta:
        abstract = True


class Membership(TenantOwned):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=10, choices=Role.choices, default=Role.VIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "tenant"], name="uniq_membership_user_tenant")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.tenant_id} ({self.role})"


API_KEY_PREFIX = "cvk"


def hash_secret(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def validate_in_future(value: datetime) -> None:
    # A key born expired is always a client mistake (wrong year, wrong time zone): say so instead of
    # issuing a credential that silently never works.
    if value <= timezone.now():
        raise ValidationError("Must be in the future.", code="expires_in_past")


_CredentialsManagerBase = TenantScopedManager.from_queryset(CredentialsQuerySet)


class ApiKeyManager(_CredentialsManagerBase["ApiKey"]):
    pass


class EndpointManager(_CredentialsManagerBase["Endpoint"]):
    pass


class ApiKey(TenantOwned, CredentialsModel):
    """A client system's credential. Only a lookup prefix and a SHA-256 hash are stored; the row is cached
    by ``tenants.authentication.api_key_lookup`` (see ``tenants.lookup_cache``)."""

    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=16, unique=True)
    hashed_key = models.CharField(max_length=64)
    is_revoked = models.BooleanField(default=False)
    expires_at = models.DateTimeField(null=True, blank=True, validators=[validate_in_future])
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[ApiKeyManager] = ApiKeyManager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({API_KEY_PREFIX}_{self.prefix}_…)"

    @staticmethod
    def generate() -> tuple[str, str, str]:
        """Return (raw key, prefix, hash). The raw key is shown once and never stored."""
        prefix = secrets.token_hex(6)
        raw = f"{API_KEY_PREFIX}_{prefix}_{secrets.token_urlsafe(32)}"
        return raw, prefix, hash_secret(raw)

    def matches(self, raw: str) -> bool:
        return hmac.compare_digest(self.hashed_key, hash_secret(raw))

    @property
    def is_usable(self) -> bool:
        return not self.is_revoked and (self.expires_at is None or self.expires_at > timezone.now())


def generate_webhook_secret() -> str:
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode()


class Endpoint(TenantOwned, CredentialsModel):
    """Where client systems send CVs (/cv/{id}) and where their results go (callback_url). Cached at intake
    (``tenants.selectors.endpoint_get(cached=True)``, see ``tenants.lookup_cache``)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=100)
    callback_url = models.URLField(max_length=500, blank=True)
    secret = models.CharField(max_length=100, default=generate_webhook_secret)
    # During a rotation's overlap window deliveries carry signatures for both secrets.
    previous_secret = models.CharField(max_length=100, blank=True)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True)
    is_active = models.BooleanField(default=True)
    options = models.JSONField(
        default=dict,
        blank=True,
        help_text='e.g. {"condition_id": "<uuid>", "documents": {"formats": ["pdf"], "template_id": "<uuid>", "anonymised": false}}',
    )
    webhooks_disabled_at = models.DateTimeField(null=True, blank=True)
    webhooks_disabled_reason = models.CharField(max_length=200, blank=True)
    failing_since = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects: ClassVar[EndpointManager] = EndpointManager()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def signing_secrets(self) -> list[str]:
        secrets_ = [self.secret]
        if self.previous_secret and self.previous_secret_expires_at and self.previous_secret_expires_at > timezone.now():
            secrets_.append(self.previous_secret)
        return secrets_
