"""JSON Resume export: schema validity (vendored official schema), round trip, the export route."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cvs.extraction.jsonresume import SCHEMA_PATH, from_json_resume, json_resume_errors, to_json_resume
from tenants.scoping import tenant_scope
from tests.factories import CandidateFactory

DEV_CORPUS = (Path(__file__).resolve().parents[2] / "../shared/corpus/dev").resolve()

FULL = {
    "contact_info": {
        "name": "Ana Ruiz", "email": "ana@example.com", "phone": "+34 600 000 001", "location": "Madrid, Spain",
        "website": "https://ana.dev", "linkedin": "https://linkedin.com/in/ana", "github": "https://github.com/ana",
    },
    "headline": "Backend Engineer",
    "summary": "Ten years of APIs.",
    "experience": [
        {"title": "Lead", "company": "ACME", "location": "Madrid", "start_date": "2020-01", "end_date": None,
         "is_current": True, "description": "Led the API team.", "tasks": ["Hired 5", "Cut latency 40%"]},
        {"title": "Dev", "company": "Initech", "location": None, "start_date": "2015", "end_date": "2019-12",
         "is_current": False, "description": None, "tasks": []},
    ],
    "education": [
        {"institution": "UPM", "degree": "MSc", "field_of_study": "Computer Science", "start_date": "2013",
         "end_date": "2015-06", "graduation_year": 2015},
    ],
    "skills": ["Python", "Django"],
    "languages": [{"language": "Spanish", "level": "Native"}, {"language": "English", "level": "C1"}],
    "certifications": [{"name": "AWS SA", "issuer": "Amazon", "year": 2021}],
    "projects": [{"name": "cv-parser", "role": "Author", "description": "Open-source parser."}],
}


def test_the_vendored_schema_is_the_official_one_with_its_licence():
    assert (SCHEMA_PATH.parent / "LICENSE.md").read_text().startswith("The MIT License")
    schema = json.loads(SCHEMA_PATH.read_text())
    assert set(schema["properties"]) >= {"basics", "work", "education", "skills", "languages", "projects"}


def test_export_validates_and_the_schema_can_fail():
    resume = to_json_resume(FULL, last_modified="2026-12-04T05:00:00+00:00")
    assert json_resume_errors(resume) == []
    assert resume["basics"]["profiles"] == [
        {"network": "LinkedIn", "url": "https://linkedin.com/in/ana"},
        {"network": "GitHub", "url": "https://github.com/ana"},
    ]
    assert json_resume_errors({**resume, "work": [{"startDate": "March 2020"}]})  # pattern enforced
    assert json_resume_errors({**resume, "basics": {"name": None}})
    assert json_resume_errors({**resume, "unknown": 1})  # additionalProperties: false at the root


def test_round_trip_keeps_every_field_json_resume_can_hold():
    back = from_json_resume(to_json_resume(FULL))
    assert back["contact_info"] == FULL["contact_info"]
    for key in ("headline", "summary", "skills", "languages", "certifications", "projects"):
        assert back[key] == FULL[key], key
    assert back["experience"] == FULL["experience"]  # is_current: an open end date says it
    assert back["education"] == FULL["education"]


def test_empty_data_gives_a_valid_minimal_resume():
    resume = to_json_resume({"contact_info": {"name": None}, "experience": [], "skills": []})
    assert json_resume_errors(resume) == [] and "work" not in resume and "basics" not in resume


@pytest.mark.skipif(not DEV_CORPUS.is_dir(), reason="shared dev corpus absent")
def test_every_cv_of_the_dev_corpus_exports_valid_json_resume():
    truths = sorted(DEV_CORPUS.glob("*.json"))
    assert truths
    for path in truths:
        resume = to_json_resume(json.loads(path.read_text(encoding="utf-8")))
        assert json_resume_errors(resume) == [], path.name
        assert resume["basics"]["name"], path.name


@pytest.mark.django_db
def test_export_route_roles_masking_format_and_isolation(hr_client, viewer_client, tenant, other_tenant):
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, name="Ana Ruiz", email="ana@example.com",
                                     data={**FULL, "contact_info": dict(FULL["contact_info"])})
    with tenant_scope(other_tenant):
        stranger = CandidateFactory(tenant=other_tenant)
    response = hr_client.get(f"/api/v1/talents/{candidate.pk}/export?format=jsonresume")
    assert response.status_code == 200, response.content
    assert response["Content-Disposition"] == 'attachment; filename="ana-ruiz.resume.json"'
    resume = response.json()
    assert json_resume_errors(resume) == [] and resume["basics"]["email"] == "ana@example.com"
    assert resume["work"][0]["name"] == "ACME" and resume["meta"]["lastModified"]
    masked = viewer_client.get(f"/api/v1/talents/{candidate.pk}/export").json()
    assert masked["basics"]["email"] != "ana@example.com" and json_resume_errors(masked) == []
    bad = hr_client.get(f"/api/v1/talents/{candidate.pk}/export?format=europass")
    assert bad.status_code == 400 and bad.json()["error_code"] == "unsupported_format"
    assert hr_client.get(f"/api/v1/talents/{stranger.pk}/export").status_code == 404
