"""The one schema of ``Endpoint.options``, checked on every write path (API, admin, provisioning).

The pipeline reads these keys for every CV sent to the endpoint, so a value it cannot use would fail
every job; refusing it when it is stored tells the person who can fix it. Readers:
``deduplicate`` (cvs.pipeline), ``condition_id`` (screening), ``documents`` (cvs.documents),
``jsonresume`` and ``evidence`` (cvs.selectors, the webhook payload).
"""

from __future__ import annotations

import uuid
from typing import Any

from config.errors import ApplicationError

# The formats cvs.documents renders (GeneratedDocument.Format); tenants is the base layer and cannot
# import it, so tests/tenants/test_endpoint_options.py checks the two agree.
DOCUMENT_FORMATS = ("pdf", "docx")

_FLAGS = ("deduplicate", "jsonresume", "evidence")
_DOCUMENT_FLAGS = ("anonymised",)
KEYS = (*_FLAGS, "condition_id", "documents")
DOCUMENT_KEYS = ("formats", "template_id", *_DOCUMENT_FLAGS)

_UUID_OR_NULL = {"type": "string", "format": "uuid", "nullable": True}
# The same schema for API clients (the OpenAPI document of EndpointSerializer.options).
OPENAPI_SCHEMA: dict[str, Any] = {
    "type": "object",
    "additionalProperties": False,
    "properties": {
        **{flag: {"type": "boolean"} for flag in _FLAGS},
        "condition_id": _UUID_OR_NULL,
        "documents": {
            "oneOf": [
                {"type": "boolean"},
                {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        "formats": {"type": "array", "minItems": 1, "items": {"type": "string", "enum": list(DOCUMENT_FORMATS)}},
                        "template_id": _UUID_OR_NULL,
                        **{flag: {"type": "boolean"} for flag in _DOCUMENT_FLAGS},
                    },
                },
            ]
        },
    },
}


def _invalid(key: str, problem: str) -> ApplicationError:
    return ApplicationError(f"options.{key}: {problem}", code="invalid_options", extra={"field": f"options.{key}"})


def _unknown(key: str, where: str, allowed: tuple[str, ...]) -> ApplicationError:
    return _invalid(key, f"unknown key; {where} accepts {', '.join(allowed)}.")


def _uuid(key: str, value: Any) -> str | None:
    # null clears the key: the readers treat a missing and an empty id alike.
    if value is None:
        return None
    if isinstance(value, str):
        try:
            return str(uuid.UUID(value))
        except ValueError:
            pass
    raise _invalid(key, "must be a UUID string.")


def _bool(key: str, value: Any) -> bool:
    if not isinstance(value, bool):
        raise _invalid(key, "must be true or false.")
    return value


def _documents(value: Any) -> bool | dict[str, Any]:
    if isinstance(value, bool):
        return value
    if not isinstance(value, dict):
        raise _invalid("documents", "must be true, false or an object.")
    cleaned: dict[str, Any] = {}
    for key, item in value.items():
        if key not in DOCUMENT_KEYS:
            raise _unknown(f"documents.{key}", "documents", DOCUMENT_KEYS)
        if key == "formats":
            if not isinstance(item, list) or not item:
                raise _invalid("documents.formats", f"must be a non-empty list among {', '.join(DOCUMENT_FORMATS)}.")
            for fmt in item:
                if fmt not in DOCUMENT_FORMATS:
                    raise _invalid("documents.formats", f"{fmt!r} is not a format we render ({', '.join(DOCUMENT_FORMATS)}).")
            cleaned[key] = list(dict.fromkeys(item))
        elif key == "template_id":
            cleaned[key] = _uuid("documents.template_id", item)
        else:
            cleaned[key] = _bool(f"documents.{key}", item)
    return cleaned


def endpoint_options_clean(options: Any) -> dict[str, Any]:
    """``options`` checked against the schema, or ApplicationError ``invalid_options`` naming the key."""
    if options is None:
        return {}
    if not isinstance(options, dict):
        raise ApplicationError("options: must be a JSON object.", code="invalid_options", extra={"field": "options"})
    cleaned: dict[str, Any] = {}
    for key, value in options.items():
        if key in _FLAGS:
            cleaned[key] = _bool(key, value)
        elif key == "condition_id":
            cleaned[key] = _uuid(key, value)
        elif key == "documents":
            cleaned[key] = _documents(value)
        else:
            raise _unknown(str(key), "options", KEYS)
    return cleaned


def endpoint_options_salvage(options: Any) -> dict[str, Any]:
    """What can be kept of options stored before the schema was enforced: each valid key, cleaned; the
    others dropped (each of them failed or spoiled every job sent to the endpoint). Used by a data migration."""
    if not isinstance(options, dict):
        return {}
    kept: dict[str, Any] = {}
    for key, value in options.items():
        if key == "documents" and isinstance(value, dict):
            if "formats" in value and not _salvageable({"documents": {"formats": value["formats"]}}):
                continue  # formats we cannot render: no documents rather than others than asked
            value = {name: item for name, item in value.items() if _salvageable({"documents": {name: item}})}
        if _salvageable({key: value}):
            kept.update(endpoint_options_clean({key: value}))
    return kept


def _salvageable(options: dict[str, Any]) -> bool:
    try:
        endpoint_options_clean(options)
    except ApplicationError:
        return False
    return True
