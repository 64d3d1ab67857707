"""Evidence boxes on the admin's page previews: the geometry, checked against the rendered PNG, and the pages' markup."""

import io
import re

import pymupdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse
from PIL import Image, ImageOps

from cvs.admin_preview import EXIF_ORIENTATION, PREVIEW_PAGES, PreviewPage, display_box, preview_pages
from tests.factories import CandidateFactory, CVJobFactory

pytestmark = pytest.mark.django_db

BLOCK = (100.0, 150.0, 260.0, 190.0)  # a black block, in the stored page's units


def ink_fractions(png: bytes) -> list[float]:
    """Where the dark pixels of a rendered preview are, as fractions of its size."""
    with Image.open(io.BytesIO(png)) as image:
        gray = image.convert("L")
        left, top, right, bottom = ImageOps.invert(gray).point(lambda v: 255 if v > 128 else 0).getbbox()
        return [left / gray.width, top / gray.height, right / gray.width, bottom / gray.height]


def rendered(client, job) -> bytes:
    response = client.get(reverse("admin:cvs_cvjob_preview", args=[job.pk]))
    assert response.status_code == 200
    return response.content


@pytest.mark.parametrize("rotation", [0, 90, 180, 270])
def test_a_pdf_box_lands_on_its_ink_in_the_preview_whatever_the_page_rotation(tenant_hr, tenant, rotation):
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.draw_rect(pymupdf.Rect(BLOCK), color=(0, 0, 0), fill=(0, 0, 0))
    page.insert_text((300, 600), "A text layer", render_mode=3)  # invisible: only the block is ink
    page.set_rotation(rotation)  # drawn before: BLOCK is in the unrotated page's units, as text boxes are
    path = default_storage.save(f"tests/{tenant.pk}/rotated.pdf", ContentFile(document.tobytes()))
    job = CVJobFactory(tenant=tenant, file_path=path, file_pages=1)

    [measured] = preview_pages(job)
    assert (measured.width, measured.height) == (595, 842)
    box = display_box(list(BLOCK), measured)
    ink = ink_fractions(rendered(tenant_hr, job))
    assert box == pytest.approx(ink, abs=0.01), (rotation, box, ink)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
def test_an_image_box_lands_on_its_ink_whatever_the_exif_orientation(tenant_hr, tenant, orientation):
    image = Image.new("RGB", (800, 600), "white")
    image.paste((0, 0, 0), tuple(int(v) for v in BLOCK))
    exif = image.getexif()
    exif[EXIF_ORIENTATION] = orientation
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes(), quality=95)
    path = default_storage.save(f"tests/{tenant.pk}/photo.jpg", ContentFile(buffer.getvalue()))
    job = CVJobFactory(tenant=tenant, file_path=path, file_mime="image/jpeg", file_pages=1)
    # OCR reads the image as displayed (ImageOps.exif_transpose): its boxes are in those pixels.
    with Image.open(io.BytesIO(buffer.getvalue())) as stored:
        displayed = ImageOps.exif_transpose(stored).convert("L")
        ocr_box = list(ImageOps.invert(displayed).point(lambda v: 255 if v > 128 else 0).getbbox())

    [measured] = preview_pages(job)
    assert (measured.width, measured.height) == displayed.size
    box = display_box(ocr_box, measured)
    ink = ink_fractions(rendered(tenant_hr, job))
    assert box == pytest.approx(ink, abs=0.01), (orientation, box, ink)


def test_a_rotated_scanned_pdf_page_keeps_boxes_in_the_unrotated_page(tenant_hr, tenant):
    """OCR reads a rendering of the page as displayed; extraction maps its boxes back to the unrotated page
    (the space a text layer uses), and the preview turns them as the page is displayed."""
    scan = Image.new("L", (595, 842), 255)
    scan.paste(0, tuple(int(v) for v in BLOCK))
    buffer = io.BytesIO()
    scan.save(buffer, "PNG")
    document = pymupdf.open()
    page = document.new_page(width=595, height=842)
    page.insert_image(page.rect, stream=buffer.getvalue())
    page.set_rotation(90)
    pix = page.get_pixmap(dpi=72, colorspace=pymupdf.csGRAY)  # what OCR sees, one pixel per point
    seen = Image.frombytes("L", (pix.width, pix.height), pix.samples)
    ocr_box = list(ImageOps.invert(seen).point(lambda v: 255 if v > 128 else 0).getbbox())
    path = default_storage.save(f"tests/{tenant.pk}/scan.pdf", ContentFile(document.tobytes()))
    job = CVJobFactory(tenant=tenant, file_path=path, file_pages=1)

    stored = pymupdf.Rect(ocr_box) * page.derotation_matrix  # as cvs.extraction.text stores an OCR box

    [measured] = preview_pages(job)
    assert (measured.width, measured.height, measured.orientation) == (595, 842, 6)
    assert display_box(list(stored), measured) == pytest.approx(ink_fractions(rendered(tenant_hr, job)), abs=0.01)


def test_unusable_boxes_are_not_drawn():
    page = PreviewPage(1, 600, 800)
    assert display_box([0, 0, 300, 400], page) == [0, 0, 0.5, 0.5]
    assert display_box([700, 0, 900, 10], page) is None  # wholly off the page
    assert display_box([10, 10, 10, 50], page) is None  # empty
    assert display_box("10 10 20 20", page) is None and display_box([1, 2, 3], page) is None
    assert display_box([0, 0, 10, 10], PreviewPage(1, 0, 0)) is None  # the page could not be measured


def long_cv_job(tenant, **fields):
    document = pymupdf.open()
    for _ in range(PREVIEW_PAGES + 1):
        document.new_page(width=600, height=800).insert_text((72, 72), "Ann Lee")
    path = default_storage.save(f"tests/{tenant.pk}/cv.pdf", ContentFile(document.tobytes()))
    data = {"contact_info": {"name": "Ann Lee", "email": "ann@example.com", "phone": "+34 600 000 000"},
            "skills": ["Python", "SQL", "Go"]}
    evidence = {
        "/contact_info/name": {"span": [0, 7], "match": "exact", "confidence": 0.95, "page": 1, "bbox": [60, 80, 180, 100]},
        "/contact_info/email": {"span": None, "match": "none", "confidence": 0.3},
        "/contact_info/phone": {"span": [8, 23], "match": "exact", "confidence": 0.9, "page": PREVIEW_PAGES + 1,
                                "bbox": [60, 80, 180, 100]},
        "/skills/0": {"span": [24, 30], "match": "exact", "confidence": 0.9, "page": 2, "bbox": [300, 400, 360, 420]},
        "/skills/1": {"span": [31, 34], "match": "exact", "confidence": 0.9, "paragraph": 4},
        "/skills/2": {"span": [35, 37], "match": "exact", "confidence": 0.9},
    }
    return CVJobFactory(tenant=tenant, file_path=path, file_pages=PREVIEW_PAGES + 1, status="completed", data=data,
                        evidence=evidence, text="Ann Lee\n+34 600 000 000\nPython SQL Go", review_confidence=0.3, **fields)


def rows_of(body: str) -> dict[str, dict[str, str]]:
    rows = {}
    for attributes in re.findall(r"<tr ([^>]*data-pointer[^>]*)>", body):
        fields = dict(re.findall(r'([\w-]+)="([^"]*)"', attributes))
        rows[fields["data-pointer"]] = fields
    return rows


def test_job_page_places_each_field_on_its_previewed_page_or_says_why_not(tenant_hr, tenant):
    job = long_cv_job(tenant)
    body = tenant_hr.get(reverse("admin:cvs_cvjob_change", args=[job.pk])).content.decode()

    pages = re.findall(r'<div class="preview-page" data-page="(\d+)" data-width="([^"]+)" data-height="([^"]+)"', body)
    assert pages == [(str(n), "600", "800") for n in range(1, PREVIEW_PAGES + 1)]
    assert 'id="evidence-box" hidden' in body and "cvs/admin/evidence.js" in body
    rows = rows_of(body)
    assert rows["/contact_info/name"]["data-box"] == "0.1 0.1 0.3 0.125" and rows["/contact_info/name"]["data-page"] == "1"
    assert rows["/skills/0"]["data-box"] == "0.5 0.5 0.6 0.525" and rows["/skills/0"]["data-page"] == "2"
    phone = rows["/contact_info/phone"]
    assert phone["data-box"] == "" and phone["data-where"] == f"p. {PREVIEW_PAGES + 1}, not previewed"
    assert rows["/contact_info/email"]["data-where"] == "not found" and "low-confidence" in rows["/contact_info/email"]["class"]
    assert rows["/skills/1"]["data-where"] == "¶ 5" and rows["/skills/1"]["data-span"] == "31 34"
    assert rows["/skills/2"]["data-where"] == "text only"
    # The text panel holds job.text exactly, so the spans mark the right characters (the parser drops the first newline).
    assert '<pre id="job-text">\nAnn Lee\n+34 600 000 000' in body


def test_candidate_page_shows_its_source_cv_beside_its_fields(tenant_hr, tenant):
    candidate = CandidateFactory(tenant=tenant, name="Ann Lee")
    job = long_cv_job(tenant, candidate=candidate)
    body = tenant_hr.get(reverse("admin:cvs_candidate_change", args=[candidate.pk])).content.decode()

    source = body[body.index('id="source-cv"'):]
    assert reverse("admin:cvs_cvjob_preview", args=[job.pk]) + "?page=1" in source
    assert rows_of(source)["/contact_info/name"]["data-box"] == "0.1 0.1 0.3 0.125"
    # The values to check (the latest CV is unreviewed) are selectable the same way.
    checks = body[body.index('id="low-confidence-values"'):body.index('id="source-cv"')]
    assert list(rows_of(checks)) == ["/contact_info/email"]
