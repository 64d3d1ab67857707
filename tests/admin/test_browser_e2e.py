"""End to end in a real browser: a tenant admin finds a failed job, re-runs it, and watches it complete.

Real pieces only: uvicorn serving the ASGI app (HTTP + the admin progress socket), a Celery
worker, PostgreSQL, Redis, S3 (moto), headless Chromium driven by Selenium.
Set ADMIN_SCREENSHOT_DIR=docs/img to refresh the documentation screenshots (tests/admin/browser.py).
"""

from __future__ import annotations

import threading
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from cvs.models import CVJob
from cvs.pipeline.services import job_submit
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.admin.browser import login, screenshot
from tests.conftest import REPO, wait_until
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory, MembershipFactory

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CV_FILE = "jane_doe.pdf"  # tests/samples/, made by make_samples.py
SAMPLES = REPO / "tests" / "samples"


@pytest.fixture
def receiver_url():
    """A client system's webhook receiver that accepts everything."""

    class Accept(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server's naming
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Accept)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_port}/hooks/cv"
    server.shutdown()


def history(tenant, endpoint) -> None:
    """Two weeks of earlier jobs and candidates, so the dashboard has something to draw."""
    now = timezone.now()
    outcomes = ["completed"] * 6 + ["failed", "completed", "cancelled"]
    codes = ["unreadable_file", "llm_error", "ocr_failed", "unsupported_type"]
    for day in range(14):
        for index in range((day * 7) % 5 + 2):
            status = outcomes[(day + index) % len(outcomes)]
            job = CVJobFactory(tenant=tenant, endpoint=endpoint, status=status, stage=status if status != "cancelled" else "parsing",
                               file_name=f"history-{day}-{index}.pdf", processing_ms=1500 + 400 * ((day * 3 + index) % 9) + 90 * day,
                               error_code=codes[(day + index) % len(codes)] if status == "failed" else "")
            created = now - timedelta(days=day, hours=index)
            with scopes_disabled():
                CVJob.objects.filter(pk=job.pk).update(created_at=created, finished_at=created + timedelta(seconds=3))
    skills = ["Python", "SQL", "Excel", "Java", "Project management", "Django", "AWS", "Communication", "React"]
    levels = ["bachelor", "master", "bachelor", "doctorate", "vocational", "secondary", "master", "bachelor"]
    for index in range(24):
        CandidateFactory(tenant=tenant, education_level=levels[index % len(levels)],
                         skills=[skills[(index + k * 2) % len(skills)] for k in range(1 + index % 4)])


def test_tenant_admin_reruns_a_failed_job_and_sees_it_complete(celery_worker, live_server_url, receiver_url, browser, tenant,
                                                                tmp_path):
    tenant.extraction_provider = "openai"  # no LLM is reachable from the test: extraction fails with llm_error
    tenant.save()
    membership = MembershipFactory(tenant=tenant, role=Role.ADMIN)
    endpoint = EndpointFactory(tenant=tenant, name="careers site", callback_url=receiver_url)
    with tenant_scope(tenant.pk):
        job = job_submit(tenant=tenant, endpoint=endpoint,
                         upload=SimpleUploadedFile(CV_FILE, (SAMPLES / CV_FILE).read_bytes(), content_type="application/pdf"))

    def job_row() -> CVJob:
        with scopes_disabled():
            return CVJob.objects.get(pk=job.pk)

    wait_until(lambda: job_row().status == CVJob.Status.FAILED, timeout=120)
    assert job_row().error_code == "llm_error"
    history(tenant, endpoint)

    login(browser, live_server_url, membership.user.username)
    assert "Site administration" in browser.page_source or "Back office" in browser.page_source

    # Find the failed job: CV jobs → filter "failed".
    browser.get(f"{live_server_url}/admin/cvs/cvjob/")
    browser.find_element(By.XPATH, "//details[@data-filter-title='status']//a[normalize-space()='Failed']").click()
    # Under load the filtered page can arrive after the next look-up: wait for it, or the row ticked
    # below belongs to the page being replaced and the action runs on nothing.
    WebDriverWait(browser, 30).until(lambda driver: "status__exact=failed" in driver.current_url)
    row = browser.find_element(By.XPATH, f"//tr[.//a[text()='{CV_FILE}']]")
    assert "llm_error" in row.text

    # Re-run it with the offline rules provider, from the action bar.
    row.find_element(By.CSS_SELECTOR, "input.action-select").click()
    Select(browser.find_element(By.NAME, "action")).select_by_value("rerun")
    Select(browser.find_element(By.NAME, "provider")).select_by_value("rules")
    browser.find_element(By.CSS_SELECTOR, "button[name=index]").click()
    WebDriverWait(browser, 30).until(lambda driver: driver.find_elements(By.CSS_SELECTOR, "ul.messagelist li"))
    notices = [item.text for item in browser.find_elements(By.CSS_SELECTOR, "ul.messagelist li")]
    assert "Re-queued 1 job(s)." in notices, notices

    # Open the job: its status follows the pipeline live and ends "completed".
    browser.get(f"{live_server_url}/admin/cvs/cvjob/{job.pk}/change/")
    WebDriverWait(browser, 120, poll_frequency=0.5).until(
        lambda driver: driver.find_element(By.CSS_SELECTOR, f".job-ops [data-job='{job.pk}'][data-field='status']").text == "completed"
    )
    WebDriverWait(browser, 30).until(lambda driver: '"contact_info"' in driver.find_element(By.ID, "panel-json").text)
    # The cv.failed and cv.completed webhooks, side by side with the data; reload until both are delivered.
    WebDriverWait(browser, 60, poll_frequency=2).until(
        lambda driver: driver.refresh() or driver.find_element(By.ID, "panel-webhooks").text.count("delivered") == 2
    )
    assert job_row().status == CVJob.Status.COMPLETED and job_row().provider == "rules"
    preview = browser.find_element(By.CSS_SELECTOR, "#panel-file img")
    WebDriverWait(browser, 30).until(lambda driver: preview.get_property("naturalWidth") > 0)
    screenshot(browser, "admin-job-detail.png", tmp_path, height=1300)

    browser.get(f"{live_server_url}/admin/cvs/cvjob/dashboard/")
    assert len(browser.find_elements(By.CSS_SELECTOR, ".dash-chart svg")) == 5
    screenshot(browser, "admin-dashboard.png", tmp_path, height=1150)
