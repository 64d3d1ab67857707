"""Dev-corpus truth files mapped to the cv-data contract, for rendering tests and benchmarks."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

CORPUS = Path(__file__).resolve().parents[2].parent / "shared" / "corpus" / "dev"


def corpus_path(file_name: str) -> Path:
    """A file of the optional ../shared dev corpus; the calling test is skipped when it is not there."""
    path = CORPUS / file_name
    if not path.exists():
        pytest.skip(f"needs ../shared/corpus/dev/{file_name}: the shared corpus is not beside the repository")
    return path


def corpus_cv(file_name: str) -> dict[str, Any]:
    """The contract shape of a corpus truth file; its job tools are spread over the jobs, two each."""
    truth = json.loads(corpus_path(f"{file_name}.json").read_text())
    tools = list(truth.get("tools_in_jobs") or [])
    experience = []
    for index, job in enumerate(truth["experience"]):
        experience.append({
            "title": job["title"],
            "company": job["company"],
            "start_date": job["start"],
            "end_date": job["end"],
            "is_current": job["is_current"],
            "tasks": [],
            "tech_tools": tools[index * 2:index * 2 + 2],
        })
    leftover = tools[len(experience) * 2:]
    if experience and leftover:
        experience[0]["tech_tools"] += leftover
    return {
        "language": truth["language"],
        "contact_info": {**truth["contact_info"], "website": None, "github": None},
        "headline": truth["headline"],
        "years_of_experience": truth["years_of_experience"],
        "experience": experience,
        "education": [
            {"institution": e["institution"], "degree": e["degree"], "field_of_study": e["field"], "graduation_year": e["end_year"]}
            for e in truth["education"]
        ],
        "skills": truth["skills"],
        "languages": [{"language": name, "level": None} for name in truth["languages"]],
        "certifications": [{"name": name, "issuer": None, "year": None} for name in truth["certifications"]],
        "projects": [],
    }
