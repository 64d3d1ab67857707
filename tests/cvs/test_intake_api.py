"""POST /cv/{endpoint_id} and GET /cv/requests/{id}: validation happens before anything is queued."""

from datetime import timedelta

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from cvs.models import CVJob
from tenants.scoping import scopes_disabled
from tenants.services import api_key_create, api_key_revoke
from tests.cvs import files
from tests.factories import CVJobFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def post_cv(client, endpoint_id, name="cv.pdf", content=None, headers=None, **fields):
    upload = SimpleUploadedFile(name, files.pdf_bytes() if content is None else content)
    return client.post(f"/cv/{endpoint_id}", {"file": upload, **fields}, format="multipart", **(headers or {}))


def only_job():
    with scopes_disabled():
        return CVJob.objects.get()


def test_accepts_pdf_with_202_after_storing_the_file(key_client, endpoint):
    response = post_cv(key_client, endpoint.pk, external_id="ats-42", metadata='{"req": 7}')
    assert response.status_code == 202, response.content
    body = response.json()
    assert body["message"] and body["request_id"]
    job = only_job()
    assert str(job.pk) == body["request_id"]
    assert job.status == "queued" and job.file_mime == "application/pdf"
    assert job.external_id == "ats-42" and job.metadata == {"req": 7}
    assert default_storage.exists(job.file_path)
    assert len(job.file_sha256) == 64


@pytest.mark.parametrize("name,maker,mime", [
    ("cv.docx", files.docx_bytes, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ("cv.png", files.image_bytes, "image/png"),
    ("cv.jpg", lambda: files.image_bytes(fmt="JPEG"), "image/jpeg"),
    ("cv.txt", lambda: "\n".join(files.CV_LINES).encode(), "text/plain"),
    ("no-extension", files.pdf_bytes, "application/pdf"),
])
def test_accepts_every_supported_type(key_client, endpoint, name, maker, mime):
    assert post_cv(key_client, endpoint.pk, name=name, content=maker()).status_code == 202
    assert only_job().file_mime == mime


@pytest.mark.parametrize("header", ["Bearer cvk_nothere_secret", "Bearer garbage", "Basic abc", ""])
def test_bad_key_is_401_json(endpoint, header):
    client = APIClient()
    if header:
        client.credentials(HTTP_AUTHORIZATION=header)
    response = post_cv(client, endpoint.pk)
    assert response.status_code == 401
    assert response.json()["success"] is False and response.json()["error_code"] == "not_authenticated"


def test_revoked_and_expired_keys_are_401(tenant, endpoint):
    revoked = api_key_create(tenant=tenant, name="r")
    with scopes_disabled():
        api_key_revoke(key=revoked.key)
    expired = api_key_create(tenant=tenant, name="e", expires_at=timezone.now() - timedelta(minutes=1))
    for raw, word in ((revoked.raw, "revoked"), (expired.raw, "expired")):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {raw}")
        response = post_cv(client, endpoint.pk)
        assert response.status_code == 401 and word in response.json()["message"]


def test_other_tenants_endpoint_is_404(key_client, other_tenant):
    foreign = EndpointFactory(tenant=other_tenant)
    response = post_cv(key_client, foreign.pk)
    assert response.status_code == 404
    assert response.json()["error_code"] == "not_found"
    with scopes_disabled():
        assert not CVJob.objects.exists()


def test_unknown_malformed_and_inactive_endpoints_are_404(key_client, tenant):
    inactive = EndpointFactory(tenant=tenant, is_active=False)
    for endpoint_id in ("3f0e8a8e-0000-4000-8000-000000000000", "not-a-uuid", inactive.pk):
        assert post_cv(key_client, endpoint_id).status_code == 404


def test_too_large_is_413(key_client, endpoint, settings):
    settings.CV_MAX_UPLOAD_BYTES = 50_000
    response = post_cv(key_client, endpoint.pk, content=files.pdf_bytes(pad_to=60_000))
    assert response.status_code == 413
    assert response.json()["error_code"] == "file_too_large"


@pytest.mark.parametrize("name,content,code,status", [
    ("cv.pdf", files.image_bytes(), "type_mismatch", 415),
    ("cv.docx", files.zip_bytes(), "unsupported_type", 415),
    ("cv.pdf", b"\x7fELF\x02\x01\x01" + b"\x00" * 200, "unsupported_type", 415),
    ("cv.pdf", b"", "empty_file", 400),
])
def test_rejected_files_get_a_clear_error_and_a_failed_job(key_client, endpoint, name, content, code, status):
    response = post_cv(key_client, endpoint.pk, name=name, content=content)
    assert response.status_code == status
    body = response.json()
    assert body["error_code"] == code and body["message"]
    job = only_job()
    assert str(job.pk) == body["request_id"]
    assert (job.status, job.error_code) == ("failed", code)
    assert job.file_path == ""  # rejected bytes are not kept


def test_idempotency_key_returns_same_request(key_client, endpoint):
    first = post_cv(key_client, endpoint.pk, headers={"HTTP_IDEMPOTENCY_KEY": "abc-1"})
    second = post_cv(key_client, endpoint.pk, headers={"HTTP_IDEMPOTENCY_KEY": "abc-1"})
    assert first.json()["request_id"] == second.json()["request_id"]
    with scopes_disabled():
        assert CVJob.objects.count() == 1


def test_bad_metadata_json_is_400(key_client, endpoint):
    response = post_cv(key_client, endpoint.pk, metadata="{not json")
    assert response.status_code == 400
    assert "metadata" in response.json()["message"]


def test_missing_file_is_400(key_client, endpoint):
    response = key_client.post(f"/cv/{endpoint.pk}", {}, format="multipart")
    assert response.status_code == 400
    assert response.json()["message"].startswith("file")


def test_status_shows_stage_and_is_tenant_scoped(key_client, tenant, other_tenant):
    job = CVJobFactory(tenant=tenant, external_id="x1")
    body = key_client.get(f"/cv/requests/{job.pk}").json()
    assert body["request_id"] == str(job.pk)
    assert body["status"] == "processing" and body["stage"] == "queued"
    assert body["file"]["mime"] == "application/pdf" and body["external_id"] == "x1"
    foreign = CVJobFactory(tenant=other_tenant)
    assert key_client.get(f"/cv/requests/{foreign.pk}").status_code == 404
    assert key_client.get("/cv/requests/nope").status_code == 404


def test_quota_is_429(key_client, tenant, endpoint):
    tenant.monthly_cv_quota = 1
    tenant.save()
    assert post_cv(key_client, endpoint.pk).status_code == 202
    response = post_cv(key_client, endpoint.pk)
    assert response.status_code == 429 and response.json()["error_code"] == "quota_exceeded"


def test_retention_deletes_old_files_and_text_only(tenant, other_tenant):
    from django.core.files.base import ContentFile

    from cvs.pipeline.services import jobs_apply_retention

    tenant.retention_days = 30
    tenant.save()
    path = default_storage.save("cvs/retention/original.pdf", ContentFile(b"%PDF-1.4 x"))
    old = CVJobFactory(tenant=tenant, file_path=path, text="raw text", data={"skills": ["Python"]})
    recent = CVJobFactory(tenant=tenant, file_path="cvs/keep.pdf", text="keep")
    untouched = CVJobFactory(tenant=other_tenant, file_path="cvs/other.pdf", text="other")
    with scopes_disabled():
        CVJob.objects.filter(pk__in=[old.pk, untouched.pk]).update(created_at=timezone.now() - timedelta(days=31))
    assert jobs_apply_retention() == {"purged": 1}
    with scopes_disabled():
        old.refresh_from_db()
        recent.refresh_from_db()
        untouched.refresh_from_db()
    assert (old.file_path, old.text, old.data) == ("", "", {"skills": ["Python"]})
    assert not default_storage.exists(path)
    assert recent.text == "keep" and untouched.text == "other"
