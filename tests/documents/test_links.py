"""Expiring links: presigned S3 URLs on a server that enforces expiry, and signed Django URLs on filesystem storage."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

import httpx
import pytest
from django.core import signing
from django.test import override_settings

from cvs.documents.services import document_generate, document_link
from tenants.scoping import scopes_disabled, tenant_scope
from tests.documents.test_api import make_candidate
from tests.services import free_port, wait_for_port

pytestmark = pytest.mark.django_db
S3RVER = Path(__file__).resolve().parent / "s3rver" / "node_modules" / "s3rver" / "bin" / "s3rver.js"


@pytest.fixture(scope="module")
def s3rver(tmp_path_factory):
    """s3rver checks presigned signatures and their expiry, which moto's server does not."""
    if not S3RVER.exists():
        pytest.fail("s3rver is not installed: run `npm ci --prefix tests/documents/s3rver` (bin/setup does)")
    port = free_port()
    proc = subprocess.Popen(
        ["node", str(S3RVER), "-d", str(tmp_path_factory.mktemp("s3rver")), "-a", "127.0.0.1", "-p", str(port),
         "--silent", "--no-vhost-buckets", "--configure-bucket", "cv-docs"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"http://127.0.0.1:{port}"
    finally:
        proc.terminate()
        proc.wait(10)


def s3_storage(endpoint_url):
    return {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": "cv-docs", "endpoint_url": endpoint_url, "region_name": "us-east-1",
                "access_key": "S3RVER", "secret_key": "S3RVER", "addressing_style": "path",
                "signature_version": "s3v4", "default_acl": None, "querystring_auth": True, "file_overwrite": False,
            },
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


def test_presigned_links_expire(tenant, s3rver):
    with override_settings(STORAGES=s3_storage(s3rver)), tenant_scope(tenant.pk):
        (document,) = document_generate(candidate=make_candidate(tenant), formats=["pdf"])
        url, expires_at = document_link(document=document, ttl=2)
        assert httpx.get(url).content.startswith(b"%PDF")
        time.sleep(3.5)
        expired = httpx.get(url)
    assert expired.status_code == 403 and b"Request has expired" in expired.content


FILESYSTEM = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}


@pytest.fixture
def filesystem_storage(tmp_path):
    with override_settings(STORAGES={**FILESYSTEM, "default": {**FILESYSTEM["default"], "OPTIONS": {"location": str(tmp_path)}}}):
        yield tmp_path


def test_filesystem_links_are_signed_and_expire(client, tenant, filesystem_storage):
    with tenant_scope(tenant.pk):
        pdf, docx = document_generate(candidate=make_candidate(tenant))
        url, _ = document_link(document=pdf, ttl=3)
        docx_url, _ = document_link(document=docx, ttl=60)
    assert (filesystem_storage / pdf.file_path).exists()
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"].startswith("attachment")
    assert client.get(docx_url)["Content-Type"].endswith("wordprocessingml.document")
    token = url.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(url.replace(token, token[:-2] + ("aa" if not token.endswith("aa") else "bb"))).status_code == 403
    time.sleep(4.5)
    expired = client.get(url)
    assert expired.status_code == 410 and expired.json()["error_code"] == "link_expired"


def test_filesystem_token_cannot_be_pointed_at_another_tenant(client, tenant, other_tenant, filesystem_storage):
    with tenant_scope(other_tenant.pk):
        (theirs,) = document_generate(candidate=make_candidate(other_tenant), formats=["pdf"])
    # A validly signed token that names our tenant with their document finds nothing in our scope.
    forged = signing.TimestampSigner(salt="cvs.documents.download").sign_object(
        {"d": str(theirs.pk), "t": str(tenant.pk), "ttl": 60}, compress=True
    )
    assert client.get(f"/api/v1/documents/download/{forged}").status_code == 404
    # Signed with another key (e.g. guessed), it is refused outright.
    with override_settings(SECRET_KEY="not-the-real-key-" + "y" * 40):
        guessed = signing.TimestampSigner(salt="cvs.documents.download").sign_object(
            {"d": str(theirs.pk), "t": str(other_tenant.pk), "ttl": 60}, compress=True
        )
    assert client.get(f"/api/v1/documents/download/{guessed}").status_code == 403


def test_deleted_document_link_is_404(client, tenant, filesystem_storage):
    with tenant_scope(tenant.pk):
        (document,) = document_generate(candidate=make_candidate(tenant), formats=["pdf"])
        url, _ = document_link(document=document)
    with scopes_disabled():
        document.delete()
    assert client.get(url).status_code == 404


def test_api_list_gives_absolute_signed_links_on_filesystem(hr_client, tenant, filesystem_storage):
    candidate = make_candidate(tenant)
    created = hr_client.post(f"/api/v1/talents/{candidate.pk}/documents", {"format": "pdf"}, format="json").json()["data"]
    url = created[0]["url"]
    assert url.startswith("http://testserver/api/v1/documents/download/")
    assert hr_client.get(url.removeprefix("http://testserver")).status_code == 200


def test_webhook_links_are_absolute_from_the_setting_or_the_submitting_address(key_client, client, tenant, filesystem_storage,
                                                                                settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from cvs.documents.services import documents_for_job
    from cvs.models import CVJob
    from tests.cvs.files import pdf_bytes
    from tests.factories import CandidateFactory, EndpointFactory

    settings.DOCUMENTS_PUBLIC_BASE_URL = ""
    endpoint = EndpointFactory(tenant=tenant, options={"documents": {"formats": ["pdf"]}})
    response = key_client.post(f"/cv/{endpoint.pk}", {"file": SimpleUploadedFile("cv.pdf", pdf_bytes())}, format="multipart",
                               HTTP_HOST="cv.example.test", secure=True)
    assert response.status_code == 202, response.content
    with tenant_scope(tenant.pk):
        job = CVJob.objects.get(pk=response.json()["request_id"])
        assert job.request_base_url == "https://cv.example.test"
        # What the pipeline's rendering stage does once the candidate exists.
        job.candidate = CandidateFactory(tenant=tenant)
        derived = documents_for_job(job=job)["pdf_url"]
        settings.DOCUMENTS_PUBLIC_BASE_URL = "https://docs.example.com/"
        configured = documents_for_job(job=job)["pdf_url"]
    assert derived.startswith("https://cv.example.test/api/v1/documents/download/")
    assert configured.startswith("https://docs.example.com/api/v1/documents/download/")
    assert client.get(derived.removeprefix("https://cv.example.test")).status_code == 200
