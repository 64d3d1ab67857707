"""HR uploads through the real pipeline (a Celery worker process): the answer carries the screening."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.conftest import wait_until
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)


def test_upload_waits_for_the_pipeline_and_screens(celery_worker, hr_client, viewer_client, settings):
    settings.TALENT_UPLOAD_WAIT_SECONDS = 120
    condition = hr_client.post("/api/v1/conditions", {"name": "Backend", "criteria": {
        "education_level": "bachelor", "skills": ["Python", "Java"], "work_years_min": 3}}, format="json").json()["data"]
    upload = SimpleUploadedFile("laura.pdf", files.pdf_bytes(), content_type="application/pdf")
    response = hr_client.post("/api/v1/talents/upload", {"file": upload, "condition_id": condition["id"]}, format="multipart")
    assert response.status_code == 200, response.content
    data = response.json()["data"]
    assert data["is_qualified"] is False
    assert data["qualification_reason"].startswith("education master ≥ bachelor: pass; Python: present; Java: missing; ")
    assert isinstance(data["processing_time"], int) and data["processing_time"] > 0

    talent = viewer_client.get(f"/api/v1/talents/{data['talent_id']}").json()["data"]
    assert talent["name"] == "Laura Martín" and talent["screening_status"] == "unqualified"
    assert talent["email"] == "lau***@example.com"
    [result] = talent["screening_results"]
    assert result["condition_id"] == condition["id"]
    assert {r["criterion"]: r["passed"] for r in result["reasons"]} == {
        "education_level_min": True, "skills": False, "work_years_min": True}

    task = hr_client.get(f"/api/v1/talents/tasks/{data['task_id']}").json()["data"]
    assert task["status"] == "completed" and task["progress"]["percentage"] == 100.0 and task["is_qualified"] is False

    # Loosening the condition re-screens the stored talent in the background.
    hr_client.patch(f"/api/v1/conditions/{condition['id']}", {"criteria": {"skills": ["Python"]}}, format="json")
    wait_until(lambda: viewer_client.get(f"/api/v1/talents/{data['talent_id']}").json()["data"]["screening_status"] == "qualified",
               timeout=60)
