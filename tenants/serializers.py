from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from tenants.endpoint_options import OPENAPI_SCHEMA as ENDPOINT_OPTIONS_SCHEMA
from tenants.models import ApiKey, Endpoint


class LoginInputSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    tenant = serializers.CharField(required=False, help_text="Tenant slug or id, for people in several tenants.")


class RefreshInputSerializer(serializers.Serializer):
    refresh = serializers.CharField()


class ApiKeySerializer(serializers.ModelSerializer):
    class Meta:
        model = ApiKey
        fields = ["id", "name", "prefix", "is_revoked", "expires_at", "last_used_at", "created_at"]
        read_only_fields = ["id", "prefix", "is_revoked", "last_used_at", "created_at"]


@extend_schema_field(ENDPOINT_OPTIONS_SCHEMA)
class EndpointOptionsField(serializers.JSONField):
    """Checked by the services (tenants/endpoint_options.py); typed here so the OpenAPI document says what is accepted."""


class EndpointSerializer(serializers.ModelSerializer):
    options = EndpointOptionsField(required=False)

    class Meta:
        model = Endpoint
        fields = [
            "id", "name", "callback_url", "is_active", "options",
            "webhooks_disabled_at", "webhooks_disabled_reason", "created_at",
        ]
        read_only_fields = ["id", "webhooks_disabled_at", "webhooks_disabled_reason", "created_at"]


class EndpointWithSecretSerializer(EndpointSerializer):
    class Meta(EndpointSerializer.Meta):
        fields = [*EndpointSerializer.Meta.fields, "secret"]
