"""An endpoint that asks for documents gets working, expiring links in its webhook (real worker, real pipeline)."""

from __future__ import annotations

import httpx
import pytest

from cvs.documents.models import DocumentTemplate, GeneratedDocument
from tenants.scoping import scopes_disabled, tenant_scope
from tests.cvs.test_pipeline import submit, wait_finished, webhook_bodies
from tests.documents.corpus import corpus_path
from tests.documents.helpers import docx_text, pdf_text, squash
from tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_webhook_carries_document_links(celery_worker, key_client, tenant, receiver):  # noqa: F811
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(tenant=tenant, name="Client copy", firm_name="Talentia Partners")
    options = {"documents": {"formats": ["pdf", "docx"], "template_id": str(template.pk), "anonymised": True}}
    endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url(), options=options)
    cv = corpus_path("cv01_003_zh_pdf1.pdf").read_bytes()
    request_id = submit(key_client, endpoint, "cv.pdf", cv)
    job = wait_finished([request_id])[request_id]
    assert job.status == "completed", (job.error_code, job.error_message)
    # The extracted data has the identity the blind documents must leave out.
    assert job.data["contact_info"]["name"] == "王凯" and job.data["contact_info"]["email"] == "gongfang@outlook.com"
    body = webhook_bodies(receiver, endpoint, 1)[request_id]
    documents = body["documents"]
    assert set(documents) == {"pdf_url", "docx_url", "expires_at"}
    pdf = httpx.get(documents["pdf_url"]).content
    docx = httpx.get(documents["docx_url"]).content
    for text in (squash(pdf_text(pdf)), squash(docx_text(docx))):
        assert "TalentiaPartners" in text
        assert "王凯" not in text and "gongfang@outlook.com" not in text and "15880324490" not in text
    with scopes_disabled():
        assert GeneratedDocument.objects.filter(job_id=request_id, anonymised=True).count() == 2
