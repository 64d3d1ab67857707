"""documents_for_job (the pipeline's hook), template previews, logos and the glyph checker itself."""

from __future__ import annotations

import io

import httpx
import pytest
from django.core.files.base import ContentFile
from PIL import Image

from cvs.documents.content import build_content
from cvs.documents.models import DocumentTemplate, GeneratedDocument
from cvs.documents.render_pdf import Branding, render_pdf
from cvs.documents.services import document_generate, document_template_preview, documents_for_job
from tenants.scoping import tenant_scope
from tests.documents.corpus import corpus_cv
from tests.documents.helpers import pdf_glyph_problems, pdf_text
from tests.documents.test_api import make_candidate
from tests.factories import CVJobFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def png(width, height, colour=(200, 60, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(buffer, "PNG")
    return buffer.getvalue()


def test_job_without_document_options_gets_none(tenant):
    candidate = make_candidate(tenant)
    with tenant_scope(tenant.pk):
        job = CVJobFactory(tenant=tenant, candidate=candidate)
        assert documents_for_job(job=job) is None
        assert not GeneratedDocument.objects.exists()


def test_job_with_document_options_gets_links_for_the_formats_asked(tenant):
    candidate = make_candidate(tenant, "cv01_001_es_pdf1.pdf")
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(tenant=tenant, name="Ciega", firm_name="Agencia Sol")
        options = {"documents": {"formats": ["pdf"], "template_id": str(template.pk), "anonymised": True}}
        endpoint = EndpointFactory(tenant=tenant, options=options)
        job = CVJobFactory(tenant=tenant, endpoint=endpoint, candidate=candidate)
        payload = documents_for_job(job=job)
        document = GeneratedDocument.objects.get()
    assert payload["docx_url"] is None and payload["expires_at"]
    assert document.job_id == job.pk and document.anonymised and document.template_id == template.pk
    text = pdf_text(httpx.get(payload["pdf_url"]).content)
    assert "Agencia Sol" in text and candidate.name not in text and candidate.email not in text


def test_a_rerun_job_reuses_its_documents_and_true_means_defaults(tenant):
    candidate = make_candidate(tenant)
    with tenant_scope(tenant.pk):
        job = CVJobFactory(tenant=tenant, endpoint=EndpointFactory(tenant=tenant, options={"documents": True}), candidate=candidate)
        first, second = documents_for_job(job=job), documents_for_job(job=job)
        assert GeneratedDocument.objects.filter(job=job).count() == 2
    assert first["pdf_url"] and first["docx_url"] and second["pdf_url"]
    assert first["pdf_url"].split("?")[0] == second["pdf_url"].split("?")[0]


def test_a_failing_render_does_not_fail_the_job(tenant):
    candidate = make_candidate(tenant)
    with tenant_scope(tenant.pk):
        endpoint = EndpointFactory(tenant=tenant, options={"documents": {"formats": ["xls"]}})
        payload = documents_for_job(job=CVJobFactory(tenant=tenant, endpoint=endpoint, candidate=candidate))
    assert payload == {"pdf_url": None, "docx_url": None, "expires_at": None, "error": "document_generation_failed"}


def test_job_whose_template_was_deleted_falls_back_to_the_default(tenant):
    candidate = make_candidate(tenant)
    with tenant_scope(tenant.pk):
        endpoint = EndpointFactory(tenant=tenant, options={"documents": {"template_id": "00000000-0000-0000-0000-000000000000"}})
        payload = documents_for_job(job=CVJobFactory(tenant=tenant, endpoint=endpoint, candidate=candidate))
    assert payload["pdf_url"] and payload["docx_url"]


def test_template_preview_renders_the_sample_cv_with_the_template(tenant):
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(tenant=tenant, name="Preview", firm_name="Preview & Co", primary_colour="#7A1F3D")
        template.logo.save("logo.png", ContentFile(png(200, 200)))
        pdf = document_template_preview(template=template)
    text = pdf_text(pdf)
    assert pdf.startswith(b"%PDF") and "Preview & Co" in text and "Alex Morgan" in text
    assert not pdf_glyph_problems(pdf)


@pytest.mark.parametrize("size", [(200, 200), (1200, 200)])
def test_logo_or_banner_image_is_drawn(tenant, size):
    candidate = make_candidate(tenant)
    with tenant_scope(tenant.pk):
        template = DocumentTemplate.objects.create(tenant=tenant, name="Logo", is_default=True)
        template.logo.save("logo.png", ContentFile(png(*size)))
        (document,) = document_generate(candidate=candidate, formats=["pdf"])
    import pymupdf

    with pymupdf.open(stream=httpx.get(_link(document)).content, filetype="pdf") as doc:
        assert len(doc[0].get_images()) == 1


def _link(document):
    from cvs.documents.services import document_link

    return document_link(document=document)[0]


def test_photo_is_shown_but_not_in_the_blind_variant(tenant):
    from django.core.files.storage import default_storage

    candidate = make_candidate(tenant)
    path = default_storage.save(f"tenants/{tenant.pk}/photos/p.png", ContentFile(png(120, 160, (90, 90, 90))))
    candidate.photo_paths = [path]
    with tenant_scope(tenant.pk):
        candidate.save(update_fields=["photo_paths"])
        named, blind = (document_generate(candidate=candidate, formats=["pdf"], anonymised=flag)[0] for flag in (False, True))
    import pymupdf

    counts = []
    for document in (named, blind):
        with pymupdf.open(stream=httpx.get(_link(document)).content, filetype="pdf") as doc:
            counts.append(len(doc[0].get_images()))
    assert counts == [1, 0]


def test_glyph_checker_notices_a_character_no_font_has():
    data = corpus_cv("cv01_000_en_pdf1.pdf")
    data["headline"] = "Composer \U0001d11e"  # MUSICAL SYMBOL G CLEF: in neither Liberation nor WenQuanYi
    problems = pdf_glyph_problems(render_pdf(build_content(data), Branding()))
    assert any(".notdef" in problem for problem in problems)
