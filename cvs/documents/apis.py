"""/api/v1/talents/{id}/documents and the signed download view for filesystem storage."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, HttpRequest, JsonResponse
from django.views.decorators.http import require_GET
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError
from config.rest import error_body, ok, paginated
from cvs.candidate_data import sees_contacts
from cvs.documents import selectors, services
from cvs.documents.models import GeneratedDocument
from tenants.rest import TenantAPIView

FORMAT_CHOICES = {"pdf": ("pdf",), "docx": ("docx",), "both": ("pdf", "docx")}


class DocumentRequestSerializer(serializers.Serializer):
    template = serializers.UUIDField(required=False, allow_null=True, help_text="Document template id; the default when absent.")
    format = serializers.ChoiceField(choices=list(FORMAT_CHOICES), default="both")
    anonymised = serializers.BooleanField(default=False)


def _document_out(request: Request, document: GeneratedDocument) -> dict[str, Any]:
    url, expires_at = services.document_link(document=document)
    return {
        "id": str(document.id),
        "format": document.format,
        "anonymised": document.anonymised,
        "language": document.language,
        "template_id": str(document.template_id) if document.template_id else None,
        "size": document.file_size,
        "render_ms": document.render_ms,
        "created_at": document.created_at.isoformat(),
        "url": request.build_absolute_uri(url),
        "expires_at": expires_at.isoformat(),
    }


class TalentDocumentsApi(TenantAPIView):
    """A talent's branded CV documents: viewers list the anonymised ones, hr and admin list all and generate them."""

    @extend_schema(summary="List a talent's generated documents, each with a fresh expiring link (viewers: anonymised only)")
    def get(self, request: Request, candidate_id: str) -> Response:
        candidate = selectors.document_candidate_get(candidate_id=candidate_id)
        documents = selectors.candidate_documents(candidate=candidate, anonymised_only=not sees_contacts(self.tenant_context.role))
        # Each item signs a fresh link, so pages stay smaller than elsewhere.
        return paginated(request, documents, lambda document: _document_out(request, document), max_size=100)

    @extend_schema(request=DocumentRequestSerializer, summary="Render a talent's CV as branded PDF and/or DOCX")
    def post(self, request: Request, candidate_id: str) -> Response:
        serializer = DocumentRequestSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = selectors.document_candidate_get(candidate_id=candidate_id)
        template_id = serializer.validated_data.get("template")
        template = selectors.document_template_get(template_id=template_id) if template_id else None
        documents = services.document_generate(
            candidate=candidate,
            template=template,
            formats=FORMAT_CHOICES[serializer.validated_data["format"]],
            anonymised=serializer.validated_data["anonymised"],
            created_by=request.user if getattr(request.user, "pk", None) else None,
        )
        return ok([_document_out(request, doc) for doc in documents], "Documents generated.", status.HTTP_201_CREATED)


@require_GET
def document_download(request: HttpRequest, token: str) -> FileResponse | JsonResponse:
    """Serve one document to whoever holds its unexpired signed link (filesystem storage; S3 links go to S3)."""
    try:
        document = services.document_from_download_token(token=token)
    except ApplicationError as exc:
        return JsonResponse(error_body(exc.message, exc.code), status=exc.status)
    response = FileResponse(
        default_storage.open(document.file_path, "rb"), as_attachment=True, filename=document.download_name,
        content_type=document.mime_type,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
