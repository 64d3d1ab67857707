"""Back-office writes on candidates: reviewed data (soft delete and restore: ``CandidateQuerySet``)."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from django.db import transaction
from jsonschema import Draft202012Validator

from config.errors import ApplicationError
from cvs.candidate_data import candidate_columns
from cvs.extraction.schema import SCHEMA_PATH
from cvs.models import Candidate
from cvs.pipeline.followups import candidate_followups_run


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
