"""/api/v1/conditions (screening conditions and their results) and /api/v1/schools (the school list)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError
from config.rest import ok, paginated
from screening import selectors, services
from screening.serializers import (
    ConditionInputSerializer,
    ConditionSerializer,
    RescreenInputSerializer,
    ResultSerializer,
    SchoolSerializer,
)
from tenants.rest import TenantAPIView


def _flag(request: Request, name: str) -> bool | None:
    value = request.query_params.get(name)
    if value in (None, ""):
        return None
    if value.lower() not in {"true", "false", "1", "0"}:
        raise ApplicationError(f"{name} must be true or false.", code="invalid_filter")
    return value.lower() in {"true", "1"}


class ConditionListApi(TenantAPIView):
    def get(self, request: Request) -> Response:
        conditions = selectors.condition_list(keyword=request.query_params.get("keyword", ""), is_active=_flag(request, "is_active"))
        return paginated(request, conditions, ConditionSerializer)

    @extend_schema(request=ConditionInputSerializer, responses=ConditionSerializer)
    def post(self, request: Request) -> Response:
        serializer = ConditionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        condition = services.condition_create(tenant=self.tenant_context.tenant, created_by=request.user, **serializer.validated_data)
        return ok(ConditionSerializer(condition, context={"request": request}).data, "Condition created.", status.HTTP_201_CREATED)


class ConditionDetailApi(TenantAPIView):
    def get(self, request: Request, condition_id: str) -> Response:
        return ok(ConditionSerializer(selectors.condition_get(condition_id=condition_id), context={"request": request}).data)

    @extend_schema(request=ConditionInputSerializer, responses=ConditionSerializer)
    def patch(self, request: Request, condition_id: str) -> Response:
        condition = selectors.condition_get(condition_id=condition_id)
        serializer = ConditionInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        condition = services.condition_update(condition=condition, **serializer.validated_data)
        return ok(ConditionSerializer(condition, context={"request": request}).data, "Condition updated.")

    put = patch  # the reference API updates with PUT and a partial body

    def delete(self, request: Request, condition_id: str) -> Response:
        services.condition_delete(condition=selectors.condition_get(condition_id=condition_id))
        return ok(None, "Condition deleted.")


class ConditionRescreenApi(TenantAPIView):
    @extend_schema(request=RescreenInputSerializer)
    def post(self, request: Request, condition_id: str) -> Response:
        condition = selectors.condition_get(condition_id=condition_id)
        serializer = RescreenInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.condition_rescreen_queue(condition=condition, **serializer.validated_data)
        return ok({"condition_id": str(condition.pk), **serializer.validated_data}, "Re-screening queued.", status.HTTP_202_ACCEPTED)


class ConditionResultListApi(TenantAPIView):
    def get(self, request: Request, condition_id: str) -> Response:
        condition = selectors.condition_get(condition_id=condition_id)
        results = selectors.result_list(condition=condition, qualified=_flag(request, "is_qualified"))
        return paginated(request, results.filter(candidate__is_deleted=False), ResultSerializer)


class SchoolListApi(TenantAPIView):
    def get(self, request: Request) -> Response:
        schools = selectors.school_list(keyword=request.query_params.get("keyword", ""), tier=request.query_params.get("tier", ""))
        return paginated(request, schools, SchoolSerializer)

    @extend_schema(request=SchoolSerializer, responses=SchoolSerializer)
    def post(self, request: Request) -> Response:
        serializer = SchoolSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        school = services.tenant_school_create(tenant=self.tenant_context.tenant, **serializer.validated_data)
        return ok(SchoolSerializer(school).data, "School added.", status.HTTP_201_CREATED)


class SchoolDetailApi(TenantAPIView):
    def get(self, request: Request, school_id: str) -> Response:
        return ok(SchoolSerializer(selectors.tenant_school_get(school_id=school_id)).data)

    @extend_schema(request=SchoolSerializer, responses=SchoolSerializer)
    def patch(self, request: Request, school_id: str) -> Response:
        school = selectors.tenant_school_get(school_id=school_id)
        serializer = SchoolSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        school = services.tenant_school_update(school=school, **serializer.validated_data)
        return ok(SchoolSerializer(school).data, "School updated.")

    def delete(self, request: Request, school_id: str) -> Response:
        services.tenant_school_delete(school=selectors.tenant_school_get(school_id=school_id))
        return ok(None, "School removed.")
