"""Base views for tenant-scoped DRF endpoints: they enter the caller's tenant scope."""

from __future__ import annotations

from typing import Any

from django_scopes import scope
from rest_framework.exceptions import NotAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from tenants.authentication import ApiKeyAuthentication, TenantContext, TenantJWTAuthentication
from tenants.permissions import HasTenantRole, HasTenantRoleOrApiKey


class TenantScopedMixin:
    """Authenticate, check the role, then run the handler inside the caller's tenant scope."""

    authentication_classes = [TenantJWTAuthentication]
    permission_classes = [HasTenantRole]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not isinstance(request.auth, TenantContext):
            raise NotAuthenticated("Send your credentials as 'Authorization: Bearer <token>'.")
        self._tenant_scope = scope(tenant=request.auth.tenant.pk)
        self._tenant_scope.__enter__()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        tenant_scope = getattr(self, "_tenant_scope", None)
        if tenant_scope is not None:
            tenant_scope.__exit__(None, None, None)
            self._tenant_scope = None
        return super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]

    @property
    def tenant_context(self) -> TenantContext:
        return self.request.auth  # type: ignore[attr-defined]


class TenantAPIView(TenantScopedMixin, APIView):
    pass


class ApiKeyAPIView(TenantScopedMixin, APIView):
    """For client systems: API-key auth, no role bar beyond holding a valid key."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = []


class TenantOrApiKeyAPIView(TenantScopedMixin, APIView):
    """For both: people with a JWT (the usual role bars) and client systems with an API key."""

    authentication_classes = [TenantJWTAuthentication, ApiKeyAuthentication]
    permission_classes = [HasTenantRoleOrApiKey]
