from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet

from config.errors import NotFound
from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.models import Candidate, CVJob


def document_candidate_get(*, candidate_id: Any) -> Candidate:
    """A live candidate of the active tenant; anything else (another tenant's, deleted, malformed id) is 404."""
    try:
        candidate = Candidate.objects.live().filter(pk=candidate_id).first()
    except ValidationError:  # not a UUID
        candidate = None
    if candidate is None:
        raise NotFound("Talent not found.")
    return candidate


def document_template_get(*, template_id: Any) -> DocumentTemplate:
    try:
        template = DocumentTemplate.objects.filter(pk=template_id).first()
    except ValidationError:
        template = None
    if template is None:
        raise NotFound("Document template not found.", code="template_not_found")
    return template


def document_template_default() -> DocumentTemplate | None:
    return DocumentTemplate.objects.filter(is_default=True).first()


def candidate_documents(*, candidate: Candidate, anonymised_only: bool) -> QuerySet[GeneratedDocument]:
    """``anonymised_only`` for roles that see contacts masked: the other documents print them in full."""
    documents = GeneratedDocument.objects.filter(candidate=candidate).select_related("template")
    return documents.filter(anonymised=True) if anonymised_only else documents


def job_documents_request(*, job: CVJob) -> dict[str, Any] | None:
    """The documents a CV job asks for, or None: its own ``options["documents"]`` (the one-call render API),
    else its endpoint's. ``true`` means all defaults: ``{"formats", "template_id", "anonymised"}``, every key optional."""
    wanted = (job.options or {}).get("documents")
    if wanted is None and job.endpoint_id and job.endpoint is not None:
        wanted = (job.endpoint.options or {}).get("documents")
    wanted = {} if wanted is True else wanted
    return wanted if isinstance(wanted, dict) else None


def job_documents(*, job: CVJob, anonymised: bool) -> dict[str, GeneratedDocument]:
    """The documents a job made, by format: the latest of each."""
    documents = GeneratedDocument.objects.filter(job=job, anonymised=anonymised).order_by("created_at")
    return {document.format: document for document in documents}
