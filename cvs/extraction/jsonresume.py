"""cv-data ⇄ JSON Resume (https://jsonresume.org, schema 1.0.0 vendored in data/json-resume/).

JSON Resume is the open format résumé tools import and export. The mapping keeps
every field JSON Resume can hold, so ``from_json_resume(to_json_resume(d))`` gives
``d`` back for those fields (tested); what it cannot hold is listed in
``NOT_REPRESENTABLE`` and in docs/extraction.md. Empty values are omitted: the
schema's fields are strings, arrays or objects, never null.
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft4Validator

SCHEMA_PATH = Path(__file__).parent / "data" / "json-resume" / "schema.json"
SCHEMA_URL = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"
# cv-data fields with no place in JSON Resume (they are not exported).
NOT_REPRESENTABLE = (
    "language", "contact_info.phone_e164", "years_of_experience", "education_level",
    "experience[].period", "experience[].tech_tools", "experience[].is_current (an open endDate says it)",
    "education[].level", "education[].period", "education[].graduation_year (exported as endDate when no end_date)",
    "projects[].period",
)
_PROFILES = (("linkedin", "LinkedIn"), ("github", "GitHub"))
_YEAR = re.compile(r"^(\d{4})")


def _clean(value: Any) -> Any:
    """Drop None, empty strings, empty lists and empty objects, recursively."""
    if isinstance(value, dict):
        cleaned = {key: _clean(item) for key, item in value.items()}
        return {key: item for key, item in cleaned.items() if item not in (None, "", [], {})}
    if isinstance(value, list):
        return [item for item in (_clean(v) for v in value) if item not in (None, "", [], {})]
    return value


def _list(data: dict[str, Any], key: str) -> list[dict[str, Any]]:
    items = data.get(key)
    return [item for item in items if isinstance(item, dict)] if isinstance(items, list) else []


def to_json_resume(data: dict[str, Any], *, last_modified: str | None = None) -> dict[str, Any]:
    """A JSON Resume document for a cv-data document."""
    contact_info = data.get("contact_info")
    contact = contact_info if isinstance(contact_info, dict) else {}
    resume = {
        "$schema": SCHEMA_URL,
        "basics": {
            "name": contact.get("name"),
            "label": data.get("headline"),
            "email": contact.get("email"),
            "phone": contact.get("phone"),
            "url": contact.get("website"),
            "summary": data.get("summary"),
            # Our location is free text ("Sevilla, Spain"); JSON Resume's address holds it unparsed.
            "location": {"address": contact.get("location")},
            "profiles": [
                {"network": network, "url": contact.get(key)} for key, network in _PROFILES if contact.get(key)
            ],
        },
        "work": [
            {
                "name": job.get("company"),
                "position": job.get("title"),
                "location": job.get("location"),
                "startDate": job.get("start_date"),
                "endDate": job.get("end_date"),
                "summary": job.get("description"),
                "highlights": [task for task in job.get("tasks") or [] if isinstance(task, str)],
            }
            for job in _list(data, "experience")
        ],
        "education": [
            {
                "institution": school.get("institution"),
                "area": school.get("field_of_study"),
                "studyType": school.get("degree"),
                "startDate": school.get("start_date"),
                "endDate": school.get("end_date")
                or (str(school["graduation_year"]) if school.get("graduation_year") else None),
            }
            for school in _list(data, "education")
        ],
        "skills": [
            {"name": skill}
            for skill in data.get("skills") or [] if isinstance(skill, str) and skill
        ],
        "languages": [
            {"language": item.get("language"), "fluency": item.get("level")} for item in _list(data, "languages")
        ],
        "certificates": [
            {"name": cert.get("name"), "issuer": cert.get("issuer"),
             "date": str(cert["year"]) if cert.get("year") else None}
            for cert in _list(data, "certifications")
        ],
        "projects": [
            {"name": project.get("name"), "description": project.get("description"),
             "roles": [project["role"]] if project.get("role") else []}
            for project in _list(data, "projects")
        ],
        "meta": {"version": "v1.0.0", "lastModified": last_modified},
    }
    return _clean(resume)


def _year(value: Any) -> int | None:
    found = _YEAR.match(value) if isinstance(value, str) else None
    return int(found.group(1)) if found else None


def from_json_resume(resume: dict[str, Any]) -> dict[str, Any]:
    """A cv-data document from a JSON Resume (the inverse of :func:`to_json_resume`)."""
    basics = resume.get("basics") or {}
    location = basics.get("location") or {}
    place = location.get("address") or ", ".join(
        part for part in (location.get("city"), location.get("region"), location.get("countryCode")) if part
    )
    profiles = {str(p.get("network", "")).lower(): p.get("url") for p in basics.get("profiles") or []}
    return {
        "contact_info": {
            "name": basics.get("name"),
            "email": basics.get("email"),
            "phone": basics.get("phone"),
            "location": place or None,
            "website": basics.get("url"),
            "linkedin": profiles.get("linkedin"),
            "github": profiles.get("github"),
        },
        "headline": basics.get("label"),
        "summary": basics.get("summary"),
        "experience": [
            {
                "title": work.get("position"),
                "company": work.get("name"),
                "location": work.get("location"),
                "start_date": (work.get("startDate") or "")[:7] or None,
                "end_date": (work.get("endDate") or "")[:7] or None,
                "is_current": bool(work.get("startDate")) and not work.get("endDate"),
                "description": work.get("summary"),
                "tasks": list(work.get("highlights") or []),
            }
            for work in resume.get("work") or []
        ],
        "education": [
            {
                "institution": school.get("institution"),
                "degree": school.get("studyType"),
                "field_of_study": school.get("area"),
                "start_date": (school.get("startDate") or "")[:7] or None,
                "end_date": (school.get("endDate") or "")[:7] or None,
                "graduation_year": _year(school.get("endDate")),
            }
            for school in resume.get("education") or []
        ],
        "skills": [skill["name"] for skill in resume.get("skills") or [] if skill.get("name")],
        "languages": [
            {"language": item["language"], "level": item.get("fluency")}
            for item in resume.get("languages") or [] if item.get("language")
        ],
        "certifications": [
            {"name": cert["name"], "issuer": cert.get("issuer"), "year": _year(cert.get("date"))}
            for cert in resume.get("certificates") or [] if cert.get("name")
        ],
        "projects": [
            {"name": project.get("name"), "description": project.get("description"),
             "role": (project.get("roles") or [None])[0]}
            for project in resume.get("projects") or []
        ],
    }


@lru_cache(maxsize=1)
def _validator() -> Draft4Validator:
    schema = json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))
    return Draft4Validator(schema, format_checker=Draft4Validator.FORMAT_CHECKER)


def json_resume_errors(resume: dict[str, Any]) -> list[str]:
    """Schema violations of a JSON Resume document (empty when valid)."""
    return [f"{'/'.join(map(str, error.absolute_path)) or '(root)'}: {error.message}"
            for error in _validator().iter_errors(resume)]
