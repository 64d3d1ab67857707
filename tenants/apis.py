"""/api/v1/auth, /api/v1/api-keys and /api/v1/endpoints."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AbstractUser
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import RefreshToken

from config.errors import ApplicationError
from config.rest import ok, paginated
from tenants import selectors, services
from tenants.models import ApiKey, Endpoint, Role
from tenants.rest import TenantAPIView
from tenants.serializers import (
    ApiKeySerializer,
    EndpointSerializer,
    EndpointWithSecretSerializer,
    LoginInputSerializer,
    RefreshInputSerializer,
)
from tenants.throttling import LoginThrottle


def _tokens_for(membership: Any) -> dict[str, Any]:
    refresh = RefreshToken.for_user(membership.user)
    refresh["tenant_id"] = str(membership.tenant_id)
    refresh["role"] = membership.role
    access = refresh.access_token
    return {
        "access_token": str(access),
        "refresh_token": str(refresh),
        "token_type": "bearer",
        "expires_in": int(access.lifetime.total_seconds()),
        "user": {"id": membership.user.pk, "username": membership.user.username, "role": membership.role},
        "tenant": {"id": str(membership.tenant_id), "name": membership.tenant.name, "slug": membership.tenant.slug},
    }


class LoginApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]
    throttle_classes = [LoginThrottle]

    @extend_schema(request=LoginInputSerializer, summary="Exchange username and password for JWT tokens")
    def post(self, request: Request) -> Response:
        serializer = LoginInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = selectors.login_membership(**serializer.validated_data)
        return ok(_tokens_for(membership), "Logged in.")


class RefreshApi(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(request=RefreshInputSerializer, summary="Get a new access token")
    def post(self, request: Request) -> Response:
        serializer = RefreshInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            refresh = RefreshToken(serializer.validated_data["refresh"])
        except TokenError as exc:
            raise ApplicationError("Invalid or expired refresh token.", code="invalid_token", status=401) from exc
        return ok({"access_token": str(refresh.access_token), "token_type": "bearer"})


class MeApi(TenantAPIView):
    def get(self, request: Request) -> Response:
        ctx = self.tenant_context
        user = request.user
        assert isinstance(user, AbstractUser)  # JWT only (TenantAPIView): a person, never AnonymousUser or an API client
        return ok({
            "id": user.pk,
            "username": user.username,
            "email": user.email,
            "role": ctx.role,
            "tenant": {"id": str(ctx.tenant.pk), "name": ctx.tenant.name, "slug": ctx.tenant.slug},
        })


class ApiKeyListApi(TenantAPIView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request: Request) -> Response:
        return paginated(request, ApiKey.objects.order_by("-created_at"), ApiKeySerializer)

    @extend_schema(request=ApiKeySerializer)
    def post(self, request: Request) -> Response:
        serializer = ApiKeySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        issued = services.api_key_create(tenant=self.tenant_context.tenant, **serializer.validated_data)
        data = {**ApiKeySerializer(issued.key).data, "api_key": issued.raw}
        return ok(data, "API key created. Store it now: it is not shown again.", status.HTTP_201_CREATED)


class ApiKeyDetailApi(TenantAPIView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request: Request, key_id: str) -> Response:
        return ok(ApiKeySerializer(selectors.api_key_get(key_id=key_id)).data)

    def delete(self, request: Request, key_id: str) -> Response:
        key = services.api_key_revoke(key=selectors.api_key_get(key_id=key_id))
        return ok(ApiKeySerializer(key).data, "API key revoked.")


class EndpointListApi(TenantAPIView):
    read_role = Role.HR
    write_role = Role.ADMIN

    def get(self, request: Request) -> Response:
        return paginated(request, Endpoint.objects.order_by("name"), EndpointSerializer)

    @extend_schema(request=EndpointSerializer)
    def post(self, request: Request) -> Response:
        serializer = EndpointSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_create(tenant=self.tenant_context.tenant, **serializer.validated_data)
        return ok(EndpointWithSecretSerializer(endpoint).data, "Endpoint created.", status.HTTP_201_CREATED)


class EndpointDetailApi(TenantAPIView):
    read_role = Role.HR
    write_role = Role.ADMIN

    def get(self, request: Request, endpoint_id: str) -> Response:
        return ok(EndpointWithSecretSerializer(selectors.endpoint_get(endpoint_id=endpoint_id)).data)

    @extend_schema(request=EndpointSerializer)
    def patch(self, request: Request, endpoint_id: str) -> Response:
        endpoint = selectors.endpoint_get(endpoint_id=endpoint_id)
        serializer = EndpointSerializer(endpoint, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        endpoint = services.endpoint_update(endpoint=endpoint, **serializer.validated_data)
        return ok(EndpointWithSecretSerializer(endpoint).data, "Endpoint updated.")

    def delete(self, request: Request, endpoint_id: str) -> Response:
        endpoint = services.endpoint_update(endpoint=selectors.endpoint_get(endpoint_id=endpoint_id), is_active=False)
        return ok(EndpointSerializer(endpoint).data, "Endpoint deactivated.")


class EndpointRotateSecretApi(TenantAPIView):
    write_role = Role.ADMIN

    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = services.endpoint_rotate_secret(endpoint=selectors.endpoint_get(endpoint_id=endpoint_id))
        return ok(EndpointWithSecretSerializer(endpoint).data, "Secret rotated; the previous one signs too for 24 hours.")
