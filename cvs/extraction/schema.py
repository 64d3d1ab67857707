"""Pydantic mirror of ``cv-data.schema.json`` (the public ``data`` contract).

Every provider's output (rules or LLM) is validated through :class:`CVData`, so a
malformed LLM answer fails here rather than in a client system. Extra keys are
allowed by the contract, but we drop them: what we send is exactly what we
document. The JSON schema stays the contract (hand-written, with its descriptions);
``tests/extraction/test_schema.py`` holds this model to it: the same properties,
types, enums, patterns and required keys.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

from .levels import EducationLevel

SCHEMA_PATH = Path(__file__).with_name("cv-data.schema.json")

_DATE_PATTERN = r"^\d{4}(-\d{2})?$"


class _Model(BaseModel):
    # Enum fields hold their plain string value: a dump is the JSON the contract documents.
    model_config = ConfigDict(extra="ignore", str_strip_whitespace=True, use_enum_values=True)

    @field_validator("*", mode="before")
    @classmethod
    def _blank_to_none(cls, value: Any) -> Any:
        # LLMs answer "" or "N/A" for unknowns; the contract says null.
        if isinstance(value, str) and value.strip().lower() in {"", "n/a", "null", "none", "unknown"}:
            return None
        return value


class ContactInfo(_Model):
    name: str | None = None
    email: str | None = None
    phone: str | None = None
    phone_e164: str | None = None
    location: str | None = None
    website: str | None = None
    linkedin: str | None = None
    github: str | None = None


class Experience(_Model):
    title: str | None = None
    company: str | None = None
    location: str | None = None
    period: str | None = None
    start_date: str | None = Field(default=None, pattern=_DATE_PATTERN)
    end_date: str | None = Field(default=None, pattern=_DATE_PATTERN)
    is_current: bool = False
    description: str | None = None
    tasks: list[str] = Field(default_factory=list)
    tech_tools: list[str] = Field(default_factory=list)


class Education(_Model):
    institution: str | None = None
    degree: str | None = None
    field_of_study: str | None = None
    level: EducationLevel | None = None
    period: str | None = None
    start_date: str | None = Field(default=None, pattern=_DATE_PATTERN)
    end_date: str | None = Field(default=None, pattern=_DATE_PATTERN)
    graduation_year: int | None = None


class LanguageSkill(_Model):
    language: str
    level: str | None = None


class Certification(_Model):
    name: str
    issuer: str | None = None
    year: int | None = None


class Project(_Model):
    name: str | None = None
    role: str | None = None
    description: str | None = None
    period: str | None = None


class CVData(_Model):
    language: str | None = None
    contact_info: ContactInfo = Field(default_factory=ContactInfo)
    headline: str | None = None
    summary: str | None = None
    years_of_experience: float | None = None
    education_level: EducationLevel | None = None
    experience: list[Experience] = Field(default_factory=list)
    education: list[Education] = Field(default_factory=list)
    skills: list[str] = Field(default_factory=list)
    languages: list[LanguageSkill] = Field(default_factory=list)
    certifications: list[Certification] = Field(default_factory=list)
    projects: list[Project] = Field(default_factory=list)


def load_json_schema() -> dict[str, Any]:
    """The contract as shipped with the package."""
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
