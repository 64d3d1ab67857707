from __future__ import annotations

from typing import Any

from rest_framework import serializers

from cvs.candidate_data import requested_language
from cvs.extraction.levels import level_label
from screening.models import School, ScreeningCondition, ScreeningResult, TenantSchool


class ConditionInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200)
    description = serializers.CharField(required=False, allow_blank=True, max_length=5000)
    criteria = serializers.JSONField(required=False, help_text="See docs/screening.md; validated by screening.criteria.Criteria.")
    conditions = serializers.JSONField(required=False, write_only=True, help_text="Alias of criteria (reference API name).")
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        alias = attrs.pop("conditions", None)
        if alias is not None:
            if "criteria" in attrs:
                raise serializers.ValidationError("Send criteria or conditions, not both.")
            attrs["criteria"] = alias
        if "criteria" in attrs and not isinstance(attrs["criteria"], dict):
            raise serializers.ValidationError({"criteria": "Must be a JSON object."})
        return attrs


class ConditionSerializer(serializers.ModelSerializer):
    conditions = serializers.JSONField(source="criteria", read_only=True)

    class Meta:
        model = ScreeningCondition
        fields = ("id", "name", "description", "criteria", "conditions", "is_active", "created_at", "updated_at")

    def to_representation(self, instance: ScreeningCondition) -> dict[str, Any]:
        data = super().to_representation(instance)
        language = requested_language(self.context.get("request"))
        if language:  # levels in the caller's words (本科, 硕士) when asked; codes otherwise
            for key in ("criteria", "conditions"):
                data[key] = _levels_named(data[key], language)
        return data


def _levels_named(criteria: Any, language: str) -> Any:
    if not isinstance(criteria, dict):
        return criteria
    named = dict(criteria)
    if isinstance(named.get("education_level"), list):
        named["education_level"] = [level_label(level, language) for level in named["education_level"]]
    if isinstance(named.get("education_level_min"), str):
        named["education_level_min"] = level_label(named["education_level_min"], language)
    groups = named.get("groups")
    if isinstance(groups, dict) and isinstance(groups.get("rules"), list):
        named["groups"] = {**groups, "rules": [_levels_named(rule, language) for rule in groups["rules"]]}
    return named


class RescreenInputSerializer(serializers.Serializer):
    scope = serializers.ChoiceField(choices=["screened", "all"], default="screened")


class ResultSerializer(serializers.ModelSerializer):
    condition_name = serializers.CharField(source="condition.name", read_only=True)
    candidate_name = serializers.CharField(source="candidate.name", read_only=True)

    class Meta:
        model = ScreeningResult
        fields = (
            "id", "candidate_id", "candidate_name", "condition_id", "condition_name",
            "is_qualified", "score", "reasons", "summary", "computed_at",
        )


class SchoolSerializer(serializers.Serializer):
    id = serializers.SerializerMethodField()
    name = serializers.CharField(max_length=200)
    aliases = serializers.ListField(child=serializers.CharField(max_length=200), max_length=50, required=False, default=list)
    tiers = serializers.ListField(
        child=serializers.RegexField(r"^[\w+\-.]{1,30}$", max_length=30), min_length=1, max_length=10,
        help_text="e.g. 985, 211, top-200, or the tenant's own tier names.",
    )
    country = serializers.RegexField(r"^[A-Za-z]{2}$", required=False, allow_blank=True, default="")
    scope = serializers.SerializerMethodField()

    def get_id(self, school: School | TenantSchool) -> int | None:
        return school.pk if isinstance(school, TenantSchool) else None

    def get_scope(self, school: School | TenantSchool) -> str:
        return "tenant" if isinstance(school, TenantSchool) else "shared"

    def validate_country(self, value: str) -> str:
        return value.upper()
