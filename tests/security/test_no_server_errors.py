"""Client input that used to answer 500 answers a 4xx JSON envelope with a stable code (issue #16, Why 6)."""

from __future__ import annotations

import pytest


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users", "/api/v1/talents", "/api/v1/conditions"])
def test_huge_page_number_is_a_client_error(admin_client, path):
    response = admin_client.get(f"{path}?page=99999999999999999999")

    assert 400 <= response.status_code < 500
    assert response.json()["success"] is False


@pytest.mark.django_db
def test_nul_in_query_text_is_a_validation_error(admin_client):
    response = admin_client.get("/api/v1/talents?keyword=%00")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid"


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/api/v1/users/%C2%B9", "/api/v1/schools/%C2%B9", "/api/v1/api-keys/%C2%B2"])
def test_unicode_digit_id_is_not_found(admin_client, path):
    response = admin_client.get(path)

    assert response.status_code == 404
    assert response.json()["success"] is False


@pytest.mark.django_db(transaction=True)
def test_nul_in_analysis_query_is_a_validation_error_on_ninja(hr_client):
    response = hr_client.post("/api/v1/analysis/query", {"question": "Python\u0000 developers"}, format="json")

    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid"
