"""POST/GET /api/v1/talents/{id}/documents: generation, storage paths, expiring links, tenancy and roles."""

from __future__ import annotations

import httpx
import pytest
from django.core.files.storage import default_storage

from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.documents.services import document_generate, document_link
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.documents.corpus import corpus_cv
from tests.documents.helpers import docx_text, pdf_text, squash
from tests.factories import CandidateFactory

pytestmark = pytest.mark.django_db


def make_candidate(tenant, file_name="cv01_000_en_pdf1.pdf"):
    data = corpus_cv(file_name)
    contact = data["contact_info"]
    return CandidateFactory(tenant=tenant, name=contact["name"], email=contact["email"], phone=contact["phone"], data=data)


def url_of(client, candidate, **body):
    return client.post(f"/api/v1/talents/{candidate.pk}/documents", body, format="json")


def test_generates_both_formats_under_unique_paths_with_working_links(hr_client, tenant):
    candidate = make_candidate(tenant)
    first = url_of(hr_client, candidate)
    second = url_of(hr_client, candidate)
    assert first.status_code == 201, first.content
    documents = first.json()["data"] + second.json()["data"]
    assert [d["format"] for d in documents] == ["pdf", "docx", "pdf", "docx"]
    with scopes_disabled():
        paths = [GeneratedDocument.objects.get(pk=d["id"]).file_path for d in documents]
    assert len(set(paths)) == 4
    assert all(path.startswith(f"tenants/{tenant.pk}/candidates/{candidate.pk}/documents/") for path in paths)
    pdf = httpx.get(documents[0]["url"])
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "attachment" in pdf.headers["content-disposition"]
    assert "Brent Nelson" in pdf_text(pdf.content)
    docx = httpx.get(documents[1]["url"])
    assert "Brent Nelson" in docx_text(docx.content)
    # The bucket itself is private: the same object without the signature is refused.
    assert httpx.get(documents[0]["url"].split("?")[0]).status_code == 403


def test_list_gives_fresh_links_and_viewer_may_read(hr_client, viewer_client, tenant):
    candidate = make_candidate(tenant)
    url_of(hr_client, candidate, format="pdf", anonymised=True)  # viewers list only anonymised documents
    listed = viewer_client.get(f"/api/v1/talents/{candidate.pk}/documents")
    assert listed.status_code == 200
    body = listed.json()["data"]
    assert body["total"] == 1 and body["items"][0]["format"] == "pdf" and "X-Amz-Signature" in body["items"][0]["url"]


@pytest.mark.parametrize("role,status", [(Role.VIEWER, 403), (Role.HR, 201), (Role.ADMIN, 201)])
def test_roles(make_client, tenant, role, status):
    candidate = make_candidate(tenant)
    assert url_of(make_client(tenant, role), candidate, format="pdf").status_code == status


def test_anonymous_is_401(client, tenant):
    candidate = make_candidate(tenant)
    assert client.post(f"/api/v1/talents/{candidate.pk}/documents", {}, content_type="application/json").status_code == 401


@pytest.mark.parametrize("body,field", [
    ({"format": "xls"}, "format"),
    ({"anonymised": "perhaps"}, "anonymised"),
    ({"template": "not-a-uuid"}, "template"),
])
def test_validation_errors(hr_client, tenant, body, field):
    response = url_of(hr_client, make_candidate(tenant), **body)
    assert response.status_code == 400
    assert response.json()["error_code"] == "invalid" and field in response.json()["errors"]


def test_other_tenants_talent_template_and_documents_are_404(hr_client, tenant, other_tenant):
    theirs = make_candidate(other_tenant)
    assert url_of(hr_client, theirs).status_code == 404
    assert hr_client.get(f"/api/v1/talents/{theirs.pk}/documents").status_code == 404
    assert hr_client.get("/api/v1/talents/not-a-uuid/documents").status_code == 404
    with tenant_scope(other_tenant.pk):
        their_template = DocumentTemplate.objects.create(tenant=other_tenant, name="Theirs")
    mine = make_candidate(tenant)
    response = url_of(hr_client, mine, template=str(their_template.pk))
    assert response.status_code == 404 and response.json()["error_code"] == "template_not_found"
    with scopes_disabled():
        assert not GeneratedDocument.objects.exists()


def test_deleted_talent_is_404(hr_client, tenant):
    candidate = make_candidate(tenant)
    with scopes_disabled():
        type(candidate).objects.filter(pk=candidate.pk).update(is_deleted=True)
    assert url_of(hr_client, candidate).status_code == 404


def test_template_branding_and_language_apply(hr_client, tenant):
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(
            tenant=tenant, name="Blue", firm_name="Talentia Partners", contact_line="Bordeaux · talentia.example",
            language="fr", sections=["skills", "experience"], section_titles={"skills": {"fr": "Stack technique"}},
        )
    response = url_of(hr_client, make_candidate(tenant), template=str(template.pk), format="pdf")
    assert response.status_code == 201
    assert response.json()["data"][0]["language"] == "fr"
    text = pdf_text(httpx.get(response.json()["data"][0]["url"]).content)
    assert "Talentia Partners" in text and "Bordeaux · talentia.example" in text
    assert text.index("Stack technique") < text.index("Expérience professionnelle")


def test_tenant_default_template_is_used_when_none_is_named(hr_client, tenant):
    with tenant_scope(tenant.pk):
        DocumentTemplate.objects.create(tenant=tenant, name="House", firm_name="House Style Ltd", is_default=True)
    response = url_of(hr_client, make_candidate(tenant), format="pdf")
    assert "House Style Ltd" in pdf_text(httpx.get(response.json()["data"][0]["url"]).content)


def test_without_any_template_the_tenant_name_heads_the_document(hr_client, tenant):
    response = url_of(hr_client, make_candidate(tenant), format="pdf")
    assert tenant.name in pdf_text(httpx.get(response.json()["data"][0]["url"]).content)


def test_anonymised_documents_have_no_name_email_or_phone(hr_client, tenant):
    candidate = make_candidate(tenant, "cv01_003_zh_pdf1.pdf")
    data = dict(candidate.data)
    data["summary"] = "我是王凯，邮箱 gongfang@outlook.com，电话 158-8032-4490。\n出生日期：1990-05-01\n负责产品规划。"
    data["experience"][0]["tasks"] = ["王凯主导了数据平台项目", "Contact: +86 158 8032 4490"]
    with scopes_disabled():
        type(candidate).objects.filter(pk=candidate.pk).update(data=data)
    response = url_of(hr_client, candidate, anonymised=True)
    assert response.status_code == 201
    pdf, docx = (httpx.get(d["url"]).content for d in response.json()["data"])
    for text in (squash(pdf_text(pdf)), squash(docx_text(docx))):
        assert "王凯" not in text and "gongfang" not in text and "linkedin" not in text
        assert "15880324490" not in "".join(ch for ch in text if ch.isdigit())
        assert "1990-05-01" not in text
        assert "负责产品规划" in text and "数字100网络有限公司" in text  # the rest of the CV is intact
    assert all(d["anonymised"] for d in response.json()["data"])


def test_link_lifetime_defaults_to_the_setting(tenant, settings):
    settings.SIGNED_URL_TTL_SECONDS = 600
    with tenant_scope(tenant.pk):
        (document,) = document_generate(candidate=make_candidate(tenant), formats=["pdf"])
        url, expires_at = document_link(document=document)
    assert "X-Amz-Expires=600" in url
    assert default_storage.exists(document.file_path)
