"""One call from a CV file to branded documents: POST /api/v1/documents/render and its status URL.

The CV goes through the normal intake and pipeline (its rendering stage runs on the documents queue);
the call waits up to DOCUMENTS_RENDER_WAIT_SECONDS for the documents, else answers 202 with a status URL.
People (JWT, hr and admin) and client systems (API key) may call it.
"""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError, NotFound
from config.rest import envelope, request_base_url
from cvs.documents.apis import FORMAT_CHOICES
from cvs.documents.selectors import document_template_get, job_documents, job_documents_request
from cvs.documents.services import document_links
from cvs.extraction import sniff
from cvs.models import CVJob
from cvs.pipeline.services import job_submit
from cvs.selectors import job_get, job_wait
from tenants.models import Role
from tenants.rest import TenantOrApiKeyAPIView


class RenderInputSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, help_text=f"The CV: {sniff.SUPPORTED_FORMATS_TEXT}.")
    template = serializers.UUIDField(required=False, allow_null=True, help_text="Document template id; the tenant's default when absent.")
    format = serializers.ChoiceField(choices=list(FORMAT_CHOICES), default="pdf")
    anonymised = serializers.BooleanField(default=False)


def _answer(request: Request, job: CVJob) -> Response:
    """200 with the data and fresh absolute links once the documents exist, 202 with the status URL before."""
    request_id = str(job.pk)
    if not job.is_finished:
        status_url = request.build_absolute_uri(reverse("documents-render-status", kwargs={"request_id": request_id}))
        body = envelope({"request_id": request_id, "status": "processing", "stage": job.stage, "status_url": status_url},
                        "The documents are still being made; follow status_url.")
        return Response(body, status=status.HTTP_202_ACCEPTED, headers={"Location": status_url})
    if job.status != CVJob.Status.COMPLETED:
        raise ApplicationError(job.error_message or "Processing failed.", code=job.error_code or "processing_failed",
                               status=422, extra={"request_id": request_id})
    wanted = job_documents_request(job=job) or {}
    made = job_documents(job=job, anonymised=bool(wanted.get("anonymised")))
    formats = list(wanted.get("formats") or ("pdf", "docx"))
    if any(fmt not in made for fmt in formats):
        raise ApplicationError("The CV was read but its documents could not be rendered; the details are logged.",
                               code="document_generation_failed", status=500, extra={"request_id": request_id})
    links = document_links(documents=[made[fmt] for fmt in formats], base_url=request_base_url(request))
    return Response(envelope({
        "request_id": request_id,
        "status": job.status,
        "candidate_id": str(job.candidate_id) if job.candidate_id else None,
        "data": job.data,
        "documents": links,
        "processing_ms": job.processing_ms,
    }, "Documents ready."))


class DocumentRenderApi(TenantOrApiKeyAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": RenderInputSerializer},
        parameters=[OpenApiParameter("Idempotency-Key", str, OpenApiParameter.HEADER, required=False)],
        summary="Send a CV, get its branded PDF/DOCX links (200), or a status URL when it takes longer (202)",
    )
    def post(self, request: Request) -> Response:
        serializer = RenderInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        template_id = serializer.validated_data.get("template")
        if template_id:
            document_template_get(template_id=template_id)  # 404 before any work
        documents = {
            "formats": list(FORMAT_CHOICES[serializer.validated_data["format"]]),
            "template_id": str(template_id) if template_id else None,
            "anonymised": serializer.validated_data["anonymised"],
        }
        job = job_submit(
            tenant=self.tenant_context.tenant,
            upload=serializer.validated_data["file"],
            source=CVJob.Source.API if self.tenant_context.api_key else CVJob.Source.UPLOAD,
            idempotency_key=(request.headers.get("Idempotency-Key") or "").strip()[:200] or None,
            options={"documents": documents},
            base_url=request_base_url(request),
        )
        return _answer(request, job_wait(job=job, timeout=settings.DOCUMENTS_RENDER_WAIT_SECONDS))


class DocumentRenderStatusApi(TenantOrApiKeyAPIView):
    read_role = Role.HR  # the same people who may ask for documents; the data is not masked

    @extend_schema(summary="The result of a render request: 200 with the links, 202 while it runs")
    def get(self, request: Request, request_id: str) -> Response:
        job = job_get(job_id=request_id)
        if job_documents_request(job=job) is None:
            raise NotFound("Render request not found.", code="request_not_found")
        return _answer(request, job)

