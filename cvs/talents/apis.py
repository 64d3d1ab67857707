"""/api/v1/talents: candidates for HR, uploads with screening, upload tasks and vector consistency."""

from __future__ import annotations

import re
from collections.abc import Iterable

from django.conf import settings
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError
from config.rest import ok, paginated
from cvs.candidate_data import masked_data, sees_contacts
from cvs.models import Batch
from cvs.selectors import job_wait
from cvs.talents import selectors, services
from cvs.talents.serializers import (
    BatchUploadSerializer,
    IdsSerializer,
    StatusUpdateSerializer,
    SyncVectorsSerializer,
    TalentDetailSerializer,
    TalentListSerializer,
    TalentUpdateSerializer,
    UploadSerializer,
)
from screening.models import ScreeningCondition
from screening.selectors import condition_get, result_list
from tenants.rest import TenantAPIView


def _condition(condition_id: object) -> ScreeningCondition | None:
    return condition_get(condition_id=condition_id) if condition_id else None


class TalentListApi(TenantAPIView):
    def get(self, request: Request) -> Response:
        filters = selectors.TalentFilters.from_query(request.query_params)
        talents = selectors.talent_list(filters=filters, match_contacts=sees_contacts(self.tenant_context.role))
        return paginated(request, talents, TalentListSerializer)


class TalentDetailApi(TenantAPIView):
    def _detail(self, candidate: object) -> dict:
        # As the base Serializer: the stubs take the declared ``data`` field for the output (see TalentDetailSerializer).
        serializer: serializers.Serializer = TalentDetailSerializer(
            candidate, context={"role": self.tenant_context.role, "request": self.request},
        )
        return serializer.data

    def get(self, request: Request, talent_id: str) -> Response:
        return ok(self._detail(selectors.talent_get(talent_id=talent_id)))

    @extend_schema(request=TalentUpdateSerializer, responses=TalentDetailSerializer)
    def patch(self, request: Request, talent_id: str) -> Response:
        candidate = selectors.talent_get(talent_id=talent_id)
        serializer = TalentUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        candidate = services.talent_update(candidate=candidate, **serializer.validated_data)
        return ok(self._detail(candidate), "Talent updated.")

    put = patch  # the reference API updates with PUT and a partial body

    def delete(self, request: Request, talent_id: str) -> Response:
        candidate = services.talent_delete(candidate=selectors.talent_get(talent_id=talent_id))
        return ok({"id": str(candidate.pk), "is_deleted": True}, "Talent deleted; it can be restored.")


class _FormatIsAnExportFormat(DefaultContentNegotiation):
    """``?format=jsonresume`` names the export format here, not one of DRF's renderers."""

    def select_renderer(self, request: Request, renderers: Iterable[BaseRenderer], format_suffix: str | None = None) -> tuple:
        renderer = next(iter(renderers))
        return renderer, renderer.media_type


class TalentExportApi(TenantAPIView):
    """The CV as a file to import elsewhere (JSON Resume): the bare document, not the envelope."""

    content_negotiation_class = _FormatIsAnExportFormat

    def get(self, request: Request, talent_id: str) -> Response:
        candidate = selectors.talent_get(talent_id=talent_id)
        data = candidate.data or {}
        data = data if sees_contacts(self.tenant_context.role) else masked_data(data)
        export_format = request.query_params.get("format", "jsonresume")
        document = selectors.talent_export(candidate=candidate, export_format=export_format, data=data)
        slug = re.sub(r"[^A-Za-z0-9]+", "-", candidate.name).strip("-").lower() or str(candidate.pk)
        response = Response(document)
        response["Content-Disposition"] = f'attachment; filename="{slug}.resume.json"'
        return response


class TalentRestoreApi(TenantAPIView):
    def post(self, request: Request, talent_id: str) -> Response:
        candidate = services.talent_restore(candidate=selectors.talent_get(talent_id=talent_id))
        return ok({"id": str(candidate.pk), "is_deleted": False}, "Talent restored.")


class TalentBatchDeleteApi(TenantAPIView):
    @extend_schema(request=IdsSerializer)
    def post(self, request: Request) -> Response:
        serializer = IdsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.talents_delete(**serializer.validated_data)
        return ok({"deleted": count}, f"{count} talents deleted.")


class TalentBatchStatusApi(TenantAPIView):
    @extend_schema(request=StatusUpdateSerializer)
    def post(self, request: Request) -> Response:
        serializer = StatusUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        count = services.talents_status_update(**serializer.validated_data)
        return ok({"updated": count}, f"{count} talents updated.")


class TalentUploadApi(TenantAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": UploadSerializer})
    def post(self, request: Request) -> Response:
        serializer = UploadSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        condition = _condition(serializer.validated_data.get("condition_id"))
        job = services.talent_upload(tenant=self.tenant_context.tenant, upload=serializer.validated_data["file"], condition=condition)
        job = job_wait(job=job, timeout=settings.TALENT_UPLOAD_WAIT_SECONDS)
        if not job.is_finished:
            return ok({"task_id": str(job.pk), "status": "pending" if job.status == job.Status.QUEUED else job.status},
                      "The CV is still being processed; follow the task.", status.HTTP_202_ACCEPTED)
        if job.status != job.Status.COMPLETED:
            raise ApplicationError(job.error_message or "Processing failed.", code=job.error_code or "processing_failed",
                                   status=422, extra={"task_id": str(job.pk)})
        result = result_list(candidate=job.candidate, condition=condition).first() if condition else None
        return ok({
            "talent_id": str(job.candidate_id),
            "task_id": str(job.pk),
            "is_qualified": result.is_qualified if result else None,
            "qualification_reason": result.summary if result else None,
            "score": result.score if result else None,
            "processing_time": job.processing_ms,
        }, "CV processed.")


class TalentBatchUploadApi(TenantAPIView):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(request={"multipart/form-data": BatchUploadSerializer})
    def post(self, request: Request) -> Response:
        files = request.FILES.getlist("files") + request.FILES.getlist("files[]")
        body = request.data
        assert isinstance(body, dict)  # multipart and form bodies parse to a QueryDict
        serializer = BatchUploadSerializer(data={"files": files, "condition_id": body.get("condition_id") or None})
        serializer.is_valid(raise_exception=True)
        upload = services.talents_batch_upload(
            tenant=self.tenant_context.tenant, uploads=serializer.validated_data["files"],
            condition=_condition(serializer.validated_data.get("condition_id")), created_by=request.user,
        )
        data = {"task_id": str(upload.batch.pk), "file_count": upload.batch.total, "rejected": upload.rejected}
        return ok(data, "Batch upload task created.", status.HTTP_202_ACCEPTED)


class TaskDetailApi(TenantAPIView):
    def get(self, request: Request, task_id: str) -> Response:
        return ok(selectors.task_payload(selectors.task_get(task_id=task_id)))


class TaskCancelApi(TenantAPIView):
    def post(self, request: Request, task_id: str) -> Response:
        task = services.task_cancel(task=selectors.task_get(task_id=task_id))
        if isinstance(task, Batch):
            task.refresh_from_db()
        return ok(selectors.task_payload(task), "Task cancelled.")


class SyncVectorsApi(TenantAPIView):
    @extend_schema(request=SyncVectorsSerializer)
    def post(self, request: Request) -> Response:
        from analytics.services import embeddings_sync

        serializer = SyncVectorsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = embeddings_sync(**serializer.validated_data)
        return ok(report, f"{report['missing']} missing and {report['stale']} stale embeddings; {report['queued']} queued.")


class SyncChromaApi(SyncVectorsApi):
    """The reference API's name (it synchronised ChromaDB); same behaviour on pgvector."""

    @extend_schema(request=SyncVectorsSerializer, operation_id="talents_sync_chroma", deprecated=True)
    def post(self, request: Request) -> Response:
        from analytics.services import embeddings_sync

        serializer = SyncVectorsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = embeddings_sync(**serializer.validated_data)
        # The reference's field names next to ours. Vectors live on the candidate's own row, so a
        # vector without a candidate ("extra_in_chroma") cannot exist; stale vectors are the mismatches.
        reference = {
            "mysql_count": report["checked"],
            "chroma_count": report["checked"] - report["missing"],
            "missing_in_chroma": report["missing_ids"],
            "extra_in_chroma": [],
            "status_mismatch": report["stale_ids"],
            "fixed_count": report["queued"],
        }
        return ok({**report, **reference}, f"Sync done; {report['queued']} records queued for repair.")
