from __future__ import annotations

import uuid

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from pgvector.django import HnswIndex, VectorField

from cvs.models import TaskStatus
from tenants.models import TenantOwned

# The column has a fixed width so one HNSW index serves every row; providers must emit this
# many dimensions (OpenAI-compatible ones are asked for it with ``dimensions=``).
EMBEDDING_DIM = 384


class CandidateEmbedding(TenantOwned):
    """One embedded text of a candidate: the profile, or a chunk (an experience entry).

    ``model`` and ``dim`` record what produced the vector, so that a change of provider
    is detected and re-embedded in the background. ``search_vector`` is maintained by
    ``analytics.services`` with the text's language configuration plus CJK bigrams.
    """

    class Kind(models.TextChoices):
        PROFILE = "profile"
        CHUNK = "chunk"

    candidate = models.ForeignKey("cvs.Candidate", on_delete=models.CASCADE, related_name="embeddings")
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PROFILE)
    position = models.PositiveSmallIntegerField(default=0)
    content = models.TextField()
    content_hash = models.CharField(max_length=64)
    language = models.CharField(max_length=8, blank=True)
    embedding = VectorField(dimensions=EMBEDDING_DIM)
    model = models.CharField(max_length=200)
    dim = models.PositiveSmallIntegerField()
    search_vector = SearchVectorField(null=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["candidate", "kind", "position"], name="uniq_embedding_candidate_kind_pos"),
        ]
        indexes = [
            HnswIndex(
                name="embedding_hnsw_cosine",
                fields=["embedding"],
                m=16,
                ef_construction=64,
                opclasses=["vector_cosine_ops"],
            ),
            GinIndex(fields=["search_vector"], name="embedding_fts_gin"),
            models.Index(fields=["tenant", "model", "dim"], name="embedding_tenant_model"),
        ]

    def __str__(self) -> str:
        return f"{self.kind}#{self.position} of {self.candidate_id}"


class AnalysisQuery(TenantOwned):
    """A question asked of the CV pool: its history entry, and the async task when run in the background."""

    Status = TaskStatus

    class Mode(models.TextChoices):
        SYNC = "sync"
        ASYNC = "async"
        STREAM = "stream"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    question = models.TextField()
    language = models.CharField(max_length=8, blank=True)
    top_k = models.PositiveSmallIntegerField(default=10)
    filters = models.JSONField(default=dict, blank=True, help_text="Explicit filters plus those parsed from the question.")
    mode = models.CharField(max_length=10, choices=Mode.choices, default=Mode.SYNC)
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    progress = models.JSONField(default=dict, blank=True)
    result = models.JSONField(null=True, blank=True)
    error = models.TextField(blank=True)
    llm_used = models.BooleanField(default=False)
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "analysis queries"
        indexes = [models.Index(fields=["tenant", "-created_at"], name="analysis_tenant_history")]

    def __str__(self) -> str:
        return self.question[:80]

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.COMPLETED, self.Status.FAILED, self.Status.CANCELLED)
