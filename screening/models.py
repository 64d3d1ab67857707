from __future__ import annotations

import uuid

from django.contrib.postgres.fields import ArrayField
from django.db import models

from cvs.models import Candidate
from screening.vocab import name_key
from tenants.models import TenantOwned


class SchoolBase(models.Model):
    name = models.CharField(max_length=200)
    aliases = ArrayField(models.CharField(max_length=200), default=list, blank=True, help_text="Other names, abbreviations, translations.")
    tiers = ArrayField(models.CharField(max_length=30), default=list, help_text="e.g. 985, 211, top-200")
    country = models.CharField(max_length=2, blank=True, help_text="ISO 3166-1 alpha-2")

    class Meta:
        abstract = True
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name

    def keys(self) -> set[str]:
        """Exact-match keys of the name and every alias."""
        return {key for key in (name_key(text) for text in [self.name, *self.aliases]) if key}


class School(SchoolBase):
    """The shared school list (seeded from screening/data/schools.json)."""

    class Meta(SchoolBase.Meta):
        constraints = (models.UniqueConstraint(fields=["name"], name="uniq_school_name"),)


class TenantSchool(SchoolBase, TenantOwned):
    """A tenant's own addition: a new school, or more aliases or tiers for a shared one (merged by name)."""

    created_at = models.DateTimeField(auto_now_add=True)

    class Meta(SchoolBase.Meta):
        constraints = (models.UniqueConstraint(fields=["tenant", "name"], name="uniq_tenant_school_name"),)


class ScreeningCondition(TenantOwned):
    """A job's requirements; ``criteria`` follows screening.criteria.Criteria."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    criteria = models.JSONField(default=dict, blank=True)
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey("auth.User", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)

    def __str__(self) -> str:
        return self.name


class ScreeningResult(TenantOwned):
    """The outcome of one candidate against one condition, with a reason per criterion."""

    candidate = models.ForeignKey(Candidate, on_delete=models.CASCADE, related_name="screening_results")
    condition = models.ForeignKey(ScreeningCondition, on_delete=models.CASCADE, related_name="results")
    is_qualified = models.BooleanField()
    score = models.FloatField(help_text="Share of criteria passed, 0-100.")
    reasons = models.JSONField(default=list, help_text="[{criterion, passed, detail}]")
    summary = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    computed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        constraints = (models.UniqueConstraint(fields=["candidate", "condition"], name="uniq_screening_result"),)
        indexes = (models.Index(fields=["condition", "is_qualified"], name="screening_result_condition"),)

    def __str__(self) -> str:
        return f"{self.candidate_id} / {self.condition_id}: {'qualified' if self.is_qualified else 'unqualified'}"
