"""In a real browser: selecting a field on a job's page draws its box over the right region of the page preview.

A PDF made here with known text at known positions goes through the real intake and pipeline (Celery
worker, PostgreSQL, Redis, S3); uvicorn serves the admin; headless Chromium opens the job. Where the
highlight should be is computed from the PDF's own geometry (the text's origin, font size and
width) and the preview image's displayed size, not from the evidence the page is given.
"""

from __future__ import annotations

import pymupdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

from cvs.models import CVJob
from cvs.pipeline.services import job_submit
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.admin.browser import login, screenshot
from tests.conftest import wait_until
from tests.factories import EndpointFactory, MembershipFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

PAGE = (595, 842)  # A4, in points
FONT = pymupdf.Font("helv")
LINES = {  # text: (font size, baseline origin in points)
    "Maria Lopez": (22, (72, 100)),
    "Data Engineer": (13, (72, 124)),
    "maria.lopez@example.com": (11, (72, 150)),
    "+34 612 345 678": (11, (72, 166)),
    "Madrid, Spain": (11, (72, 182)),
    "Experience": (14, (72, 330)),
    "Senior Data Engineer, Acme Analytics | Jan 2020 - Present": (11, (72, 352)),
    "Built data pipelines in Python and PostgreSQL.": (11, (72, 368)),
    "Education": (14, (72, 420)),
    "B.Sc. Computer Science, Universidad de Madrid | 2012 - 2016": (11, (72, 442)),
    "Skills": (14, (72, 500)),
    "Python, SQL, Airflow": (11, (72, 522)),
}
EXPERIENCE_LINE = "Senior Data Engineer, Acme Analytics | Jan 2020 - Present"


def cv_pdf() -> bytes:
    document = pymupdf.open()
    page = document.new_page(width=PAGE[0], height=PAGE[1])
    for text, (size, origin) in LINES.items():
        page.insert_text(origin, text, fontsize=size, fontname="helv")
    return document.tobytes()


def text_box(text: str) -> tuple[float, float, float, float]:
    """Where a line of LINES is on the page, in points: its advance width, and the font's ascender to descender."""
    size, (x, y) = LINES[text]
    return x, y - FONT.ascender * size, x + FONT.text_length(text, fontsize=size), y - FONT.descender * size


def rect(browser, css: str) -> dict[str, float]:
    return browser.execute_script("var r = document.querySelector(arguments[0]).getBoundingClientRect();"
                                  "return {left: r.left, top: r.top, right: r.right, bottom: r.bottom};", css)


def assert_over(browser, text: str, *, whole_line: bool = True) -> None:
    """The highlight lies over ``text`` on the displayed preview: each edge within half the font size.

    ``whole_line=False``: the value is part of the line, so the box only has to sit inside it.
    """
    image, box = rect(browser, ".preview-page[data-page='1'] img"), rect(browser, "#evidence-box")
    scale = (image["right"] - image["left"]) / PAGE[0]
    x0, y0, x1, y1 = text_box(text)
    expected = {"left": image["left"] + x0 * scale, "top": image["top"] + y0 * scale,
                "right": image["left"] + x1 * scale, "bottom": image["top"] + y1 * scale}
    tolerance = LINES[text][0] / 2 * scale
    if whole_line:
        assert all(abs(box[edge] - expected[edge]) <= tolerance for edge in expected), (text, box, expected)
    else:
        assert box["left"] >= expected["left"] - tolerance and box["right"] <= expected["right"] + tolerance, (text, box, expected)
        assert all(abs(box[edge] - expected[edge]) <= tolerance for edge in ("top", "bottom")), (text, box, expected)


def row(browser, pointer: str):
    return browser.find_element(By.CSS_SELECTOR, f"#panel-evidence tr[data-pointer='{pointer}']")


def shown(pointer: str):
    """The highlight is drawn for ``pointer`` (the page's script sets it as it moves the box)."""
    def check(browser) -> bool:
        return browser.execute_script("var b = document.getElementById('evidence-box');"
                                      "return !b.hidden && b.dataset.pointer === arguments[0];", pointer)
    return check


def test_selecting_a_field_draws_its_box_over_the_preview(celery_worker, live_server_url, browser, tenant, tmp_path):
    tenant.extraction_provider = "rules"
    tenant.save()
    membership = MembershipFactory(tenant=tenant, role=Role.HR)
    with tenant_scope(tenant.pk):
        job = job_submit(tenant=tenant, endpoint=EndpointFactory(tenant=tenant),
                         upload=SimpleUploadedFile("maria_lopez.pdf", cv_pdf(), content_type="application/pdf"))

    def job_row() -> CVJob:
        with scopes_disabled():
            return CVJob.objects.get(pk=job.pk)

    wait_until(lambda: job_row().status in (CVJob.Status.COMPLETED, CVJob.Status.FAILED), timeout=120)
    done = job_row()
    assert done.status == CVJob.Status.COMPLETED, done.error_message
    assert done.data["contact_info"]["email"] == "maria.lopez@example.com"
    assert done.data["experience"][0]["company"] == "Acme Analytics"
    assert done.evidence["/contact_info/email"]["page"] == 1

    login(browser, live_server_url, membership.user.username)
    browser.get(f"{live_server_url}/admin/cvs/cvjob/{job.pk}/change/")
    preview = browser.find_element(By.CSS_SELECTOR, ".preview-page[data-page='1'] img")
    WebDriverWait(browser, 30).until(lambda driver: preview.get_property("naturalWidth") > 0)
    assert browser.find_element(By.ID, "evidence-box").get_attribute("hidden") is not None  # nothing selected yet

    # Click the e-mail: its box is drawn over the e-mail line, and the text panel marks it.
    row(browser, "/contact_info/email").find_element(By.TAG_NAME, "code").click()
    WebDriverWait(browser, 10).until(shown("/contact_info/email"))
    assert_over(browser, "maria.lopez@example.com")
    assert browser.find_element(By.ID, "evidence-mark").text == "maria.lopez@example.com"
    email_box = rect(browser, "#evidence-box")

    # Another field moves it: the name, 50 points higher and in a larger font.
    row(browser, "/contact_info/name").find_element(By.TAG_NAME, "code").click()
    WebDriverWait(browser, 10).until(shown("/contact_info/name"))
    assert_over(browser, "Maria Lopez")
    assert rect(browser, "#evidence-box")["bottom"] < email_box["top"]

    # Hovering shows a field without selecting it; leaving the row goes back to the selection.
    ActionChains(browser).move_to_element(row(browser, "/experience/0/company")).perform()
    WebDriverWait(browser, 10).until(shown("/experience/0/company"))
    assert_over(browser, EXPERIENCE_LINE, whole_line=False)
    ActionChains(browser).move_to_element(browser.find_element(By.ID, "panel-json")).perform()
    WebDriverWait(browser, 10).until(shown("/contact_info/name"))

    row(browser, "/contact_info/email").find_element(By.TAG_NAME, "code").click()
    WebDriverWait(browser, 10).until(shown("/contact_info/email"))
    browser.execute_script("document.querySelector('.job-panels').scrollIntoView()")
    screenshot(browser, "admin-evidence-highlight.png", tmp_path, height=1000)
