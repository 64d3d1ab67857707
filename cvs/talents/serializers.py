from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from jsonschema import Draft202012Validator
from rest_framework import serializers

from cvs.candidate_data import mask_email, mask_phone, masked_data, requested_language, sees_contacts
from cvs.extraction.levels import EDUCATION_LEVELS, education_level, level_label
from cvs.extraction.schema import load_json_schema
from cvs.models import Candidate, ScreeningStatus

_CV_DATA = Draft202012Validator(load_json_schema())


class TalentListSerializer(serializers.ModelSerializer):
    work_years = serializers.FloatField(source="years_of_experience", read_only=True)
    major = serializers.SerializerMethodField()

    class Meta:
        model = Candidate
        fields: tuple[str, ...] = (
            "id", "name", "headline", "location", "education_level", "school", "major", "work_years", "skills",
            "screening_status", "is_deleted", "created_at", "updated_at",
        )

    def to_representation(self, instance: Candidate) -> dict[str, Any]:
        data = super().to_representation(instance)
        # In the caller's language when asked (?lang=zh → 本科); the canonical code otherwise.
        data["education_level"] = level_label(data["education_level"], requested_language(self.context.get("request")))
        return data

    def get_major(self, candidate: Candidate) -> str | None:
        education = (candidate.data or {}).get("education") or []
        return (education[0].get("field_of_study") if education and isinstance(education[0], dict) else None) or None


class TalentDetailSerializer(TalentListSerializer):
    """Full profile; contact details are masked for the viewer role (context['role'])."""

    email = serializers.SerializerMethodField()
    phone = serializers.SerializerMethodField()
    graduation_date = serializers.SerializerMethodField()
    work_experience = serializers.SerializerMethodField()
    projects = serializers.SerializerMethodField()
    photo_urls = serializers.SerializerMethodField()
    qualification_reason = serializers.SerializerMethodField()
    screening_results = serializers.SerializerMethodField()
    # DRF's metaclass moves declared fields out of the class, so ``.data`` stays the serializer's output;
    # the stubs see the field shadowing it.
    data = serializers.SerializerMethodField()  # type: ignore[assignment]

    class Meta(TalentListSerializer.Meta):
        fields = (
            *TalentListSerializer.Meta.fields, "email", "phone", "language", "graduation_date", "work_experience", "projects",
            "photo_urls", "qualification_reason", "screening_results", "data", "deleted_at",
        )

    @property
    def _masked(self) -> bool:
        return not sees_contacts(self.context.get("role"))

    def get_email(self, candidate: Candidate) -> str:
        return mask_email(candidate.email) if self._masked else candidate.email

    def get_phone(self, candidate: Candidate) -> str:
        return mask_phone(candidate.phone) if self._masked else candidate.phone

    def get_graduation_date(self, candidate: Candidate) -> str | None:
        education = (candidate.data or {}).get("education") or []
        first = education[0] if education and isinstance(education[0], dict) else {}
        year = first.get("end_date") or first.get("graduation_year")
        return str(year) if year else None

    def get_work_experience(self, candidate: Candidate) -> list[dict[str, Any]]:
        return [
            {"company": job.get("company"), "position": job.get("title"), "duration": job.get("period")
             or "-".join(str(part) for part in (job.get("start_date"), job.get("end_date") or "now") if part),
             "start_date": job.get("start_date"), "end_date": job.get("end_date"), "is_current": job.get("is_current", False)}
            for job in (candidate.data or {}).get("experience") or [] if isinstance(job, dict)
        ]

    def get_projects(self, candidate: Candidate) -> list[dict[str, Any]]:
        return list((candidate.data or {}).get("projects") or [])

    def get_photo_urls(self, candidate: Candidate) -> list[str]:
        return [default_storage.url(path) for path in candidate.photo_paths]

    def _results(self, candidate: Candidate) -> list[Any]:
        cache = self.__dict__.setdefault("_results_by_candidate", {})
        if candidate.pk not in cache:
            cache[candidate.pk] = list(candidate.screening_results.select_related("condition").order_by("-created_at"))
        return cache[candidate.pk]

    def get_qualification_reason(self, candidate: Candidate) -> str | None:
        results = self._results(candidate)
        return results[0].summary if results else None

    def get_screening_results(self, candidate: Candidate) -> list[dict[str, Any]]:
        return [
            {"condition_id": str(r.condition_id), "condition_name": r.condition.name, "is_qualified": r.is_qualified,
             "score": r.score, "reasons": r.reasons, "summary": r.summary, "computed_at": r.computed_at}
            for r in self._results(candidate)
        ]

    def get_data(self, candidate: Candidate) -> dict[str, Any]:
        data = candidate.data or {}
        return masked_data(data) if self._masked else data


class TalentUpdateSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, required=False, allow_blank=True)
    email = serializers.EmailField(max_length=254, required=False, allow_blank=True)
    phone = serializers.CharField(max_length=50, required=False, allow_blank=True)
    headline = serializers.CharField(max_length=300, required=False, allow_blank=True)
    location = serializers.CharField(max_length=200, required=False, allow_blank=True)
    education_level = serializers.CharField(
        max_length=100, required=False, allow_blank=True,
        help_text="A level in any documented language ('bachelor', '本科', 'máster'); stored as its canonical code.",
    )
    school = serializers.CharField(max_length=300, required=False, allow_blank=True)
    years_of_experience = serializers.FloatField(min_value=0, max_value=70, required=False, allow_null=True)
    work_years = serializers.FloatField(min_value=0, max_value=70, required=False, allow_null=True, write_only=True)
    skills = serializers.ListField(child=serializers.CharField(max_length=100), max_length=200, required=False)
    screening_status = serializers.ChoiceField(choices=ScreeningStatus.choices, required=False)
    data = serializers.JSONField(  # type: ignore[assignment]  # a declared field, not Serializer.data (see above)
        required=False, help_text="Structured CV data; must satisfy the cv-data contract.",
    )

    def validate_education_level(self, value: str) -> str:
        if not value:
            return value
        level = education_level(value)
        if level not in EDUCATION_LEVELS:
            raise serializers.ValidationError(f"Unknown education level; use one of {', '.join(EDUCATION_LEVELS)}.")
        return level

    def validate_data(self, value: Any) -> dict[str, Any]:
        errors = sorted(_CV_DATA.iter_errors(value), key=lambda error: list(error.absolute_path))
        if errors:
            raise serializers.ValidationError(
                [f"data{''.join(f'[{part!r}]' for part in error.absolute_path)}: {error.message}" for error in errors[:10]]
            )
        return value

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "work_years" in attrs:
            attrs["years_of_experience"] = attrs.pop("work_years")
        if not attrs:
            raise serializers.ValidationError("Nothing to update.")
        return attrs


class IdsSerializer(serializers.Serializer):
    ids = serializers.ListField(child=serializers.UUIDField(), min_length=1, max_length=1000)


class StatusUpdateSerializer(IdsSerializer):
    screening_status = serializers.ChoiceField(choices=ScreeningStatus.choices)


class UploadSerializer(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True)
    condition_id = serializers.UUIDField(required=False, allow_null=True)


class BatchUploadSerializer(serializers.Serializer):
    files = serializers.ListField(child=serializers.FileField(allow_empty_file=True), min_length=1)
    condition_id = serializers.UUIDField(required=False, allow_null=True)


class SyncVectorsSerializer(serializers.Serializer):
    fix = serializers.BooleanField(default=True)
