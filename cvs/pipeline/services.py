"""Writes for CV jobs: intake, the staged pipeline, re-runs, cancellation and recovery.

A job moves through stages (extracting_text → parsing → enriching [→ rendering] → completed/failed).
Each stage's output is saved before the next starts, so a re-delivered task resumes
where the last one stopped. A worker claims a job with a lease; a job whose lease ran
out (its worker died) is handed to another worker by the stale-job sweeper (beat).
The lease is short and a heartbeat thread renews it while the job runs, so a dead
worker's job is taken back within seconds rather than after the longest stage.

Jobs are dispatched fairly: a new job waits in the database (queued, no message sent) while its
tenant already has ``CV_TENANT_MAX_IN_FLIGHT`` jobs on the queues or running; each job that ends
sends its tenant's next one. The queues therefore never hold more than a few jobs per tenant,
and another tenant's CV goes in behind those few, not behind a whole batch.
"""

from __future__ import annotations

import hashlib
import logging
import tempfile
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import DataError, IntegrityError, InterfaceError, OperationalError, connection, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from config.errors import ApplicationError
from cvs.candidate_data import candidate_columns
from cvs.documents.selectors import job_documents_request
from cvs.documents.services import documents_for_job
from cvs.extraction import sniff
from cvs.extraction.errors import ExtractionError
from cvs.llm_settings import llm_config
from cvs.models import Batch, Candidate, CVJob, Stage
from cvs.pipeline.followups import candidate_followups_run
from cvs.progress import publish_task_update
from cvs.selectors import job_result_payload
from screening.services import candidate_screen_for_job
from tenants.models import Endpoint, Tenant
from tenants.scoping import scopes_disabled, tenant_scope
from webhooks.services import webhook_event_emit

logger = logging.getLogger(__name__)

STAGE_ORDER = [Stage.EXTRACTING_TEXT, Stage.PARSING, Stage.ENRICHING, Stage.RENDERING]
LLM_PROVIDERS = {"openai", "anthropic", "hybrid"}
RERUNNABLE_STAGES = {stage.value for stage in STAGE_ORDER}
FINISHED = [CVJob.Status.COMPLETED, CVJob.Status.FAILED, CVJob.Status.CANCELLED]


# --- intake -------------------------------------------------------------------------------


@dataclass(frozen=True)
class IntakeRejection:
    code: str
    message: str
    status: int


def _sniff_upload(upload: UploadedFile) -> str | None:
    assert upload.file is not None  # only a closed-and-detached upload has none
    return sniff.sniff_stream(upload.file)


def _check_upload(upload: UploadedFile, mime: str | None) -> IntakeRejection | None:
    if upload.size == 0:
        return IntakeRejection("empty_file", "The file is empty (0 bytes).", 400)
    if mime is None or mime not in sniff.SUPPORTED_MIMES:
        what = {
            sniff.ZIP: "a ZIP archive that is not a DOCX or ODT document",
            sniff.OLE: "an Office file that is not a Word document",
        }.get(mime or "", "of a type we cannot read")
        return IntakeRejection(
            "unsupported_type",
            f"'{upload.name}' is {what}. Send {sniff.SUPPORTED_FORMATS_TEXT}.",
            415,
        )
    suffix = Path(upload.name or "").suffix.lower()
    known_suffixes = set().union(*sniff.EXTENSIONS_FOR_MIME.values())
    if suffix in known_suffixes and not sniff.extension_matches(upload.name or "", mime):
        return IntakeRejection(
            "type_mismatch",
            f"'{upload.name}' has the extension {suffix} but its content is {mime}. Rename it or send the right file.",
            415,
        )
    return None


def _hash_upload(upload: UploadedFile) -> str:
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _quota_check(tenant: Tenant) -> None:
    if not tenant.monthly_cv_quota:
        return
    month_start = timezone.now().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    used = CVJob.objects.filter(created_at__gte=month_start).count()
    if used >= tenant.monthly_cv_quota:
        raise ApplicationError(
            f"Monthly quota of {tenant.monthly_cv_quota} CVs reached.", code="quota_exceeded", status=429
        )


def job_submit(
    *,
    tenant: Tenant,
    upload: UploadedFile,
    endpoint: Endpoint | None = None,
    batch: Batch | None = None,
    source: str = CVJob.Source.API,
    external_id: str = "",
    metadata: dict[str, Any] | None = None,
    idempotency_key: str | None = None,
    options: dict[str, Any] | None = None,
    base_url: str = "",
) -> CVJob:
    """Validate, store and queue one CV. Returns once the file is durable and the job queued.

    ``base_url`` (scheme://host of the submitting request) makes the job's document links absolute
    when DOCUMENTS_PUBLIC_BASE_URL is not set.

    A rejected file (empty, unsupported, mislabelled) still gets a failed job and a webhook,
    so that a client integrating only through webhooks learns of it; the API answers 4xx.
    """
    if idempotency_key:
        existing = CVJob.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    assert upload.size is not None  # Django sizes every upload it hands over
    if upload.size > settings.CV_MAX_UPLOAD_BYTES:
        raise ApplicationError(
            f"The file is {upload.size} bytes; the limit is {settings.CV_MAX_UPLOAD_BYTES} bytes.",
            code="file_too_large",
            status=413,
        )
    _quota_check(tenant)
    mime = _sniff_upload(upload)
    sha256 = _hash_upload(upload)
    job = CVJob(
        tenant=tenant,
        endpoint=endpoint,
        batch=batch,
        source=source,
        external_id=external_id[:200],
        metadata=metadata or {},
        idempotency_key=idempotency_key or None,
        options=options or {},
        request_base_url=base_url[:300],
        file_name=(upload.name or "upload")[:255],
        file_sha256=sha256,
        file_size=upload.size,
        file_mime=mime or "application/octet-stream",
    )
    rejection = _check_upload(upload, mime)
    if rejection is not None:
        _job_save_new(job)
        _job_fail(job, rejection.code, rejection.message)
        raise ApplicationError(rejection.message, code=rejection.code, status=rejection.status,
                               extra={"request_id": str(job.pk)})
    job.file_path = default_storage.save(f"cvs/{tenant.pk}/{job.pk}/original{Path(upload.name or '').suffix.lower()[:10]}", upload)
    try:
        _job_save_new(job, enqueue=True)
    except IntegrityError:
        # Lost a race on the same Idempotency-Key: the other request's job is the answer.
        default_storage.delete(job.file_path)
        return CVJob.objects.get(idempotency_key=idempotency_key)
    except DataError:
        # The database refused a field (NUL in metadata or external_id): a 400, and no file left without a job.
        default_storage.delete(job.file_path)
        raise
    return job


def _find_duplicate_of(job: CVJob) -> CVJob | None:
    """An earlier completed job of the same file in this tenant, whose results can be reused."""
    if not _deduplication_enabled(job.endpoint):
        return None
    return (
        CVJob.objects.filter(file_sha256=job.file_sha256, status=CVJob.Status.COMPLETED, candidate__isnull=False)
        .exclude(pk=job.pk)
        .select_related("candidate")
        .order_by("-created_at")
        .first()
    )


def _deduplication_enabled(endpoint: Endpoint | None) -> bool:
    if endpoint is not None and "deduplicate" in endpoint.options:
        return bool(endpoint.options["deduplicate"])
    return settings.CV_DEDUPLICATE_FILES


def _job_save_new(job: CVJob, *, enqueue: bool = False) -> None:
    # Intake is the hot path: one autocommit INSERT (no BEGIN/COMMIT round trips) and no progress
    # event; dispatch runs once the row is committed, whether or not a caller's atomic block wraps us.
    job.save(force_insert=True)
    if enqueue:
        tenant_id = job.tenant_id
        transaction.on_commit(lambda: jobs_dispatch(tenant_id=tenant_id))


# --- queueing --------------------------------------------------------------------------------


def _transaction_lock(name: str) -> None:
    """Wait for, then hold until the transaction ends, the lock called ``name`` (one per tenant and purpose)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(hashtext(%s))", [name])


def jobs_dispatch(*, tenant_id: Any) -> int:
    """Send the tenant's waiting jobs to the queues, oldest first, up to its in-flight limit.

    Called after intake, after each job ends and by the sweeper; safe to call any time and from
    several processes: a per-tenant advisory lock makes concurrent callers take turns, so the
    limit holds. Returns how many jobs were sent.
    """
    limit = settings.CV_TENANT_MAX_IN_FLIGHT
    # A slot is held by a running job, or a queued one whose message was sent (``queued_at`` set).
    held = Q(status=CVJob.Status.RUNNING) | Q(status=CVJob.Status.QUEUED, queued_at__isnull=False)
    with tenant_scope(tenant_id):
        # Lock-free look first: a tenant whose slots are all held has nothing to send, and each slot freed after
        # this read commits before its own dispatch reads, so that dispatch sees every job waiting now. This
        # spares a busy tenant's intakes the locked transaction below, which makes them queue behind each other
        # (docs/benchmarks.md, "Intake with fair dispatch").
        if CVJob.objects.filter(held)[:limit].count() >= limit:
            return 0
    with tenant_scope(tenant_id), transaction.atomic():
        _transaction_lock(f"cv-dispatch:{tenant_id}")
        free = limit - CVJob.objects.filter(held).count()
        if free <= 0:
            return 0
        waiting = list(
            CVJob.objects.filter(status=CVJob.Status.QUEUED, queued_at__isnull=True)
            .select_related("tenant").order_by("created_at")[:free]
        )
        if not waiting:
            return 0
        now = timezone.now()
        CVJob.objects.filter(pk__in=[job.pk for job in waiting]).update(queued_at=now)
        for job in waiting:
            job.queued_at = now

        def enqueue_waiting() -> None:
            for job in waiting:
                job_enqueue(job=job, queue=_queue_for_stage(job))

        transaction.on_commit(enqueue_waiting)
    return len(waiting)


def job_enqueue(*, job: CVJob, queue: str) -> None:
    """Send the job to a queue. A broker outage is not fatal: the sweeper re-sends queued jobs."""
    from cvs.pipeline.tasks import cv_job_run

    try:
        cv_job_run.apply_async(kwargs={"tenant_id": str(job.tenant_id), "job_id": str(job.pk), "queue": queue}, queue=queue)
    except Exception:  # noqa: BLE001 - the job row is the outbox; it stays queued
        logger.exception("Could not enqueue job %s; the stale-job sweeper will retry", job.pk)


def _queue_for_stage(job: CVJob) -> str:
    stage = job.stage if job.stage in RERUNNABLE_STAGES else Stage.EXTRACTING_TEXT
    if stage == Stage.EXTRACTING_TEXT:
        return "ocr" if job.options.get("needs_ocr") or job.file_mime in sniff.IMAGE_MIMES else "default"
    if stage == Stage.PARSING:
        return "llm" if _provider_for(job) in LLM_PROVIDERS else "default"
    if stage == Stage.RENDERING:
        return "documents"
    return "default"


def _provider_for(job: CVJob) -> str:
    return job.options.get("provider") or job.tenant.effective_extraction_provider


# --- the pipeline ------------------------------------------------------------------------------


def _claim(job_id: Any) -> CVJob | None:
    """Take the lease on a runnable job; None when it is finished or another worker holds it."""
    now = timezone.now()
    claimed = (
        CVJob.objects.filter(pk=job_id, status__in=[CVJob.Status.QUEUED, CVJob.Status.RUNNING])
        .filter(Q(lease_expires_at__isnull=True) | Q(lease_expires_at__lt=now))
        .update(
            status=CVJob.Status.RUNNING,
            lease_expires_at=now + timedelta(seconds=settings.CV_JOB_LEASE_SECONDS),
            started_at=Coalesce("started_at", now),
        )
    )
    if not claimed:
        return None
    return CVJob.objects.select_related("tenant", "endpoint", "batch", "duplicate_of").get(pk=job_id)


def _save_progress(job: CVJob, **fields: Any) -> bool:
    """Save stage results unless the job was cancelled meanwhile (then the worker stops)."""
    for name, value in fields.items():
        setattr(job, name, value)
    fields["lease_expires_at"] = timezone.now() + timedelta(seconds=settings.CV_JOB_LEASE_SECONDS)
    return bool(CVJob.objects.filter(pk=job.pk, status=CVJob.Status.RUNNING).update(**fields))


@contextmanager
def _lease_heartbeat(job_id: Any):
    """Renew the job's lease while this worker is alive, so a short lease outlives long stages only here."""
    stop = threading.Event()

    def renew() -> None:
        try:
            while not stop.wait(settings.CV_JOB_HEARTBEAT_SECONDS):
                try:
                    with scopes_disabled():
                        CVJob.objects.filter(pk=job_id, status=CVJob.Status.RUNNING).update(
                            lease_expires_at=timezone.now() + timedelta(seconds=settings.CV_JOB_LEASE_SECONDS)
                        )
                except (OperationalError, InterfaceError):
                    # The database went away (restart, failover): keep beating on a new connection once it
                    # is back, or the lease runs out under a live job and the sweeper starts a second run.
                    connection.close()
        finally:
            connection.close()  # this thread's own connection

    thread = threading.Thread(target=renew, name=f"lease-{job_id}", daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def job_run(*, job_id: Any, worker_queue: str) -> float | None:
    """Run the job's remaining stages that belong on ``worker_queue``; hand the rest on.

    Returns None when done with the message, or the seconds after which to try again: the job is
    running under another worker's lease. That is what a redelivered message sees when its worker
    process was killed mid-job (reject-on-worker-lost redelivers at once, but the dead worker's
    lease runs a little longer); trying again when the lease runs out takes the job back in
    seconds, where giving up would leave it to the sweeper. A live worker keeps renewing its lease,
    so a duplicate of a healthy job's message only comes back a few times, then finds it ended.
    """
    job = _claim(job_id)
    if job is None:
        with scopes_disabled():
            held = CVJob.objects.filter(pk=job_id, status=CVJob.Status.RUNNING).values_list("lease_expires_at", flat=True).first()
        return max((held - timezone.now()).total_seconds(), 0.0) + 1.0 if held else None
    with _lease_heartbeat(job.pk):
        _job_run_claimed(job, worker_queue)
    return None


def _job_run_claimed(job: CVJob, worker_queue: str) -> None:
    if job.stage == Stage.QUEUED:
        job.stage = Stage.EXTRACTING_TEXT
    try:
        while job.stage in RERUNNABLE_STAGES:
            queue = _queue_for_stage(job)
            if queue != worker_queue:
                _hand_over(job, queue)
                return
            if not _run_stage(job):
                return
        _job_complete(job)
    except ExtractionError as exc:
        _job_fail(job, exc.code, exc.message)
    except (OperationalError, InterfaceError):
        # The database went away, not the job's fault: the task retries once it is back (cvs.pipeline.tasks).
        # Failing the job here would lose it whenever the database answered again in between.
        raise
    except Exception:  # noqa: BLE001 - a bug must end the job, never leave it running
        logger.exception("CV job %s crashed in stage %s", job.pk, job.stage)
        _job_fail(job, "internal_error", "Processing failed unexpectedly. Staff have the details; the job can be re-run.")


def _hand_over(job: CVJob, queue: str) -> None:
    updated = CVJob.objects.filter(pk=job.pk, status=CVJob.Status.RUNNING).update(
        status=CVJob.Status.QUEUED, stage=job.stage, lease_expires_at=None, queued_at=timezone.now(), options=job.options
    )
    if updated:
        job_enqueue(job=job, queue=queue)


@contextmanager
def _timed(job: CVJob, stage: str):
    started = time.perf_counter()
    yield
    job.stage_timings = {**job.stage_timings, stage: round((time.perf_counter() - started) * 1000)}


def _run_stage(job: CVJob) -> bool:
    stage = job.stage
    _publish(job)
    with _timed(job, stage):
        if stage == Stage.EXTRACTING_TEXT:
            fields = _stage_extract_text(job)
            next_stage = Stage.PARSING
        elif stage == Stage.PARSING:
            fields = _stage_parse(job)
            next_stage = Stage.ENRICHING
        elif stage == Stage.ENRICHING:
            fields = _stage_enrich(job)
            # Only jobs that ask for documents take the extra hop to the documents queue.
            next_stage = Stage.RENDERING if job_documents_request(job=job) is not None else Stage.COMPLETED
        else:
            fields = _stage_render(job)
            next_stage = Stage.COMPLETED
    if fields is None:  # re-routed to another queue
        return True
    return _save_progress(job, stage=next_stage, stage_timings=job.stage_timings, **fields)


@contextmanager
def _local_copy(job: CVJob):
    """The stored original as a local file, removed afterwards whatever happens."""
    with tempfile.TemporaryDirectory(prefix="cvjob-") as tmp:
        path = Path(tmp) / f"original{Path(job.file_path).suffix}"
        with default_storage.open(job.file_path, "rb") as src, open(path, "wb") as dst:
            for chunk in iter(lambda: src.read(1024 * 1024), b""):
                dst.write(chunk)
        yield path


def _pdf_needs_ocr(path: Path) -> bool:
    import pymupdf

    try:
        with pymupdf.open(path) as doc:
            if doc.needs_pass or doc.page_count > settings.CV_MAX_PAGES:
                return False  # extraction reports these; no point moving queues first
            return any(not page.get_text("text").strip() for page in doc)
    except Exception:  # noqa: BLE001 - a corrupt file is reported by the extraction itself
        return False


def _stage_extract_text(job: CVJob) -> dict[str, Any] | None:
    from cvs.extraction.text import extract_text

    if job.duplicate_of is None and not job.options.get("duplicate_checked"):
        job.duplicate_of = _find_duplicate_of(job)
        job.options = {**job.options, "duplicate_checked": True}
    original = job.duplicate_of
    if original is not None and original.text:
        return {"text": original.text, "text_map": original.text_map, "file_pages": original.file_pages,
                "ocr_used": False, "duplicate_of": original, "options": job.options}
    with _local_copy(job) as path:
        if job.file_mime == sniff.PDF and not job.options.get("needs_ocr") and _pdf_needs_ocr(path):
            job.options = {**job.options, "needs_ocr": True}
            if _queue_for_stage(job) != "default":
                return None
        extracted = extract_text(path, job.file_mime, max_pages=settings.CV_MAX_PAGES, ocr_languages=settings.OCR_LANGUAGES)
    photo_paths = [
        default_storage.save(f"cvs/{job.tenant_id}/{job.pk}/photo-{index}.{_image_ext(photo)}", ContentFile(photo))
        for index, photo in enumerate(extracted.photos[:3])
    ]
    return {
        "text": extracted.text.replace("\x00", ""),  # PostgreSQL text cannot hold NUL; extract_text removes it already
        "text_map": extracted.text_map.to_json(),
        "file_pages": extracted.pages,
        "ocr_used": extracted.ocr_used,
        "options": {**job.options, "photo_paths": photo_paths},
    }


def _image_ext(data: bytes) -> str:
    return "png" if data.startswith(b"\x89PNG") else "jpg"


def job_evidence_fields(
    *, data: dict[str, Any], text: str, text_map: dict[str, Any], provider: str,
    dropped: dict[str, dict[str, str]] | None = None,
) -> dict[str, Any]:
    """A job's ``evidence`` and ``review_confidence`` for its data: one computation for parsing and refreshes.

    ``dropped``: the LLM values grounding dropped (``ExtractionResult.dropped``), recorded in the evidence.
    """
    from cvs.extraction.evidence import build_evidence, key_confidence

    evidence = build_evidence(data, text, provider, text_map, dropped=dropped)
    return {"evidence": evidence, "review_confidence": key_confidence(data, evidence)}


def jobs_evidence_refresh(*, jobs: Any) -> int:
    """Recompute the evidence of completed, unreviewed jobs, e.g. after the confidence table was refitted.

    Confidence is stored when a job is parsed; jobs parsed before (or before confidence existed) keep
    the old values until refreshed. Reviewed jobs keep theirs (a corrected value is confidence 1), and
    jobs whose text retention removed are left alone (nothing to locate values in).
    """
    from cvs.extraction.evidence import dropped_records

    refreshed = 0
    todo = jobs.filter(status=CVJob.Status.COMPLETED, data__isnull=False, reviewed_at__isnull=True).exclude(text="")
    for job in todo.only("pk", "data", "text", "text_map", "provider", "evidence").iterator(chunk_size=200):
        # What grounding dropped cannot be recomputed from the data: it is carried over.
        fields = job_evidence_fields(data=job.data, text=job.text, text_map=job.text_map, provider=job.provider,
                                     dropped=dropped_records(job.evidence or {}))
        CVJob.objects.filter(pk=job.pk).update(**fields)
        refreshed += 1
    return refreshed


def _stage_parse(job: CVJob) -> dict[str, Any]:
    from cvs.extraction.providers import extract_structured

    original = job.duplicate_of
    if original is not None and original.data is not None:
        return {"data": original.data, "evidence": original.evidence, "review_confidence": original.review_confidence,
                "provider": original.provider}
    provider = _provider_for(job)
    llm = llm_config(tenant_id=job.tenant_id, model=job.tenant.llm_model)
    if provider in LLM_PROVIDERS and llm is None:
        raise ExtractionError("llm_error", f"The extraction provider '{provider}' needs LLM_BASE_URL/LLM_API_KEY to be set.")
    result = extract_structured(job.text, provider=provider, llm=llm, today=timezone.now().date())
    return {"data": result.data,
            **job_evidence_fields(data=result.data, text=job.text, text_map=job.text_map, provider=result.provider,
                                  dropped=result.dropped),
            "provider": result.provider, "llm_usage": result.usage}


def _stage_enrich(job: CVJob) -> dict[str, Any]:
    """Store the candidate and screen it: each step a direct call."""
    candidate = candidate_upsert_from_job(job=job)
    job.candidate = candidate
    enrichment = {"screening": candidate_screen_for_job(job=job), "documents": None}
    return {"candidate": candidate, "enrichment": enrichment}


def _stage_render(job: CVJob) -> dict[str, Any]:
    """Render the branded documents the job asks for, on the documents queue (CPU-bound, about a second)."""
    return {"enrichment": {**job.enrichment, "documents": documents_for_job(job=job)}}


# --- candidates ---------------------------------------------------------------------------------


def candidate_upsert_from_job(*, job: CVJob) -> Candidate:
    """One candidate per person per tenant: same file, same email or same phone → same candidate."""
    fields = candidate_columns(job.data or {})
    fields["photo_paths"] = job.options.get("photo_paths", [])
    with transaction.atomic():
        # Two CVs of one person, enriched at once by two workers, must not both find no candidate and
        # both create one: a tenant's look-up-then-create runs one at a time, and looks only once it
        # holds the lock, so it sees the candidate the previous holder committed.
        _transaction_lock(f"candidate-upsert:{job.tenant_id}")
        candidate = job.candidate
        if candidate is None and job.duplicate_of is not None:
            candidate = job.duplicate_of.candidate
        live = Candidate.objects.live()
        if candidate is None and fields["email"]:
            candidate = live.filter(email=fields["email"]).order_by("created_at").first()
        if candidate is None and fields["phone_e164"]:
            candidate = live.filter(phone_e164=fields["phone_e164"]).order_by("created_at").first()
        if candidate is None:
            candidate = Candidate.objects.create(tenant_id=job.tenant_id, **fields)
        else:
            if not fields["photo_paths"]:
                fields["photo_paths"] = candidate.photo_paths
            for name, value in fields.items():
                setattr(candidate, name, value)
            candidate.save()
        candidate_followups_run(candidate=candidate)
    return candidate


# --- endings -------------------------------------------------------------------------------------


def _finish(job: CVJob, **fields: Any) -> None:
    now = timezone.now()
    fields.update(finished_at=now, lease_expires_at=None)
    if job.started_at:
        fields["processing_ms"] = int((now - job.started_at).total_seconds() * 1000)
    with transaction.atomic():
        # Only an unfinished job can end: a late worker must not overwrite a cancellation.
        if not CVJob.objects.filter(pk=job.pk).exclude(status__in=FINISHED).update(**fields):
            return
        for name, value in fields.items():
            setattr(job, name, value)
        event = "cv.completed" if job.status == CVJob.Status.COMPLETED else "cv.failed"
        if job.status != CVJob.Status.CANCELLED:
            _emit_webhook(job, event)
        transaction.on_commit(lambda: _batch_progress_publish(job))
        transaction.on_commit(lambda: jobs_dispatch(tenant_id=job.tenant_id))  # the freed slot goes to the next job
    _publish(job)


def _batch_progress_publish(job: CVJob) -> None:
    from cvs.talents.services import task_progress_publish

    with tenant_scope(job.tenant_id):
        task_progress_publish(job=job)


def _emit_webhook(job: CVJob, event_type: str) -> None:
    if job.endpoint is None or not job.endpoint.callback_url:
        return
    webhook_event_emit(endpoint=job.endpoint, event_type=event_type, payload=job_result_payload(job), job=job)


def _job_complete(job: CVJob) -> None:
    _finish(job, status=CVJob.Status.COMPLETED, stage=Stage.COMPLETED)


def _job_fail(job: CVJob, code: str, message: str) -> None:
    _finish(job, status=CVJob.Status.FAILED, stage=Stage.FAILED, error_code=code, error_message=message)


def _publish(job: CVJob) -> None:
    from cvs.talents.selectors import job_progress

    publish_task_update(job.tenant_id, {
        "task_id": str(job.pk),
        "kind": "cv_job",
        "batch_id": str(job.batch_id) if job.batch_id else None,
        "status": job.status,
        "stage": job.stage,
        "error_code": job.error_code or None,
        "candidate_id": str(job.candidate_id) if job.candidate_id else None,
        "file_name": job.file_name,
        "progress": job_progress(job),  # what the reference clients draw, as batch events carry it
    })


# --- operations: re-run, cancel, recovery --------------------------------------------------------------


def job_rerun(*, job: CVJob, from_stage: str | None = None, provider: str | None = None) -> CVJob:
    """Run the pipeline again, whole or from a stage, optionally with another extraction provider."""
    from_stage = from_stage or Stage.EXTRACTING_TEXT
    if from_stage not in RERUNNABLE_STAGES:
        raise ApplicationError(f"Cannot re-run from stage '{from_stage}'.", code="invalid_stage")
    if job.status == CVJob.Status.RUNNING and job.lease_expires_at and job.lease_expires_at > timezone.now():
        raise ApplicationError("The job is running; cancel it or wait for it to end.", code="job_running", status=409)
    if from_stage == Stage.PARSING and not job.text and job.stage_timings.get(Stage.EXTRACTING_TEXT) is None:
        from_stage = Stage.EXTRACTING_TEXT
    if from_stage == Stage.RENDERING and job.candidate_id is None:
        from_stage = Stage.ENRICHING
    if from_stage == Stage.ENRICHING and job.data is None:
        from_stage = Stage.PARSING
    if not job.file_path and from_stage == Stage.EXTRACTING_TEXT:
        raise ApplicationError("The original file was not kept (it was rejected at intake or erased).", code="no_file", status=409)
    options = dict(job.options)
    if provider:
        options["provider"] = provider
    reset: dict[str, Any] = {
        "status": CVJob.Status.QUEUED, "stage": from_stage, "error_code": "", "error_message": "",
        "attempts": 0, "lease_expires_at": None, "finished_at": None, "started_at": None,
        "processing_ms": None, "queued_at": None, "options": options, "duplicate_of": None,
    }
    if from_stage == Stage.EXTRACTING_TEXT:
        reset.update(text="", text_map={}, file_pages=None, ocr_used=False)
    if from_stage in (Stage.EXTRACTING_TEXT, Stage.PARSING):
        reset.update(data=None, evidence={}, review_confidence=None, llm_usage={}, provider="")
    rank = {stage.value: position for position, stage in enumerate(STAGE_ORDER)}
    reset["stage_timings"] = {k: v for k, v in job.stage_timings.items() if rank[k] < rank[from_stage]} if from_stage in rank else {}
    for name, value in reset.items():
        setattr(job, name, value)
    with transaction.atomic():
        job.save()
        transaction.on_commit(lambda: jobs_dispatch(tenant_id=job.tenant_id))  # waits its turn like a new job
    _publish(job)
    return job


def job_cancel(*, job: CVJob) -> CVJob:
    if job.is_finished:
        raise ApplicationError(f"The job has already ended ({job.status}).", code="job_finished", status=409)
    _finish(job, status=CVJob.Status.CANCELLED, error_code="cancelled", error_message="Cancelled by a user.")
    return job


def jobs_requeue_stale() -> dict[str, int]:
    """Recover jobs whose worker died (lease expired) or whose message was lost (queued too long).

    Runs from beat across all tenants. A job that has crashed its worker too often fails
    instead of looping forever (e.g. a file that exhausts memory every time).
    """
    now = timezone.now()
    requeued = failed = 0
    stale_queued = now - timedelta(seconds=settings.CV_QUEUED_RESEND_SECONDS)
    with scopes_disabled():
        stale = list(
            CVJob.objects.filter(
                Q(status=CVJob.Status.RUNNING, lease_expires_at__lt=now)
                | Q(status=CVJob.Status.QUEUED, queued_at__lt=stale_queued)
            ).select_related("tenant", "endpoint")[:500]
        )
    for job in stale:
        with tenant_scope(job.tenant_id):
            if job.status == CVJob.Status.RUNNING and job.attempts + 1 >= settings.CV_MAX_ATTEMPTS:
                _job_fail(job, "processing_crashed", "Processing stopped repeatedly (the worker died); the file may be too heavy.")
                failed += 1
                continue
            fields: dict[str, Any] = {"status": CVJob.Status.QUEUED, "lease_expires_at": None, "queued_at": now}
            if job.status == CVJob.Status.RUNNING:
                fields["attempts"] = job.attempts + 1
            if CVJob.objects.filter(pk=job.pk, status=job.status, lease_expires_at=job.lease_expires_at).update(**fields):
                for name, value in fields.items():
                    setattr(job, name, value)
                job_enqueue(job=job, queue=_queue_for_stage(job))
                requeued += 1
    # A dispatch lost with its process (a crash between a job's end and its on-commit hook) is made up here.
    with scopes_disabled():
        waiting = CVJob.objects.filter(status=CVJob.Status.QUEUED, queued_at__isnull=True).order_by()
        waiting_tenants = list(waiting.values_list("tenant_id", flat=True).distinct())
    dispatched = sum(jobs_dispatch(tenant_id=tenant_id) for tenant_id in waiting_tenants)
    return {"requeued": requeued, "failed": failed, "dispatched": dispatched}


def jobs_apply_retention() -> dict[str, int]:
    """Delete original files, photos and raw text of jobs older than their tenant's retention period.

    Structured data and candidates stay: they are the tenant's records; the raw CV is what
    retention policies are about.
    """
    purged = 0
    with scopes_disabled():
        tenants = list(Tenant.objects.filter(retention_days__isnull=False))
    for tenant in tenants:
        assert tenant.retention_days is not None  # filtered above
        cutoff = timezone.now() - timedelta(days=tenant.retention_days)
        with tenant_scope(tenant.pk):
            for job in CVJob.objects.filter(created_at__lt=cutoff).exclude(file_path="", text="").iterator():
                for path in [job.file_path, *job.options.get("photo_paths", [])]:
                    if path:
                        default_storage.delete(path)
                CVJob.objects.filter(pk=job.pk).update(file_path="", text="", text_map={})
                purged += 1
    return {"purged": purged}
