"""Rendering, storing and linking branded CV documents."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from django.utils import timezone

from config.errors import ApplicationError, NotFound
from cvs.documents import selectors
from cvs.documents.content import build_content
from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.documents.render_docx import render_docx
from cvs.documents.render_pdf import Branding, render_pdf
from cvs.documents.sample import SAMPLE_CV
from cvs.models import Candidate, CVJob
from tenants.scoping import tenant_scope

logger = logging.getLogger(__name__)

FORMATS = tuple(GeneratedDocument.Format.values)
_DOWNLOAD_SALT = "cvs.documents.download"


def _read(name: str) -> bytes | None:
    if not name:
        return None
    try:
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    except (FileNotFoundError, OSError):
        logger.warning("Document asset %s is missing from storage", name)
        return None


def _branding(template: DocumentTemplate | None, tenant_name: str) -> Branding:
    if template is None:
        return Branding(firm_name=tenant_name)
    return Branding(
        firm_name=template.firm_name or tenant_name,
        contact_line=template.contact_line,
        logo=_read(template.logo.name) if template.logo.name else None,  # a FieldFile is truthy when it has a name
        primary_colour=template.primary_colour,
        accent_colour=template.accent_colour,
        font=template.font,
    )


def _render(
    *, data: dict[str, Any], template: DocumentTemplate | None, tenant_name: str, formats: Iterable[str],
    anonymised: bool, reference: str, photo: bytes | None,
) -> tuple[str, dict[str, tuple[bytes, int]]]:
    """Render each format once; returns the document language and {format: (bytes, milliseconds)}."""
    options: dict[str, Any] = {"anonymised": anonymised, "reference": reference}
    if template is not None:
        options.update(
            language=template.language, sections=template.sections, section_titles=template.section_titles,
            hide_personal_hints=template.hide_personal_hints, blind_shows_location=template.blind_shows_location,
        )
    content = build_content(data, **options)
    branding = _branding(template, tenant_name)
    renderers = {"pdf": render_pdf, "docx": render_docx}
    rendered = {}
    for fmt in formats:
        started = time.perf_counter()
        body = renderers[fmt](content, branding, photo=photo)
        rendered[fmt] = (body, int((time.perf_counter() - started) * 1000))
    return content.language, rendered


def _formats(formats: Iterable[str]) -> list[str]:
    wanted = list(dict.fromkeys(formats))
    if not wanted or any(fmt not in FORMATS for fmt in wanted):
        raise ApplicationError(f"Formats must be among {', '.join(FORMATS)}.", code="invalid_format")
    return wanted


def document_generate(
    *,
    candidate: Candidate,
    template: DocumentTemplate | None = None,
    formats: Iterable[str] = ("pdf", "docx"),
    anonymised: bool = False,
    job: CVJob | None = None,
    created_by: Any = None,
) -> list[GeneratedDocument]:
    """Render the candidate's CV with ``template`` (or the tenant's default) and store each file under its own path.

    Both formats for one candidate take about a second (docs/documents.md), so callers run it inline.
    """
    wanted = _formats(formats)
    if template is None:
        template = selectors.document_template_default()
    if template is not None and template.tenant_id != candidate.tenant_id:
        raise NotFound("Document template not found.", code="template_not_found")
    photo = _read(candidate.photo_paths[0]) if candidate.photo_paths and not anonymised else None
    language, rendered = _render(
        data=candidate.data or {}, template=template, tenant_name=candidate.tenant.name, formats=wanted,
        anonymised=anonymised, reference=str(candidate.id)[:8], photo=photo,
    )
    documents = []
    for fmt in wanted:
        body, render_ms = rendered[fmt]
        document = GeneratedDocument(
            tenant_id=candidate.tenant_id, candidate=candidate, template=template, job=job, format=fmt,
            anonymised=anonymised, language=language, file_size=len(body), render_ms=render_ms, created_by=created_by,
        )
        path = f"tenants/{candidate.tenant_id}/candidates/{candidate.id}/documents/{document.id}.{fmt}"
        document.file_path = default_storage.save(path, ContentFile(body))
        try:
            document.save()
        except Exception:
            default_storage.delete(document.file_path)
            raise
        documents.append(document)
    return documents


def _is_s3() -> bool:
    return hasattr(default_storage, "bucket_name")


def document_link(*, document: GeneratedDocument, ttl: int | None = None, base_url: str = "") -> tuple[str, datetime]:
    """A link to one stored document that stops working after ``ttl`` seconds (SIGNED_URL_TTL_SECONDS by default).

    On S3 it is a presigned GET; on filesystem storage, a signed URL of our download view, prefixed with
    DOCUMENTS_PUBLIC_BASE_URL, else with ``base_url`` (where the job was submitted), else site-relative.
    """
    ttl = ttl or settings.SIGNED_URL_TTL_SECONDS
    expires_at = timezone.now() + timedelta(seconds=ttl)
    if _is_s3():
        disposition = f'attachment; filename="{document.download_name}"'
        url = default_storage.url(  # type: ignore[call-arg]  # S3Storage.url (see _is_s3); typed as the base Storage
            document.file_path, expire=ttl,
            parameters={"ResponseContentDisposition": disposition, "ResponseContentType": document.mime_type},
        )
        return url, expires_at
    token = signing.TimestampSigner(salt=_DOWNLOAD_SALT).sign_object(
        {"d": str(document.id), "t": str(document.tenant_id), "ttl": ttl}, compress=True
    )
    path = reverse("document-download", kwargs={"token": token})
    return f"{(settings.DOCUMENTS_PUBLIC_BASE_URL or base_url).rstrip('/')}{path}", expires_at


def document_from_download_token(*, token: str) -> GeneratedDocument:
    """The document a signed download URL points to: 410 once expired, 403 when tampered with, 404 when gone."""
    signer = signing.TimestampSigner(salt=_DOWNLOAD_SALT)
    try:
        claims = signer.unsign_object(token)
        signer.unsign_object(token, max_age=claims["ttl"])
    except signing.SignatureExpired as exc:
        raise ApplicationError("This link has expired.", code="link_expired", status=410) from exc
    except (signing.BadSignature, KeyError, TypeError) as exc:
        raise ApplicationError("This link is not valid.", code="invalid_link", status=403) from exc
    with tenant_scope(claims["t"]):
        document = GeneratedDocument.objects.filter(pk=claims["d"]).first()
    if document is None:
        raise NotFound("Document not found.")
    return document


def document_template_preview(*, template: DocumentTemplate) -> bytes:
    """A PDF of the built-in sample CV in ``template``'s layout, for the admin's preview."""
    _, rendered = _render(
        data=SAMPLE_CV, template=template, tenant_name=template.tenant.name, formats=["pdf"],
        anonymised=False, reference="sample", photo=None,
    )
    return rendered["pdf"][0]


def document_links(*, documents: Iterable[GeneratedDocument], base_url: str = "") -> dict[str, Any]:
    """``{"pdf_url", "docx_url", "expires_at"}`` with a fresh link for each document (null for a format not there)."""
    payload: dict[str, Any] = {"pdf_url": None, "docx_url": None, "expires_at": None}
    for document in documents:
        url, expires_at = document_link(document=document, base_url=base_url)
        payload[f"{document.format}_url"] = url
        payload["expires_at"] = expires_at.isoformat()
    return payload


def documents_for_job(*, job: CVJob) -> dict[str, Any] | None:
    """Render the documents the job asks for (``selectors.job_documents_request``) and return their links, else None.

    The pipeline's rendering stage calls it; the result becomes the webhook's ``documents``:
    ``{"pdf_url", "docx_url", "expires_at"}`` with an absolute URL for each format asked (the base is
    DOCUMENTS_PUBLIC_BASE_URL, else the address the job was submitted to).
    A re-run of the same job reuses the files it already made.
    """
    wanted = selectors.job_documents_request(job=job)
    if wanted is None or job.candidate is None:
        return None
    template = None
    if wanted.get("template_id"):
        try:
            template = selectors.document_template_get(template_id=wanted["template_id"])
        except NotFound:
            logger.warning("Job %s names a missing document template; using the default", job.pk)
    formats, anonymised = list(wanted.get("formats") or ("pdf", "docx")), bool(wanted.get("anonymised"))
    # Tasks are redelivered after a crash: documents this job already has are not made twice.
    made = selectors.job_documents(job=job, anonymised=anonymised)
    try:
        missing = [fmt for fmt in formats if fmt not in made]
        documents = [made[fmt] for fmt in formats if fmt in made]
        if missing:
            documents += document_generate(candidate=job.candidate, template=template, formats=missing, anonymised=anonymised, job=job)
    except Exception:  # noqa: BLE001 - documents are an extra; the CV result must still be delivered
        logger.exception("Documents for job %s could not be generated", job.pk)
        return {**document_links(documents=[]), "error": "document_generation_failed"}
    return document_links(documents=documents, base_url=job.request_base_url)
