"""Writes for talents: edits, soft deletion, HR uploads (single, batch, ZIP), task cancel and progress."""

from __future__ import annotations

import lzma
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile, UploadedFile
from django.db import transaction
from django.utils import timezone

from config.errors import ApplicationError
from cvs.candidate_data import DATA_PATHS, candidate_columns, document_with_edits
from cvs.extraction import sniff
from cvs.extraction.errors import CORRUPT_FILE
from cvs.models import Batch, Candidate, CVJob
from cvs.pipeline.followups import candidate_followups_run
from cvs.progress import publish_task_update
from cvs.talents.selectors import batch_counts, batch_status, task_payload
from screening.models import ScreeningCondition
from screening.vocab import skill_key
from tenants.models import Tenant


def _canonical_skills(skills: list[str]) -> list[str]:
    seen: dict[str, str] = {}
    for skill in skills:
        seen.setdefault(skill_key(skill), skill.strip())
    return [skill for skill in seen.values() if skill]


def talent_update(*, candidate: Candidate, data: dict[str, Any] | None = None, **fields: Any) -> Candidate:
    """Edit a talent. ``data`` (already contract-valid) replaces the CV data; explicit fields win and
    are written back into the data, from which every column is derived again."""
    if "skills" in fields:
        fields["skills"] = _canonical_skills(fields["skills"])
    document = document_with_edits(data if data is not None else candidate.data or {}, fields)
    columns = candidate_columns(document)
    # Columns the document does not hold (school override, screening status) keep the edit as given.
    columns.update({name: value for name, value in fields.items() if name not in DATA_PATHS})
    changed = any(getattr(candidate, name) != value for name, value in columns.items())
    for name, value in columns.items():
        setattr(candidate, name, value)
    with transaction.atomic():
        candidate.save()
        if changed:
            candidate_followups_run(candidate=candidate)
    return candidate


def talent_delete(*, candidate: Candidate) -> Candidate:
    Candidate.objects.filter(pk=candidate.pk).soft_delete()
    candidate.refresh_from_db(fields=["is_deleted", "deleted_at", "updated_at"])
    return candidate


def talent_restore(*, candidate: Candidate) -> Candidate:
    Candidate.objects.filter(pk=candidate.pk).restore()
    candidate.refresh_from_db(fields=["is_deleted", "deleted_at", "updated_at"])
    return candidate


def talents_delete(*, ids: list[Any]) -> int:
    return Candidate.objects.filter(pk__in=ids).soft_delete()


def talents_status_update(*, ids: list[Any], screening_status: str) -> int:
    live = Candidate.objects.live().filter(pk__in=ids)
    return live.update(screening_status=screening_status, updated_at=timezone.now())


# --- uploads ---------------------------------------------------------------------------------------


def talent_upload(*, tenant: Tenant, upload: UploadedFile, condition: ScreeningCondition | None) -> CVJob:
    from cvs.pipeline.services import job_submit

    options = {"condition_id": str(condition.pk)} if condition else {}
    return job_submit(tenant=tenant, upload=upload, source=CVJob.Source.UPLOAD, options=options)


def _is_archive(upload: UploadedFile) -> bool:
    assert upload.file is not None  # only a closed-and-detached upload has none
    return sniff.sniff_stream(upload.file) == sniff.ZIP  # a DOCX or an ODT is a ZIP too


def _archive_members(upload: UploadedFile, room: int, rejected: list[dict[str, str]]) -> list[UploadedFile]:
    """The CVs inside a ZIP, defended against bombs (declared and actual sizes, ratio), path tricks
    (only the base name is kept; nothing is written to disk) and floods (member count). Members that
    cannot be read are added to ``rejected``."""
    max_member = settings.CV_MAX_UPLOAD_BYTES
    try:
        archive = zipfile.ZipFile(upload)
    except zipfile.BadZipFile as exc:
        raise ApplicationError(f"'{upload.name}' is not a readable ZIP archive.", code="invalid_archive") from exc
    with archive:
        entries = [
            info for info in archive.infolist()
            if not info.is_dir() and not PurePosixPath(info.filename).name.startswith(".") and "__MACOSX" not in info.filename
        ]
        if len(entries) > room:
            raise ApplicationError(f"'{upload.name}' holds {len(entries)} files; at most {room} more fit in this batch.",
                                   code="too_many_files")
        if sum(info.file_size for info in entries) > settings.TALENT_ZIP_MAX_BYTES:
            raise ApplicationError(
                f"'{upload.name}' expands beyond {settings.TALENT_ZIP_MAX_BYTES} bytes.", code="archive_too_large"
            )
        members: list[UploadedFile] = []
        for info in entries:
            if info.compress_size and info.file_size / info.compress_size > settings.TALENT_ZIP_MAX_RATIO:
                raise ApplicationError(
                    f"'{info.filename}' in '{upload.name}' is compressed suspiciously well.", code="archive_bomb"
                )
            if info.flag_bits & 0x1:
                raise ApplicationError(f"'{upload.name}' is encrypted.", code="invalid_archive")
            name = PurePosixPath(info.filename.replace("\\", "/")).name[:255]
            try:
                with archive.open(info) as member:
                    content = member.read(max_member + 1)  # never trust the declared size alone
            except (zipfile.BadZipFile, zlib.error, lzma.LZMAError, OSError, EOFError, NotImplementedError) as exc:
                # A damaged member (bad CRC, broken deflate stream, unknown compression) spoils only itself.
                rejected.append({"file": name, "error_code": CORRUPT_FILE,
                                 "error": f"'{info.filename}' in '{upload.name}' cannot be read ({exc})."})
                continue
            members.append(SimpleUploadedFile(name, content))
    return members


@dataclass
class BatchUpload:
    batch: Batch
    rejected: list[dict[str, str]] = field(default_factory=list)


def talents_batch_upload(
    *, tenant: Tenant, uploads: list[UploadedFile], condition: ScreeningCondition | None, created_by: Any = None
) -> BatchUpload:
    """One Batch and one job per CV (ZIPs are expanded). Files the intake refuses are reported, not fatal."""
    from cvs.pipeline.services import job_submit

    limit = settings.TALENT_BATCH_MAX_FILES
    files: list[UploadedFile] = []
    rejected: list[dict[str, str]] = []
    for upload in uploads:
        files += _archive_members(upload, limit - len(files), rejected) if _is_archive(upload) else [upload]
        if len(files) > limit:
            raise ApplicationError(f"A batch takes at most {limit} files.", code="too_many_files")
    if not files:
        raise ApplicationError("No files to process.", code="no_files", extra={"rejected": rejected})
    result = BatchUpload(Batch(tenant=tenant, condition_id=condition.pk if condition else None, created_by=created_by),
                         rejected)
    with transaction.atomic():
        result.batch.save()
        accepted = 0
        for upload in files:
            try:
                with transaction.atomic():
                    job_submit(tenant=tenant, upload=upload, batch=result.batch, source=CVJob.Source.BATCH)
                accepted += 1
            except ApplicationError as exc:
                result.rejected.append({"file": upload.name or "", "error_code": exc.code, "error": exc.message})
        if not accepted:
            raise ApplicationError("No file in the batch could be accepted.", code="no_files",
                                   extra={"rejected": result.rejected})
        result.batch.total = accepted
        result.batch.save(update_fields=["total"])
    return result


# --- tasks ----------------------------------------------------------------------------------------------


def task_cancel(*, task: Batch | CVJob) -> Batch | CVJob:
    """Stop what has not started: queued jobs end cancelled (workers skip them); running ones finish."""
    from cvs.pipeline.services import job_cancel

    if isinstance(task, CVJob):
        return job_cancel(job=task)
    if batch_status(task, batch_counts(task)) in (Batch.Status.COMPLETED, Batch.Status.FAILED, Batch.Status.CANCELLED):
        raise ApplicationError(f"The batch has already ended ({task.status}).", code="task_finished", status=409)
    now = timezone.now()
    with transaction.atomic():
        CVJob.objects.filter(batch=task, status=CVJob.Status.QUEUED).update(
            status=CVJob.Status.CANCELLED, error_code="cancelled", error_message="Cancelled by a user.",
            finished_at=now, lease_expires_at=None,
        )
        task.status, task.finished_at = Batch.Status.CANCELLED, now
        task.save(update_fields=["status", "finished_at"])
    publish_task_update(task.tenant_id, task_payload(task))
    return task


def task_progress_publish(*, job: CVJob) -> None:
    """After a job ends: refresh its batch's status and push a task_update for the batch (or the upload)."""
    if job.batch_id is None:
        if job.source == CVJob.Source.UPLOAD:
            publish_task_update(job.tenant_id, task_payload(job))
        return
    batch = Batch.objects.get(pk=job.batch_id)
    payload = task_payload(batch)
    if payload["status"] != batch.status:
        finished = payload["status"] in (Batch.Status.COMPLETED, Batch.Status.FAILED)
        Batch.objects.filter(pk=batch.pk).exclude(status=Batch.Status.CANCELLED).update(
            status=payload["status"], finished_at=timezone.now() if finished else None
        )
    publish_task_update(job.tenant_id, payload)

