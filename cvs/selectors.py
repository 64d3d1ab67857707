"""Reads for CV jobs (the status/webhook body, lookups) and the one candidate search, in the tenant scope."""

from __future__ import annotations

import time
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import F, Q, QuerySet

from config.errors import NotFound
from cvs.candidate_data import mask_email, mask_phone, masked_data
from cvs.extraction.jsonresume import to_json_resume
from cvs.models import Candidate, CVJob
from tenants.selectors import is_uuid


def job_get(*, job_id: Any) -> CVJob:
    job = CVJob.objects.select_related("endpoint", "candidate").filter(pk=job_id).first() if is_uuid(job_id) else None
    if job is None:
        raise NotFound("Request not found.", code="request_not_found")
    return job


def job_needs_review_q() -> Q:
    """Unreviewed jobs with a key value (name, e-mail, phone, current title or company) below their tenant's threshold."""
    return Q(review_confidence__lt=F("tenant__review_threshold"), reviewed_at__isnull=True)


def job_wait(*, job: CVJob, timeout: float, interval: float = 0.25) -> CVJob:
    """Poll until the job ends or ``timeout`` passes; the pipeline runs in the Celery workers."""
    deadline = time.monotonic() + timeout
    while not job.is_finished and time.monotonic() < deadline:
        time.sleep(interval)
        job = CVJob.objects.select_related("endpoint", "candidate").get(pk=job.pk)
    return job


def job_result_payload(job: CVJob, *, include_evidence: bool = False) -> dict[str, Any]:
    """The body of the webhook and of GET /cv/requests/{id}: one shape for both.

    ``evidence`` is added when asked (``?include=evidence``) or the endpoint's options say so.

    Compatible with the reference CV webhook API (request_id, status, data, error),
    extended with stable error codes, file facts, timings, screening and documents.
    """
    status = job.status if job.is_finished else "processing"
    enrichment = job.enrichment or {}
    return {
        "request_id": str(job.pk),
        "status": status,
        "stage": job.stage,
        "data": job.data if job.status == CVJob.Status.COMPLETED else None,
        "error": job.error_message or None,
        "error_code": job.error_code or None,
        "endpoint_id": str(job.endpoint_id) if job.endpoint_id else None,
        "candidate_id": str(job.candidate_id) if job.candidate_id else None,
        "external_id": job.external_id or None,
        "metadata": job.metadata or {},
        "file": {
            "name": job.file_name,
            "sha256": job.file_sha256,
            "size": job.file_size,
            "pages": job.file_pages,
            "mime": job.file_mime,
        },
        "duplicate_of": str(job.duplicate_of_id) if job.duplicate_of_id else None,
        "provider": job.provider or None,
        "processing_ms": job.processing_ms,
        "stage_timings": job.stage_timings,
        "llm_usage": job.llm_usage or None,
        "screening": enrichment.get("screening"),
        "documents": enrichment.get("documents"),
        "created_at": job.created_at.isoformat() if job.created_at else None,
        "finished_at": job.finished_at.isoformat() if job.finished_at else None,
        **_json_resume_part(job),
        **_evidence_part(job, asked=include_evidence),
    }


def job_result_payload_masked(payload: dict[str, Any]) -> dict[str, Any]:
    """A ``job_result_payload`` as a role that does not see contacts may read it (a stored webhook body).

    E-mail and phone are masked in ``data`` and ``jsonresume`` as on the talent pages; document links are
    removed, as the payload does not say whether they are the anonymised variant.
    """
    masked = dict(payload)
    if isinstance(masked.get("data"), dict):
        masked["data"] = masked_data(masked["data"])
    resume = masked.get("jsonresume")
    if isinstance(resume, dict) and isinstance(resume.get("basics"), dict):
        basics = dict(resume["basics"])
        basics.update({key: mask(basics[key]) for key, mask in (("email", mask_email), ("phone", mask_phone))
                       if isinstance(basics.get(key), str)})
        masked["jsonresume"] = {**resume, "basics": basics}
    if isinstance(masked.get("documents"), dict):
        masked["documents"] = {key: None if key.endswith("_url") else value for key, value in masked["documents"].items()}
    return masked


def _evidence_part(job: CVJob, *, asked: bool) -> dict[str, Any]:
    """``evidence`` beside ``data`` only on request: payloads stay lean by default."""
    options = job.endpoint.options if job.endpoint_id and job.endpoint else None
    if not asked and not (isinstance(options, dict) and options.get("evidence") is True):
        return {}
    return {"evidence": job.evidence if job.status == CVJob.Status.COMPLETED else None}


def _json_resume_part(job: CVJob) -> dict[str, Any]:
    """``jsonresume``: the data as a JSON Resume document, when the endpoint's options ask for it."""
    options = job.endpoint.options if job.endpoint_id and job.endpoint else None
    if not isinstance(options, dict) or options.get("jsonresume") is not True:
        return {}
    data = job.data if job.status == CVJob.Status.COMPLETED else None
    return {"jsonresume": to_json_resume(data) if isinstance(data, dict) else None}


def candidate_search(candidates: QuerySet[Candidate], keyword: str, *, match_contacts: bool) -> QuerySet[Candidate]:
    """The one keyword search over candidates (talents API and admin), on indexed generated columns: full text
    (any word order) over ``search_vector``, the stored words of ``search_document`` (name, headline, school,
    place and the CV data), OR'ed with a substring match on that document (trigram index) so that CJK text,
    which the 'simple' parser does not split into words, and parts of words are found too; an exact skill
    matches as well. Annotates ``rank`` for ordering.

    With ``match_contacts`` the e-mail and phone fields are searched too (``contact_document``, also
    trigram-indexed). Without it (viewers) they are not: a viewer who sees them masked must not be able to
    test a guessed address by searching for it.
    """
    query = SearchQuery(keyword, config="simple", search_type="websearch")
    lowered = keyword.lower()
    matches = Q(search_vector=query) | Q(search_document__contains=lowered) | Q(skills__contains=[keyword])
    if match_contacts:
        matches |= Q(contact_document__contains=lowered)
    return candidates.annotate(rank=SearchRank(F("search_vector"), query)).filter(matches)
