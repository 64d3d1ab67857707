"""Screening API details the reference clients rely on: JSON 404s, 400 validation on both frameworks, sync-chroma names."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/no-such-route", "/nothing/here", "/api/v1/talents/x/y/z"])
def test_unknown_routes_are_json_404_in_the_envelope(hr_client, path):
    response = hr_client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and body["data"] is None and body["error_code"] == "not_found" and body["message"]


def test_ninja_validation_is_400_like_drf(hr_client):
    ninja = hr_client.get("/api/v1/analysis/history", {"page": 0})
    drf = hr_client.get("/api/v1/talents", {"page_size": "many"})
    assert ninja.status_code == 400 and ninja.json()["error_code"] == "invalid"
    assert drf.status_code == 400


def test_sync_chroma_answers_the_reference_field_names_too(hr_client, tenant):
    from tenants.scoping import tenant_scope
    from tests.factories import CandidateFactory

    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant)
    body = hr_client.post("/api/v1/talents/sync-chroma", {"fix": False}, format="json").json()
    data = body["data"]
    assert body["success"] is True
    assert {"mysql_count", "chroma_count", "missing_in_chroma", "extra_in_chroma", "status_mismatch",
            "fixed_count"} <= set(data)
    assert data["mysql_count"] == 1 and data["chroma_count"] == 0 and data["missing_in_chroma"] == [str(candidate.pk)]
    assert data["fixed_count"] == 0 and data["checked"] == 1  # our own names stay


def test_level_names_in_each_language_are_read_back_as_the_same_level():
    from cvs.extraction.levels import EDUCATION_LEVELS, LEVEL_LANGUAGES, education_level, language_asked, level_label

    for language in LEVEL_LANGUAGES:
        for level in EDUCATION_LEVELS:
            assert education_level(level_label(level, language)) == level, (language, level)
    assert level_label("bachelor", "zh") == "本科" and level_label("master", None) == "master"
    assert language_asked(None, "zh-CN,zh;q=0.9,en;q=0.8") == "zh" and language_asked("es", "zh") == "es"
    assert language_asked(None, "de-DE") is None and language_asked(None, None) is None
