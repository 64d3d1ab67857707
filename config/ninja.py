"""The django-ninja API for the async endpoints (/api/v1/analysis, /api/v1/monitor).

Same JWT, same envelope and the same ApplicationError mapping as the DRF side.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import sync_to_async
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import SuspiciousOperation
from django.db import DataError
from django.http import Http404, HttpRequest, HttpResponse
from django_scopes.exceptions import ScopeError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyHeader, HttpBearer
from rest_framework.exceptions import AuthenticationFailed

from config.errors import ApplicationError
from config.rest import code_for_status, data_error_message, error_body, suspicious_request_error
from tenants.access import role_require
from tenants.authentication import ApiClient, TenantContext, api_key_lookup, context_from_access_token
from tenants.models import API_KEY_PREFIX, Role

logger = logging.getLogger(__name__)


class AsyncJWTBearer(HttpBearer):
    """The caller's ``TenantContext`` in ``request.auth`` (as on DRF), held to a role bar (viewer unless a
    router asks for more; the same check as DRF's ``HasTenantRole``). Handlers enter the tenant scope
    with ``tenants.access.in_tenant`` around their ORM work."""

    def __init__(self, role: str = Role.VIEWER) -> None:
        super().__init__()
        self.role = role

    async def authenticate(self, request: HttpRequest, token: str) -> Any:
        try:
            user, ctx = await sync_to_async(context_from_access_token)(token)
        except AuthenticationFailed:
            return None
        role_require(ctx, self.role)  # a person the token names but whose role falls short: 403
        request.user = user
        return ctx


async def _api_key_context(request: HttpRequest, raw: str) -> TenantContext | None:
    """A client system's key: its tenant, the role ``client`` (no person's role: routes opt in to keys)."""
    if not raw.startswith(API_KEY_PREFIX + "_"):
        return None
    try:
        key = await sync_to_async(api_key_lookup)(raw)
    except AuthenticationFailed:
        return None
    request.user = ApiClient(key)  # type: ignore[assignment]
    return TenantContext(tenant=key.tenant, role="client", api_key=key)  # ninja keeps it in request.auth


class AsyncApiKeyBearer(HttpBearer):
    """``Authorization: Bearer cvk_…``, as on POST /cv/{endpoint_id}."""

    async def authenticate(self, request: HttpRequest, token: str) -> Any:
        return await _api_key_context(request, token)


class AsyncApiKeyHeader(APIKeyHeader):
    """``X-API-Key: cvk_…``, the header the AI API patterns reference sends."""

    param_name = "X-API-Key"

    async def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        return await _api_key_context(request, key or "")


# For the read-only routes client systems may call with their API key (analysis query and stream).
JWT_OR_API_KEY = [AsyncJWTBearer(), AsyncApiKeyBearer(), AsyncApiKeyHeader()]

api = NinjaAPI(
    title="CV Platform analysis API",
    version="1.0.0",
    urls_namespace="ninja",
    auth=AsyncJWTBearer(),
    docs_url="/docs",
)


@api.exception_handler(ApplicationError)
def _application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return api.create_response(request, error_body(exc.message, exc.code, **exc.extra), status=exc.status)


@api.exception_handler(AuthenticationError)
def _auth_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(request, error_body("Invalid or missing token.", "not_authenticated"), status=401)


@api.exception_handler(NinjaValidationError)
def _validation_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    first = exc.errors[0] if exc.errors else {}
    where = ".".join(str(part) for part in first.get("loc", [])[1:])
    message = f"{where}: {first.get('msg', 'invalid input')}" if where else first.get("msg", "Invalid input.")
    # 400 as on the DRF routes (the reference clients treat 400 as "check the parameters").
    return api.create_response(request, error_body(message, "invalid", errors=exc.errors), status=400)


@api.exception_handler(DataError)
def _data_error(request: HttpRequest, exc: DataError) -> HttpResponse:
    # Same mapping as the DRF handler: values the database refuses are client input.
    return api.create_response(request, error_body(data_error_message(exc), "invalid"), status=400)


@api.exception_handler(HttpError)
def _http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    # ninja's own refusals (an unparseable body, throttling): coded by status as on the DRF side.
    return api.create_response(request, error_body(str(exc), code_for_status(exc.status_code)), status=exc.status_code)


@api.exception_handler(Http404)
def _not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return api.create_response(request, error_body("Not found.", "not_found"), status=404)


@api.exception_handler(DjangoPermissionDenied)
def _permission_denied(request: HttpRequest, exc: DjangoPermissionDenied) -> HttpResponse:
    return api.create_response(request, error_body("You do not have permission to perform this action.", "permission_denied"),
                               status=403)


@api.exception_handler(SuspiciousOperation)
def _suspicious(request: HttpRequest, exc: SuspiciousOperation) -> HttpResponse:
    body, status = suspicious_request_error(exc)
    return api.create_response(request, body, status=status)


@api.exception_handler(Exception)
def _unhandled(request: HttpRequest, exc: Exception) -> HttpResponse:
    # ninja's default re-raises to Django, whose answer is an HTML page; clients parse every error body.
    if isinstance(exc, ScopeError):
        logger.error("Tenant scope missing for %s %s", request.method, request.path, exc_info=exc)
    else:
        logger.exception("Unhandled API error", exc_info=exc)
    return api.create_response(request, error_body("Internal server error.", "server_error"), status=500)


def register_routers() -> None:
    """Apps add their routers here so that importing this module stays side-effect free."""
    from importlib import import_module

    for module_name, prefix in (("analytics.analysis_api", "/analysis"), ("analytics.monitor_api", "/monitor")):
        try:
            module = import_module(module_name)
        except ModuleNotFoundError as exc:
            if exc.name != module_name:
                raise
            continue
        api.add_router(prefix, module.router)


register_routers()
