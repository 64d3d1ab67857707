"""The client-system API: POST /cv/{endpoint_id} and GET /cv/requests/{request_id}."""

from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError, NotFound
from config.json_input import json_loads_bounded
from config.rest import request_base_url
from cvs import selectors
from cvs.extraction import sniff
from cvs.pipeline import services
from tenants.rest import ApiKeyAPIView
from tenants.selectors import endpoint_get


class IntakeInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text=f"The CV: {sniff.SUPPORTED_FORMATS_TEXT}.")
    external_id = serializers.CharField(required=False, allow_blank=True, max_length=200)
    metadata = serializers.CharField(required=False, allow_blank=True, help_text="A JSON object, returned in the result.")

    def validate_metadata(self, value: str) -> dict[str, Any]:
        if not value:
            return {}
        try:
            parsed = json_loads_bounded(value, where="metadata")
        except json.JSONDecodeError as exc:
            raise serializers.ValidationError(f"metadata is not valid JSON ({exc.msg} at position {exc.pos}).") from exc
        if not isinstance(parsed, dict):
            raise serializers.ValidationError("metadata must be a JSON object.")
        return parsed


class CVIntakeApi(ApiKeyAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": IntakeInputSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        responses={202: inline_serializer("Accepted", {"message": serializers.CharField(), "request_id": serializers.UUIDField()})},
        summary="Submit a CV for processing; the result is pushed to the endpoint's callback URL",
    )
    def post(self, request: Request, endpoint_id: str) -> Response:
        endpoint = endpoint_get(endpoint_id=endpoint_id, cached=True)
        if not endpoint.is_active:
            raise NotFound("Endpoint not found or inactive.", code="endpoint_inactive")
        # Refuse oversized bodies before the multipart parser spools them to disk.
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.CV_MAX_UPLOAD_BYTES + 64 * 1024:
            raise ApplicationError(
                f"The upload exceeds the limit of {settings.CV_MAX_UPLOAD_BYTES} bytes.", code="file_too_large", status=413
            )
        serializer = IntakeInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = services.job_submit(
            tenant=self.tenant_context.tenant,
            upload=serializer.validated_data["file"],
            endpoint=endpoint,
            external_id=serializer.validated_data.get("external_id", ""),
            metadata=serializer.validated_data.get("metadata") or {},
            idempotency_key=(request.headers.get("Idempotency-Key") or "").strip()[:200] or None,
            base_url=request_base_url(request),
        )
        return Response(
            {"message": "CV accepted for processing.", "request_id": str(job.pk), "status": job.status},
            status=status.HTTP_202_ACCEPTED,
        )


class CVRequestStatusApi(ApiKeyAPIView):
    @extend_schema(summary="The result (or progress) of a CV request: the same body as the webhook")
    def get(self, request: Request, request_id: str) -> Response:
        include = request.query_params.get("include", "").split(",")
        return Response(selectors.job_result_payload(selectors.job_get(job_id=request_id), include_evidence="evidence" in include))
