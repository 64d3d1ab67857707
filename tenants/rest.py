"""Base views for tenant-scoped DRF endpoints: they enter the caller's tenant scope."""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from typing import Any

from rest_framework.authentication import BaseAuthentication
from rest_framework.exceptions import NotAuthenticated
from rest_framework.permissions import BasePermission, OperandHolder, SingleOperandHolder
from rest_framework.request import Request
from rest_framework.views import APIView

from tenants.access import request_scope
from tenants.authentication import ApiKeyAuthentication, TenantContext, TenantJWTAuthentication
from tenants.permissions import HasTenantRole, HasTenantRoleOrApiKey


class TenantScopedMixin:
    """Authenticate, check the role, then run the handler inside the caller's tenant scope."""

    authentication_classes: Sequence[type[BaseAuthentication]] = [TenantJWTAuthentication]
    # APIView's own attribute types, so the mixin and APIView agree.
    permission_classes: Sequence[type[BasePermission] | OperandHolder | SingleOperandHolder] = [HasTenantRole]

    def dispatch(self, request: Any, *args: Any, **kwargs: Any) -> Any:
        # The scope is left when dispatch ends, however it ends: DRF skips finalize_response
        # when an exception escapes its exception handling, and a scope left active would
        # carry this tenant into the next request on the thread.
        with ExitStack() as self._scope_exit:
            return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)  # type: ignore[misc]
        if not isinstance(request.auth, TenantContext):
            raise NotAuthenticated("Send your credentials as 'Authorization: Bearer <token>'.")
        self._scope_exit.enter_context(request_scope(request.auth))

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
