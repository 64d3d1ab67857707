"""POST /api/v1/documents/render: one call from a CV file to branded documents (real worker, real pipeline, S3 links)."""

from __future__ import annotations

import httpx
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from config.celery import app
from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.models import CVJob
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.conftest import wait_until
from tests.cvs import files
from tests.cvs.test_pipeline import submit, wait_finished, webhook_bodies
from tests.documents.helpers import docx_text, pdf_text
from tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db(transaction=True)

EMAIL = "laura.martin@example.com"


def render(client, content=None, name="cv.pdf", **fields):
    body = {"file": SimpleUploadedFile(name, content if content is not None else files.pdf_bytes()), **fields}
    return client.post("/api/v1/documents/render", body, format="multipart")


def test_the_test_worker_consumes_the_documents_queue(celery_worker):
    def consumed_queues() -> set[str]:
        # A busy worker on a loaded machine can miss one short inspect window: ask again.
        replies = app.control.inspect(timeout=5).active_queues() or {}
        return {queue["name"] for queues in replies.values() for queue in queues}

    assert "documents" in wait_until(consumed_queues, timeout=60, interval=1)


def test_endpoint_webhook_waits_for_the_documents_rendered_on_their_queue(celery_worker, key_client, tenant, receiver):
    endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url(), options={"documents": {"formats": ["pdf"]}})
    request_id = submit(key_client, endpoint, "cv.pdf", files.pdf_bytes())
    job = wait_finished([request_id])[request_id]
    assert job.status == "completed" and "rendering" in job.stage_timings
    documents = webhook_bodies(receiver, endpoint, 1)[request_id]["documents"]
    assert documents["docx_url"] is None and "Laura Martín" in pdf_text(httpx.get(documents["pdf_url"]).content)


def test_api_key_gets_data_and_both_documents_in_one_call(celery_worker, key_client, tenant):
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(tenant=tenant, name="Client copy", firm_name="Talentia Partners")
    response = render(key_client, format="both", template=str(template.pk))
    assert response.status_code == 200, response.content
    body = response.json()["data"]
    assert body["status"] == "completed" and body["data"]["contact_info"]["email"] == EMAIL
    documents = body["documents"]
    assert set(documents) == {"pdf_url", "docx_url", "expires_at"} and documents["expires_at"]
    pdf, docx = httpx.get(documents["pdf_url"]), httpx.get(documents["docx_url"])
    assert pdf.status_code == 200 and docx.status_code == 200
    for text in (pdf_text(pdf.content), docx_text(docx.content)):
        assert "Talentia Partners" in text and "Laura Martín" in text and EMAIL in text
    with scopes_disabled():
        job = CVJob.objects.get(pk=body["request_id"])
        assert job.endpoint_id is None and job.source == CVJob.Source.API
        # Rendering ran as its own stage, handed to the documents queue after enriching.
        assert set(job.stage_timings) == {"extracting_text", "parsing", "enriching", "rendering"}
        assert {d.format for d in GeneratedDocument.objects.filter(job=job, template=template)} == {"pdf", "docx"}


def test_jwt_hr_gets_an_anonymised_pdf_by_default_format(celery_worker, hr_client):
    response = render(hr_client, anonymised="true")
    assert response.status_code == 200, response.content
    documents = response.json()["data"]["documents"]
    assert documents["docx_url"] is None and documents["pdf_url"].startswith("http")
    text = pdf_text(httpx.get(documents["pdf_url"]).content)
    assert "Laura" not in text and EMAIL not in text and "Acme Cloud" in text
    with scopes_disabled():
        assert CVJob.objects.get(pk=response.json()["data"]["request_id"]).source == CVJob.Source.UPLOAD


def test_slow_render_answers_202_with_a_status_url_that_later_gives_the_links(celery_worker, key_client, settings):
    settings.DOCUMENTS_RENDER_WAIT_SECONDS = 0
    response = render(key_client, format="docx")
    assert response.status_code == 202, response.content
    body = response.json()["data"]
    assert body["status"] == "processing" and body["status_url"].startswith("http://testserver/api/v1/documents/render/")
    assert response["Location"] == body["status_url"]
    path = body["status_url"].removeprefix("http://testserver")
    done = wait_until(lambda: (r := key_client.get(path)).status_code == 200 and r, timeout=90, interval=0.5)
    result = done.json()["data"]
    assert result["request_id"] == body["request_id"] and result["documents"]["pdf_url"] is None
    assert httpx.get(result["documents"]["docx_url"]).status_code == 200


def test_a_file_that_fails_answers_the_job_error(celery_worker, key_client):
    response = render(key_client, files.encrypted_pdf_bytes(), name="locked.pdf")
    assert response.status_code == 422, response.content
    assert response.json()["error_code"] == "encrypted_pdf" and response.json()["request_id"]


def test_unsupported_file_missing_template_and_bad_format_are_refused_before_any_work(key_client, tenant):
    assert render(key_client, b"\x00\x01 binary junk", name="cv.bin").status_code == 415
    missing = render(key_client, template="00000000-0000-0000-0000-000000000000")
    assert missing.status_code == 404 and missing.json()["error_code"] == "template_not_found"
    assert render(key_client, format="odt").status_code == 400
    with scopes_disabled():
        assert not CVJob.objects.filter(status=CVJob.Status.QUEUED).exists()


@pytest.mark.parametrize("role,status", [(Role.VIEWER, 403), (Role.HR, 400), (Role.ADMIN, 400)])
def test_roles(make_client, tenant, role, status):
    # An empty body is enough: the role bar comes before validation (400 means it was passed).
    assert make_client(tenant, role).post("/api/v1/documents/render", {}, format="multipart").status_code == status


def test_status_url_needs_credentials_and_keeps_tenants_apart(make_client, tenant, other_tenant, key_client):
    from rest_framework.test import APIClient

    with tenant_scope(tenant.pk):
        job = CVJob.objects.create(tenant=tenant, file_name="cv.pdf", file_sha256="0" * 64, file_mime="application/pdf",
                                   options={"documents": {"formats": ["pdf"]}})
        plain = CVJob.objects.create(tenant=tenant, file_name="cv.pdf", file_sha256="0" * 64, file_mime="application/pdf")
    path = f"/api/v1/documents/render/{job.pk}"
    assert APIClient().get(path).status_code == 401
    assert APIClient().post("/api/v1/documents/render", {}, format="multipart").status_code == 401
    assert key_client.get(path).status_code == 202
    assert make_client(tenant, Role.HR).get(path).status_code == 202
    assert make_client(tenant, Role.VIEWER).get(path).status_code == 403
    assert make_client(other_tenant, Role.ADMIN).get(path).status_code == 404
    assert key_client.get(f"/api/v1/documents/render/{plain.pk}").status_code == 404  # not a render request
