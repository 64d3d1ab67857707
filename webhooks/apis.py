"""/api/v1/webhooks/… and /api/v1/endpoints/{id}/test-webhook."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.rest import ok, paginated
from tenants.models import Role
from tenants.rest import TenantAPIView
from tenants.selectors import endpoint_get
from webhooks import selectors, services
from webhooks.models import WebhookDelivery
from webhooks.serializers import (
    DeliveryFilterSerializer,
    ReplayManySerializer,
    WebhookDeliveryDetailSerializer,
    WebhookDeliverySerializer,
)


class WebhookAPIView(TenantAPIView):
    def delivery_out(self, delivery: WebhookDelivery, serializer_class: type = WebhookDeliverySerializer) -> Any:
        """The delivery as the caller's role may read it (viewers: contacts masked, no response excerpts)."""
        return serializer_class(delivery, context={"role": self.tenant_context.role}).data


class DeliveryListApi(WebhookAPIView):
    @extend_schema(parameters=[DeliveryFilterSerializer], summary="Webhook deliveries, newest first")
    def get(self, request: Request) -> Response:
        filters = DeliveryFilterSerializer(data=request.query_params)
        filters.is_valid(raise_exception=True)
        data = filters.validated_data
        deliveries = selectors.webhook_delivery_list(
            endpoint_id=data.get("endpoint"), status=data.get("status"), event_type=data.get("event_type"), job_id=data.get("job")
        )
        return paginated(request, deliveries, self.delivery_out)


class DeliveryDetailApi(WebhookAPIView):
    @extend_schema(summary="One delivery with its payload and attempt log")
    def get(self, request: Request, delivery_id: str) -> Response:
        delivery = selectors.webhook_delivery_get(delivery_id=delivery_id)
        return ok(self.delivery_out(delivery, WebhookDeliveryDetailSerializer))


class DeliveryReplayApi(WebhookAPIView):
    write_role = Role.HR

    @extend_schema(request=None, summary="Send a delivery again (same webhook-id)")
    def post(self, request: Request, delivery_id: str) -> Response:
        delivery = services.webhook_delivery_replay(delivery=selectors.webhook_delivery_get(delivery_id=delivery_id))
        return ok(self.delivery_out(delivery), "Delivery queued again.", status.HTTP_202_ACCEPTED)


class DeliveryReplayManyApi(TenantAPIView):
    write_role = Role.HR

    @extend_schema(request=ReplayManySerializer, summary="Send many deliveries again")
    def post(self, request: Request) -> Response:
        serializer = ReplayManySerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        deliveries = selectors.webhook_deliveries_get(delivery_ids=serializer.validated_data["ids"])
        outcome = services.webhook_deliveries_replay(deliveries=deliveries)
        data = {
            "replayed": [str(d.pk) for d in outcome.replayed],
            "skipped": [{"id": str(d.pk), "error_code": exc.code, "message": exc.message} for d, exc in outcome.skipped],
        }
        return ok(data, f"{len(outcome.replayed)} queued again, {len(outcome.skipped)} skipped.", status.HTTP_202_ACCEPTED)


class EndpointTestWebhookApi(WebhookAPIView):
    write_role = Role.HR

    @extend_schema(request=None, summary="Queue a signed webhook.test event to the endpoint's callback URL")
    def post(self, request: Request, endpoint_id: str) -> Response:
        delivery = services.webhook_test_send(endpoint=endpoint_get(endpoint_id=endpoint_id))
        return ok(self.delivery_out(delivery), "Test event queued.", status.HTTP_202_ACCEPTED)


class EndpointEnableWebhooksApi(TenantAPIView):
    write_role = Role.ADMIN

    @extend_schema(request=None, summary="Re-enable webhooks after the circuit breaker or a 410; held deliveries are replayed")
    def post(self, request: Request, endpoint_id: str) -> Response:
        replayed = services.webhook_endpoint_enable(endpoint=endpoint_get(endpoint_id=endpoint_id))
        return ok({"replayed": replayed}, f"Webhooks enabled; {replayed} held deliveries queued again.")
