"""DRF conventions for /api/v1: the {success, message, data} envelope, pagination and errors."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation, TooManyFieldsSent, TooManyFilesSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import DataError
from django.http import Http404
from django_scopes.exceptions import ScopeError
from rest_framework import exceptions, status
from rest_framework.parsers import JSONParser
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import BaseSerializer
from rest_framework.views import exception_handler

from config.errors import ApplicationError
from config.json_input import JSONTooDeep, json_depth_check
from config.pagination import MAX_PAGE_SIZE, Page

logger = logging.getLogger(__name__)


def envelope(data: Any = None, message: str = "OK", *, success: bool = True, **extra: Any) -> dict[str, Any]:
    return {"success": success, "message": message, "data": data, **extra}


def ok(data: Any = None, message: str = "OK", status_code: int = status.HTTP_200_OK) -> Response:
    return Response(envelope(data, message), status=status_code)


def error_body(message: str, code: str | None, **extra: Any) -> dict[str, Any]:
    return envelope(None, message, success=False, error_code=code, **extra)


def request_base_url(request: Any) -> str:
    """``scheme://host`` of a request (the Host header is checked against ALLOWED_HOSTS), for absolute links made later."""
    return str(request.build_absolute_uri("/")).rstrip("/")


class BoundedJSONParser(JSONParser):
    """DRF's JSON parser, refusing bodies nested deeper than config.json_input allows (not a RecursionError 500)."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: Mapping[str, Any] | None = None) -> Any:
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise JSONTooDeep("The request body") from None
        return json_depth_check(data, where="The request body")


def paginated(request: Request, rows: Any, serialize: Any, *, max_size: int = MAX_PAGE_SIZE) -> Response:
    """One page of ``rows`` (a queryset or a list) in the envelope; ``serialize`` is a serializer class
    (given the request in its context) or a function of one row."""
    page = Page.from_query(request.query_params, max_size=max_size)
    items, total = page.of(rows)
    if isinstance(serialize, type) and issubclass(serialize, BaseSerializer):
        return ok(page.body(serialize(items, many=True, context={"request": request}).data, total))
    return ok(page.body([serialize(item) for item in items], total))


_CODES = {
    400: "invalid",
    401: "not_authenticated",
    403: "permission_denied",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    409: "conflict",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    429: "throttled",
}


def _first_message(detail: Any) -> str:
    if isinstance(detail, dict):
        for key, value in detail.items():
            text = _first_message(value)
            return text if key == "non_field_errors" else f"{key}: {text}"
    if isinstance(detail, list) and detail:
        return _first_message(detail[0])
    return str(detail)


def data_error_message(exc: DataError) -> str:
    text = str(exc)
    if "NUL" in text:
        return "Text must not contain NUL (0x00) characters."
    if "out of range" in text:
        return "A number in the request is out of range."
    return "The request contains a value the database cannot store."


def code_for_status(status_code: int) -> str:
    return _CODES.get(status_code, "error")


def suspicious_request_error(exc: SuspiciousOperation) -> tuple[dict[str, Any], int]:
    """The envelope and status for Django's request-parsing limits (DATA_UPLOAD_MAX_*), raised while an API
    framework reads the body: the client sent too much. Logged where Django logs them."""
    logging.getLogger(f"django.security.{exc.__class__.__name__}").warning(str(exc))
    if isinstance(exc, TooManyFieldsSent):
        return error_body(f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FIELDS} fields.", "too_many_fields"), 400
    if isinstance(exc, TooManyFilesSent):
        return error_body(f"The request has more than {settings.DATA_UPLOAD_MAX_NUMBER_FILES} files.", "too_many_files"), 400
    if isinstance(exc, RequestDataTooBig):
        return error_body("The request body is too large.", "payload_too_large"), 413
    return error_body("The request could not be read.", "bad_request"), 400


def envelope_exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ApplicationError):
        return Response(error_body(exc.message, exc.code, **exc.extra), status=exc.status)
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DataError):
        # The database refuses values no field validation caught (NUL in text, a page offset beyond
        # bigint): client input, so a 400 rather than a 500; the request's transaction is rolled back.
        exc = exceptions.ValidationError(data_error_message(exc))
    elif isinstance(exc, SuspiciousOperation):
        # Django itself would answer 400; DRF would otherwise make it a 500.
        body, status_code = suspicious_request_error(exc)
        return Response(body, status=status_code)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()
    response = exception_handler(exc, context)
    if response is None:
        if isinstance(exc, ScopeError):
            logger.error("Tenant scope missing for %s", context.get("view"), exc_info=exc)
        else:
            logger.exception("Unhandled API error", exc_info=exc)
        return Response(error_body("Internal server error.", "server_error"), status=500)
    code = code_for_status(response.status_code)
    if isinstance(exc, exceptions.APIException):
        detail = exc.detail
        if isinstance(detail, dict | list):
            body = error_body(_first_message(detail), code, errors=detail)
        else:
            body = error_body(str(detail), getattr(detail, "code", None) if code == "error" else code)
    else:
        body = error_body(str(exc), code)
    response.data = body
    return response
