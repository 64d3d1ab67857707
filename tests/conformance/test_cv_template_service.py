"""The CV template service (cv-template-service.fr): one upload of a PDF, DOCX or image CV returns expiring links
to a branded PDF (the "template" flow) or to a PDF and a DOCX ("template_docx"), rendered from the fields it extracts:
job title, name, years of experience, contact, education, experiences (period, company, tasks, tools), skills."""

from __future__ import annotations

import io
import time
import unicodedata
from datetime import datetime

import docx
import httpx
import pymupdf
import pytest
from django.conf import settings

from tenants.models import Role
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)

CV = files.CV_LINES  # the project's own sample CV, as every format of it is made
PRINTED = ["Laura Martín", "laura.martin@example.com", "Backend Engineer", "Acme Cloud", "Universidad Politécnica de Madrid",
           "Python", "Docker"]


def fold(text: str) -> str:
    """Accents dropped: OCR of an image may read "í" as "i"."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def render(client, name, content, **fields):
    return client.post("/api/v1/documents/render", files={"file": (name, content)}, data=fields)


def pdf_text(body: bytes) -> str:
    with pymupdf.open(stream=body, filetype="pdf") as document:
        return " ".join(page.get_text() for page in document)


def docx_text(body: bytes) -> str:
    return " ".join(paragraph.text for paragraph in docx.Document(io.BytesIO(body)).paragraphs)


def fresh(link: str, expires_at: str) -> None:
    """An absolute link that works now and says when it stops working (within the configured lifetime)."""
    assert link.startswith(("http://", "https://")), link
    remaining = datetime.fromisoformat(expires_at).timestamp() - time.time()
    assert 0 < remaining <= settings.SIGNED_URL_TTL_SECONDS + 5


@pytest.mark.parametrize("name,content", [
    ("cv.pdf", files.pdf_bytes(CV)), ("cv.docx", files.docx_bytes(CV)), ("cv.png", files.image_bytes(CV)),
])
def test_template_docx_flow_returns_a_pdf_and_a_docx_link(celery_worker, http, api_key, name, content):
    http.headers["Authorization"] = f"Bearer {api_key}"
    response = render(http, name, content, format="both")
    assert response.status_code == 200, response.text
    result = response.json()["data"]
    links = result["documents"]
    fresh(links["pdf_url"], links["expires_at"])
    fresh(links["docx_url"], links["expires_at"])
    pdf, word = httpx.get(links["pdf_url"]), httpx.get(links["docx_url"])
    assert pdf.content.startswith(b"%PDF") and word.content.startswith(b"PK")
    for text in (pdf_text(pdf.content), docx_text(word.content)):
        for value in PRINTED:
            assert fold(value) in fold(text), (name, value)
    # The structured fields the documents were made from come back too.
    data = result["data"]
    assert data["contact_info"]["email"] == "laura.martin@example.com" and data["headline"] == "Backend Engineer"
    assert data["experience"][0]["company"].startswith("Acme Cloud") and "Python" in data["skills"]


def test_template_flow_returns_only_the_pdf_link(celery_worker, person):
    response = render(person(Role.HR), "cv.pdf", files.pdf_bytes(CV))
    assert response.status_code == 200, response.text
    links = response.json()["data"]["documents"]
    assert links["docx_url"] is None
    assert "Laura Martín" in pdf_text(httpx.get(links["pdf_url"]).content)


def test_an_unreadable_upload_is_refused(http, api_key):
    http.headers["Authorization"] = f"Bearer {api_key}"
    refused = render(http, "cv.zip", files.zip_bytes())
    assert refused.status_code == 415 and refused.json()["success"] is False
