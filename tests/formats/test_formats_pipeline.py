"""DOC, RTF, ODT, HTML and Markdown CVs through the public API, a real worker and the signed webhook."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.cvs.test_pipeline import submit, wait_finished, webhook_bodies
from tests.formats.test_readers import EXPECTED_MIME, OLE_NOT_WORD, SAMPLES

pytestmark = pytest.mark.django_db(transaction=True)


def test_every_new_format_completes_with_name_email_and_jobs(celery_worker, key_client, hook_endpoint, receiver):
    ids = {submit(key_client, hook_endpoint, name, (SAMPLES / name).read_bytes()): name for name in EXPECTED_MIME}
    jobs = wait_finished(list(ids))
    bodies = webhook_bodies(receiver, hook_endpoint, len(ids))
    for request_id, name in ids.items():
        job = jobs[request_id]
        assert job.status == "completed", (name, job.error_code, job.error_message)
        assert job.file_mime == EXPECTED_MIME[name]
        data = bodies[request_id]["data"]
        assert data["contact_info"]["name"] == "Sofía Herrera Gómez", name
        assert data["contact_info"]["email"] == "sofia.herrera@example.org", name
        assert [job["company"] for job in data["experience"]] == ["Nimbus Analytics S.L.", "Banco Meridiano"], name


def test_other_office_files_stay_415_with_a_failed_webhook(celery_worker, key_client, hook_endpoint, receiver):
    response = key_client.post(
        f"/cv/{hook_endpoint.pk}", {"file": SimpleUploadedFile("budget.xls", OLE_NOT_WORD)}, format="multipart"
    )
    assert response.status_code == 415
    assert response.json()["error_code"] == "unsupported_type"
    request_id = response.json()["request_id"]
    body = webhook_bodies(receiver, hook_endpoint, 1)[request_id]
    assert body["status"] == "failed" and body["error_code"] == "unsupported_type" and body["data"] is None


def test_webhook_carries_json_resume_when_the_endpoint_asks(celery_worker, key_client, hook_endpoint, receiver):
    from cvs.extraction.jsonresume import json_resume_errors

    hook_endpoint.options = {"jsonresume": True}
    hook_endpoint.save(update_fields=["options"])
    request_id = submit(key_client, hook_endpoint, "cv.md", (SAMPLES / "cv.md").read_bytes())
    body = webhook_bodies(receiver, hook_endpoint, 1)[request_id]
    resume = body["jsonresume"]
    assert json_resume_errors(resume) == []
    assert resume["basics"]["email"] == "sofia.herrera@example.org"
    assert [work["name"] for work in resume["work"]] == ["Nimbus Analytics S.L.", "Banco Meridiano"]
