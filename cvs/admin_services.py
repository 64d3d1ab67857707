"""Back-office writes: reviewed candidate data, corrected job values (soft delete and restore: ``CandidateQuerySet``)."""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone
from jsonschema import Draft202012Validator

from config.errors import ApplicationError
from cvs.candidate_data import candidate_columns, phone_e164_for
from cvs.extraction.evidence import key_confidence, locate, value_at
from cvs.extraction.positions import TextMap
from cvs.extraction.schema import SCHEMA_PATH
from cvs.models import Candidate, CVJob, FieldCorrection
from cvs.pipeline.followups import candidate_followups_run
from cvs.selectors import job_result_payload
from webhooks.models import EventType
from webhooks.services import webhook_event_emit

if TYPE_CHECKING:
    from django.contrib.auth.models import User  # what get_user_model() returns: settings keep Django's default


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text()))


def cv_data_errors(data: Any) -> list[str]:
    """Every violation of the cv-data contract, as ``path: message`` lines (empty when valid)."""
    return [
        f"{'/'.join(str(part) for part in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(_validator().iter_errors(data), key=lambda error: list(error.absolute_path))
    ]


def candidate_data_update(*, candidate: Candidate, data: dict[str, Any]) -> Candidate:
    """Replace a candidate's structured data after review; the searchable columns follow it."""
    errors = cv_data_errors(data)
    if errors:
        raise ApplicationError("The data does not match the cv-data contract: " + "; ".join(errors[:5]), code="invalid_cv_data")
    with transaction.atomic():
        for name, value in candidate_columns(data).items():
            setattr(candidate, name, value)
        candidate.save()
        candidate_followups_run(candidate=candidate)
    return candidate


def pointer_settable(data: Any, pointer: str) -> bool:
    """Whether the pointer's parent exists in ``data`` (a dict, or a list holding that index)."""
    *parents, last = pointer.split("/")[1:]
    parent = value_at(data, "/" + "/".join(parents)) if parents else data
    if isinstance(parent, list):
        return last.isdigit() and int(last) < len(parent)
    return isinstance(parent, dict)


def _set_at(data: Any, pointer: str, value: Any) -> None:
    *parents, last = [part.replace("~1", "/").replace("~0", "~") for part in pointer.split("/")[1:]]
    for part in parents:
        data = data[int(part)] if isinstance(data, list) else data[part]
    if isinstance(data, list):
        data[int(last)] = value
    else:
        data[last] = value


def job_values_correct(
    *, job: CVJob, user: User | None, values: dict[str, str], mark_reviewed: bool = False
) -> list[FieldCorrection]:
    """Correct values of a job's data in place (pointer -> new text; empty means no value) and record each change.

    Only values that carry evidence can be corrected: they are the ones shown on the job page. A corrected
    value is the reviewer's word, so its confidence becomes 1. The candidate takes the same corrections
    where its data still holds the old value (a newer CV may have replaced it) and is re-screened and
    re-embedded. When a value changed, the job's endpoint gets a ``cv.updated`` webhook.
    """
    if job.data is None:
        raise ApplicationError("This job has no extracted data to correct.", code="no_data", status=409)
    data, evidence = copy.deepcopy(job.data), copy.deepcopy(job.evidence or {})
    changes: list[tuple[str, Any, Any]] = []
    for pointer, raw in values.items():
        if pointer not in evidence:
            raise ApplicationError(f"No extracted value at {pointer}.", code="unknown_field")
        old, new = value_at(data, pointer), raw.strip() or None
        if new == old:
            continue
        if not pointer_settable(data, pointer):
            # A dropped LLM value whose entry kept nothing else is keyed past the end of its list.
            raise ApplicationError(f"{pointer} is not in the extracted data; add the entry in the client system.",
                                   code="unknown_field")
        _set_at(data, pointer, new)
        changes.append((pointer, old, new))
        # The record of a dropped LLM value stays with its pointer: it is part of the job's history.
        dropped = {key: evidence[pointer][key] for key in ("dropped", "reason") if key in evidence[pointer]}
        if new is None and not dropped:
            evidence.pop(pointer)  # evidence is for the values there are
        else:
            location = locate(new, job.text) if new is not None else {"span": None, "match": "none"}
            if location["span"] is not None:
                # Where the corrected value is in the file, so the preview can still box it.
                location.update(TextMap.from_json(job.text_map).position(location["span"]))  # type: ignore[typeddict-item]
            evidence[pointer] = {**location, "confidence": 1.0, **dropped}
        if pointer == "/contact_info/phone":
            # The stated E.164 form is what duplicate detection matches on: it must follow the corrected number.
            data["contact_info"]["phone_e164"] = phone_e164_for(new or "", language=data.get("language")) or None
    errors = cv_data_errors(data)
    if errors:
        raise ApplicationError("The corrected data does not match the cv-data contract: " + "; ".join(errors[:5]),
                               code="invalid_cv_data")
    with transaction.atomic():
        job.data, job.evidence, job.review_confidence = data, evidence, key_confidence(data, evidence)
        if mark_reviewed:
            job.reviewed_at, job.reviewed_by = timezone.now(), user
        job.save(update_fields=["data", "evidence", "review_confidence", "reviewed_at", "reviewed_by"])
        corrections = FieldCorrection.objects.bulk_create(
            FieldCorrection(tenant_id=job.tenant_id, job=job, user=user, pointer=pointer, old_value=old, new_value=new)
            for pointer, old, new in changes
        )
        candidate = job.candidate
        if changes and candidate is not None:
            candidate_data = copy.deepcopy(candidate.data)
            for pointer, old, new in changes:
                if value_at(candidate_data, pointer) == old and pointer_settable(candidate_data, pointer):
                    _set_at(candidate_data, pointer, new)
                    if pointer == "/contact_info/phone":
                        candidate_data["contact_info"]["phone_e164"] = data["contact_info"].get("phone_e164")
            if candidate_data != candidate.data:
                candidate_data_update(candidate=candidate, data=candidate_data)
        if changes and job.endpoint is not None:
            # The client system got the uncorrected data in cv.completed; it learns of the correction
            # the same way (docs/admin.md, "Corrections"). No callback URL: nothing is sent.
            payload = {**job_result_payload(job),
                       "corrections": [{"pointer": pointer, "old": old, "new": new} for pointer, old, new in changes]}
            webhook_event_emit(endpoint=job.endpoint, event_type=EventType.CV_UPDATED, payload=payload, job=job)
    return corrections
