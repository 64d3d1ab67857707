from __future__ import annotations

import json
from typing import Any

from rest_framework import serializers

from cvs.candidate_data import sees_contacts
from cvs.selectors import job_result_payload_masked
from webhooks.models import EventType, WebhookAttempt, WebhookDelivery
from webhooks.services import payload_serialize


class ExcerptByRoleMixin:
    """Receivers often echo the body they got, contacts included: a role that sees contacts masked (context
    ``role``; none given counts as such) gets no ``response_excerpt``. Status codes and errors stay."""

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)  # type: ignore[misc]
        if not sees_contacts(self.context.get("role")):  # type: ignore[attr-defined]
            data["response_excerpt"] = None
        return data


class WebhookDeliverySerializer(ExcerptByRoleMixin, serializers.ModelSerializer):
    endpoint_name = serializers.CharField(source="endpoint.name", read_only=True)

    class Meta:
        model = WebhookDelivery
        fields: tuple[str, ...] = (
            "id", "event_id", "event_type", "endpoint_id", "endpoint_name", "job_id", "status", "attempts",
            "last_status_code", "response_excerpt", "last_error", "next_attempt_at", "delivered_at", "created_at",
        )


class WebhookAttemptSerializer(ExcerptByRoleMixin, serializers.ModelSerializer):
    class Meta:
        model = WebhookAttempt
        fields = ("number", "url", "started_at", "duration_ms", "status_code", "error", "response_excerpt")


class WebhookDeliveryDetailSerializer(WebhookDeliverySerializer):
    payload = serializers.SerializerMethodField()
    attempt_log = WebhookAttemptSerializer(many=True, read_only=True)

    class Meta(WebhookDeliverySerializer.Meta):
        fields = (*WebhookDeliverySerializer.Meta.fields, "payload", "attempt_log")

    def get_payload(self, delivery: WebhookDelivery) -> str:
        """The exact body sent, as text: the bytes that were signed. For a role that sees contacts masked
        (context ``role``), the same body with e-mail and phone masked and document links removed."""
        if sees_contacts(self.context.get("role")):
            return delivery.payload
        return payload_serialize(job_result_payload_masked(json.loads(delivery.payload)))


class DeliveryFilterSerializer(serializers.Serializer):
    endpoint = serializers.UUIDField(required=False)
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices, required=False)
    event_type = serializers.ChoiceField(choices=EventType.choices, required=False)
    job = serializers.UUIDField(required=False)


class ReplayManySerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=500)
