"""OpenAPI generation: plain APIViews without a serializer are documented as envelope objects.

Our APIs are thin APIViews (HackSoft style) that validate with an input serializer and answer
with the {success, message, data} envelope; drf-spectacular would otherwise drop them from the
schema because it cannot guess a serializer.
"""

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.openapi import AutoSchema
from drf_spectacular.types import OpenApiTypes
from rest_framework.generics import GenericAPIView


class EnvelopeAutoSchema(AutoSchema):
    def _get_serializer(self):  # noqa: ANN202 - drf-spectacular's private hook
        view = self.view
        guessable = isinstance(view, GenericAPIView) or any(
            callable(getattr(view, name, None)) for name in ("get_serializer", "get_serializer_class")
        ) or hasattr(view, "serializer_class")
        if not guessable:
            return OpenApiTypes.OBJECT
        return super()._get_serializer()

    def get_operation_id(self) -> str:
        # One view class per path, so class + method is unique and tells the reader where to look.
        return f"{self.view.__class__.__name__.removesuffix('Api')}_{self.method.lower()}"


class JWTScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.authentication.TenantJWTAuthentication"
    name = "jwt"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201 - extension hook
        return {"type": "http", "scheme": "bearer", "bearerFormat": "JWT",
                "description": "Access token from POST /api/v1/auth/login."}


class ApiKeyScheme(OpenApiAuthenticationExtension):
    target_class = "tenants.authentication.ApiKeyAuthentication"
    name = "apiKey"

    def get_security_definition(self, auto_schema):  # noqa: ANN001, ANN201 - extension hook
        return {"type": "http", "scheme": "bearer", "description": "A client system's API key (cvk_…), sent as a Bearer token."}
