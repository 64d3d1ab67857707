from __future__ import annotations

import uuid
from typing import ClassVar

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import F
from django.db.models.expressions import RawSQL
from django.utils import timezone

from cvs.extraction.levels import EducationLevel
from tenants.models import Endpoint, TenantOwned
from tenants.scoping import TenantScopedManager

# The levels and their order live in the extraction library, which the contract shares.
EDUCATION_LEVEL_CHOICES = [(level.value, level.value.capitalize()) for level in EducationLevel]


class ScreeningStatus(models.TextChoices):
    PENDING = "pending"
    QUALIFIED = "qualified"
    UNQUALIFIED = "unqualified"
    INTERVIEW = "interview"
    HIRED = "hired"
    REJECTED = "rejected"


class CandidateQuerySet(models.QuerySet["Candidate"]):
    """The one soft delete: readers see ``live()``; the API (one talent or many) and the admin actions
    move candidates in and out of the bin with ``soft_delete()`` and ``restore()``."""

    def live(self) -> CandidateQuerySet:
        return self.filter(is_deleted=False)

    def soft_delete(self) -> int:
        """Hide the live candidates among these; a deleted one keeps the time it was first deleted."""
        now = timezone.now()
        return self.live().update(is_deleted=True, deleted_at=now, updated_at=now)

    def restore(self) -> int:
        return self.filter(is_deleted=True).update(is_deleted=False, deleted_at=None, updated_at=timezone.now())


_CandidateManagerBase = TenantScopedManager.from_queryset(CandidateQuerySet)


class CandidateManager(_CandidateManagerBase["Candidate"]):
    def live(self) -> CandidateQuerySet:
        # Through filter(): without a tenant scope this raises ScopeError, like every other query.
        return self.filter(is_deleted=False)


# Immutable SQL only (a generated column): `||` and coalesce, not concat_ws. The contact fields are
# cvs.candidate_data.CONTACT_FIELDS; the CASE keeps a non-object `data` searchable.
_SEARCH_DOCUMENT = (
    "lower(name || ' ' || headline || ' ' || school || ' ' || location || ' ' || (CASE WHEN jsonb_typeof(data) = 'object' "
    "THEN data #- '{contact_info,email}' #- '{contact_info,phone}' #- '{contact_info,phone_e164}' ELSE data END)::text)"
)
SEARCH_DOCUMENT_SQL = RawSQL(_SEARCH_DOCUMENT, ())
# Stored rather than an expression index: ranking reads it for every match, and a generated column may
# not refer to another one, hence the document's SQL again.
SEARCH_VECTOR_SQL = RawSQL(f"to_tsvector('simple'::regconfig, {_SEARCH_DOCUMENT})", ())
CONTACT_DOCUMENT_SQL = RawSQL(
    "lower(email || ' ' || phone || ' ' || phone_e164 || ' ' || (CASE WHEN jsonb_typeof(data) = 'object' "
    "THEN coalesce(data #>> '{contact_info,email}', '') || ' ' || coalesce(data #>> '{contact_info,phone}', '') || ' ' "
    "|| coalesce(data #>> '{contact_info,phone_e164}', '') ELSE '' END))",
    (),
)


class Candidate(TenantOwned):
    """One person per tenant, with the structured data of their latest CV."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, blank=True)
    email = models.CharField(max_length=254, blank=True, db_index=True)
    phone = models.CharField(max_length=50, blank=True)
    phone_e164 = models.CharField(max_length=20, blank=True, db_index=True)
    headline = models.CharField(max_length=300, blank=True)
    location = models.CharField(max_length=200, blank=True)
    language = models.CharField(max_length=8, blank=True)
    education_level = models.CharField(max_length=20, choices=EDUCATION_LEVEL_CHOICES, blank=True)
    school = models.CharField(max_length=300, blank=True, help_text="Institution of the highest degree.")
    years_of_experience = models.FloatField(null=True, blank=True)
    skills = ArrayField(models.CharField(max_length=100), default=list, blank=True)
    data = models.JSONField(default=dict, blank=True, help_text="cv-data contract (shared/contracts/cv-data.schema.json)")
    photo_paths = ArrayField(models.CharField(max_length=500), default=list, blank=True)
    screening_status = models.CharField(max_length=20, choices=ScreeningStatus.choices, default=ScreeningStatus.PENDING, db_index=True)
    is_deleted = models.BooleanField(default=False, db_index=True)
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # What keyword search reads (cvs.selectors.candidate_search), kept by PostgreSQL and indexed (full text
    # and trigrams): the CV without its contact fields, which every role may search, and the contact fields
    # alone, which only roles that see them search.
    search_document = models.GeneratedField(expression=SEARCH_DOCUMENT_SQL, output_field=models.TextField(), db_persist=True)
    search_vector = models.GeneratedField(expression=SEARCH_VECTOR_SQL, output_field=SearchVectorField(), db_persist=True)
    contact_document = models.GeneratedField(expression=CONTACT_DOCUMENT_SQL, output_field=models.TextField(), db_persist=True)

    objects: ClassVar[CandidateManager] = CandidateManager()

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            GinIndex(fields=["skills"], name="candidate_skills_gin"),
            models.Index(fields=["tenant", "is_deleted", "-created_at"], name="candidate_tenant_listing"),
            GinIndex(fields=["search_vector"], name="candidate_search_fts"),
            GinIndex(OpClass(F("search_document"), name="gin_trgm_ops"), name="candidate_search_trgm"),
            GinIndex(OpClass(F("contact_document"), name="gin_trgm_ops"), name="candidate_contact_trgm"),
        ]

    def __str__(self) -> str:
        return self.name or str(self.id)


class TaskStatus(models.TextChoices):
    """Life cycle of background work that users follow: batches, analysis tasks."""

    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class Batch(TenantOwned):
    """A group of uploads from the HR API, with progress for /ws/tasks."""

    Status = TaskStatus

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING, db_index=True)
    condition_id = models.UUIDField(null=True, blank=True, help_text="Screening condition to apply to each CV.")
    total = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "batches"


class Stage(models.TextChoices):
    QUEUED = "queued"
    EXTRACTING_TEXT = "extracting_text"
    PARSING = "parsing"
    ENRICHING = "enriching"
    RENDERING = "rendering"  # branded documents, on the documents queue; only jobs that ask for them
    COMPLETED = "completed"
    FAILED = "failed"


class CVJob(TenantOwned):
    """One CV submission (a request_id): file, text, structured data, timings, outcome."""

    class Status(models.TextChoices):
        QUEUED = "queued"
        RUNNING = "running"
        COMPLETED = "completed"
        FAILED = "failed"
        CANCELLED = "cancelled"

    class Source(models.TextChoices):
        API = "api", "Client API"
        UPLOAD = "upload", "HR upload"
        BATCH = "batch", "HR batch"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False, verbose_name="request id")
    endpoint = models.ForeignKey(Endpoint, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    batch = models.ForeignKey(Batch, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    candidate = models.ForeignKey(Candidate, null=True, blank=True, on_delete=models.SET_NULL, related_name="jobs")
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.API)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.QUEUED)
    external_id = models.CharField(max_length=200, blank=True)
    metadata = models.JSONField(default=dict, blank=True)
    idempotency_key = models.CharField(max_length=200, null=True, blank=True)
    options = models.JSONField(default=dict, blank=True, help_text="Per-run overrides, e.g. provider, condition_id.")
    request_base_url = models.CharField(
        max_length=300, blank=True, help_text="scheme://host the job was submitted to: makes its document links absolute.",
    )

    file_name = models.CharField(max_length=255)
    file_path = models.CharField(max_length=500, blank=True)
    file_sha256 = models.CharField(max_length=64, db_index=True)
    file_size = models.PositiveIntegerField(default=0)
    file_mime = models.CharField(max_length=100)
    file_pages = models.PositiveIntegerField(null=True, blank=True)

    text = models.TextField(blank=True)
    text_map = models.JSONField(
        default=dict, blank=True, help_text="where ranges of the text sit in the file: page boxes, paragraphs (evidence)"
    )
    data = models.JSONField(null=True, blank=True)
    evidence = models.JSONField(default=dict, blank=True, help_text="where each data value came from (cv-data $defs/evidence)")
    review_confidence = models.FloatField(
        null=True, blank=True, db_index=True,
        help_text="lowest evidence confidence among the key values (name, e-mail, phone, current title and company)",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True, help_text="when staff marked the extracted data reviewed")
    reviewed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    provider = models.CharField(max_length=20, blank=True)
    ocr_used = models.BooleanField(default=False)
    llm_usage = models.JSONField(default=dict, blank=True)
    stage_timings = models.JSONField(default=dict, blank=True, help_text="milliseconds per stage")
    error_code = models.CharField(max_length=50, blank=True, db_index=True)
    error_message = models.TextField(blank=True)
    duplicate_of = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    enrichment = models.JSONField(default=dict, blank=True, help_text="screening and documents results for the payload")

    attempts = models.PositiveIntegerField(default=0)
    queued_at = models.DateTimeField(
        null=True, blank=True,
        help_text="Last time a message was sent to a queue for it; empty while it waits for its tenant's turn.",
    )
    lease_expires_at = models.DateTimeField(null=True, blank=True, help_text="A running job past this is presumed orphaned.")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    processing_ms = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "CV job"
        constraints = [
            models.UniqueConstraint(
                fields=["tenant", "idempotency_key"],
                condition=models.Q(idempotency_key__isnull=False),
                name="uniq_job_idempotency_key",
            )
        ]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"], name="job_stale_sweep"),
            models.Index(fields=["tenant", "file_sha256"], name="job_tenant_sha"),
            models.Index(fields=["tenant", "status", "created_at"], name="job_tenant_dispatch"),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.status})"

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED, self.Status.CANCELLED)
class FieldCorrection(TenantOwned):
    """One value of a job's data corrected by staff on the job page: who, when, where, old -> new."""

    job = models.ForeignKey(CVJob, on_delete=models.CASCADE, related_name="corrections")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    pointer = models.CharField(max_length=300, help_text="JSON pointer into the job's data, e.g. /experience/0/company")
    old_value = models.JSONField(null=True)
    new_value = models.JSONField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.pointer}: {self.old_value!r} -> {self.new_value!r}"


from cvs.documents.models import DocumentTemplate, GeneratedDocument  # noqa: E402,F401
