import json
import re
import struct
import time
import zlib

import pymupdf
import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.urls import reverse

from cvs.models import Candidate, CVJob
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.factories import CandidateFactory, CVJobFactory, EndpointFactory

pytestmark = pytest.mark.django_db


def pdf_bytes(text: str = "Jane Doe\nPython developer") -> bytes:
    document = pymupdf.open()
    document.new_page().insert_text((72, 72), text)
    return document.tobytes()


def stored_job(tenant, **fields) -> CVJob:
    path = default_storage.save(f"tests/{tenant.pk}/cv.pdf", ContentFile(pdf_bytes()))
    return CVJobFactory(tenant=tenant, file_path=path, file_pages=1, **fields)


# --- jobs: scoping --------------------------------------------------------------------------------


def test_job_list_detail_preview_and_file_are_scoped(tenant_admin, tenant, other_tenant):
    mine = stored_job(tenant, file_name="mine.pdf")
    theirs = stored_job(other_tenant, file_name="theirs.pdf")
    body = tenant_admin.get(reverse("admin:cvs_cvjob_changelist")).content.decode()
    assert "mine.pdf" in body and "theirs.pdf" not in body

    assert tenant_admin.get(reverse("admin:cvs_cvjob_change", args=[mine.pk])).status_code == 200
    assert tenant_admin.get(reverse("admin:cvs_cvjob_change", args=[theirs.pk])).status_code == 302
    assert tenant_admin.get(reverse("admin:cvs_cvjob_preview", args=[theirs.pk])).status_code == 404
    assert tenant_admin.get(reverse("admin:cvs_cvjob_original", args=[theirs.pk])).status_code == 404
    assert tenant_admin.post(reverse("admin:cvs_cvjob_operate", args=[theirs.pk]), {"operation": "cancel"}).status_code == 404


def test_job_preview_renders_the_first_page_as_png(tenant_hr, tenant):
    job = stored_job(tenant)
    response = tenant_hr.get(reverse("admin:cvs_cvjob_preview", args=[job.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert response.content.startswith(b"\x89PNG")
    original = tenant_hr.get(reverse("admin:cvs_cvjob_original", args=[job.pk]))
    assert b"".join(original.streaming_content) == default_storage.open(job.file_path).read()


def blank_png(width: int, height: int) -> bytes:
    """A valid 1-bit PNG of any size, streamed: a few MB even at 30000x30000."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    compressor = zlib.compressobj(1)
    row = b"\x00" + b"\xff" * ((width + 7) // 8)  # filter byte + the row's bits
    data = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", data) + chunk(b"IEND", b"")


@pytest.mark.parametrize("side", [30_000, 12_000])
def test_preview_of_a_huge_image_is_refused_before_decoding(tenant_hr, tenant, side):
    path = default_storage.save(f"tests/{tenant.pk}/huge.png", ContentFile(blank_png(side, side)))
    job = CVJobFactory(tenant=tenant, file_path=path, file_mime="image/png", file_pages=1)

    started = time.monotonic()
    response = tenant_hr.get(reverse("admin:cvs_cvjob_preview", args=[job.pk]))

    assert response.status_code == 404
    assert time.monotonic() - started < 2  # the header decides; today's full decode took 4.6 s and 1.4 GiB


def test_preview_of_an_image_within_the_limit_still_renders(tenant_hr, tenant):
    path = default_storage.save(f"tests/{tenant.pk}/scan.png", ContentFile(blank_png(1200, 1600)))
    job = CVJobFactory(tenant=tenant, file_path=path, file_mime="image/png", file_pages=1)

    response = tenant_hr.get(reverse("admin:cvs_cvjob_preview", args=[job.pk]))

    assert response.status_code == 200 and response.content.startswith(b"\x89PNG")


def test_preview_of_a_poster_sized_page_is_scaled_down(tenant_hr, tenant):
    document = pymupdf.open()
    document.new_page(width=14_400, height=14_400).insert_text((72, 72), "Poster")  # PDF's largest page, 200 in
    path = default_storage.save(f"tests/{tenant.pk}/poster.pdf", ContentFile(document.tobytes()))
    job = CVJobFactory(tenant=tenant, file_path=path, file_pages=1)

    response = tenant_hr.get(reverse("admin:cvs_cvjob_preview", args=[job.pk]))

    assert response.status_code == 200
    width, height = struct.unpack(">II", response.content[16:24])  # the PNG's IHDR
    assert width * height <= 4_000_000


def test_job_detail_shows_text_data_and_deliveries_side_by_side(tenant_admin, tenant):
    job = stored_job(tenant, text="Extracted words here", data={"contact_info": {"name": "Ann Lee"}}, status="completed")
    body = tenant_admin.get(reverse("admin:cvs_cvjob_change", args=[job.pk])).content.decode()
    for marker in ('id="panel-file"', 'id="panel-text"', 'id="panel-json"', 'id="panel-webhooks"', "Extracted words here", "Ann Lee",
                   reverse("admin:cvs_cvjob_preview", args=[job.pk])):
        assert marker in body


def test_cancel_action_ignores_other_tenants_ids(tenant_admin, tenant, other_tenant):
    mine = CVJobFactory(tenant=tenant, status=CVJob.Status.QUEUED)
    theirs = CVJobFactory(tenant=other_tenant, status=CVJob.Status.QUEUED)
    response = tenant_admin.post(reverse("admin:cvs_cvjob_changelist"), {
        "action": "cancel", "_selected_action": [str(mine.pk), str(theirs.pk)],
    })
    assert response.status_code == 302
    with scopes_disabled():
        assert CVJob.objects.get(pk=mine.pk).status == CVJob.Status.CANCELLED
        assert CVJob.objects.get(pk=theirs.pk).status == CVJob.Status.QUEUED


def test_rerun_failed_requeues_only_failed_jobs_with_chosen_provider(tenant_hr, tenant):
    failed = stored_job(tenant, status=CVJob.Status.FAILED, stage="failed", error_code="llm_error")
    completed = stored_job(tenant, status=CVJob.Status.COMPLETED, stage="completed")
    response = tenant_hr.post(reverse("admin:cvs_cvjob_changelist"), {
        "action": "rerun_failed", "_selected_action": [str(failed.pk), str(completed.pk)], "provider": "rules", "from_stage": "",
    })
    assert response.status_code == 302
    with scopes_disabled():
        failed.refresh_from_db()
        completed.refresh_from_db()
    assert failed.status == CVJob.Status.QUEUED and failed.error_code == "" and failed.options["provider"] == "rules"
    assert completed.status == CVJob.Status.COMPLETED


def test_rerun_rejects_unknown_provider(tenant_admin, tenant):
    failed = stored_job(tenant, status=CVJob.Status.FAILED)
    response = tenant_admin.post(reverse("admin:cvs_cvjob_operate", args=[failed.pk]),
                                 {"operation": "rerun", "provider": "evil"}, follow=True)
    assert "invalid_provider" in response.content.decode()
    with scopes_disabled():
        assert CVJob.objects.get(pk=failed.pk).status == CVJob.Status.FAILED


def test_autocomplete_only_offers_own_tenant(tenant_admin, tenant, other_tenant):
    CandidateFactory(tenant=tenant, name="Alice Mine")
    CandidateFactory(tenant=other_tenant, name="Alice Theirs")
    EndpointFactory(tenant=other_tenant, name="their endpoint")
    response = tenant_admin.get(reverse("admin:autocomplete"), {
        "app_label": "cvs", "model_name": "cvjob", "field_name": "candidate", "term": "Alice",
    })
    names = [row["text"] for row in response.json()["results"]]
    assert names == ["Alice Mine"]


def test_viewer_cannot_open_jobs(member_client, tenant):
    viewer = member_client(tenant, Role.VIEWER)
    job = stored_job(tenant)
    assert viewer.get(reverse("admin:cvs_cvjob_changelist")).status_code == 403
    assert viewer.get(reverse("admin:cvs_cvjob_preview", args=[job.pk])).status_code == 404


def test_staff_sees_all_tenants_jobs(staff, tenant, other_tenant):
    CVJobFactory(tenant=tenant, file_name="a.pdf")
    CVJobFactory(tenant=other_tenant, file_name="b.pdf")
    body = staff.get(reverse("admin:cvs_cvjob_changelist")).content.decode()
    assert "a.pdf" in body and "b.pdf" in body and "column-tenant" in body


def test_job_changelist_query_count_does_not_grow_with_rows(tenant_admin, tenant, django_assert_max_num_queries):
    endpoints = [EndpointFactory(tenant=tenant) for _ in range(5)]
    for i in range(60):
        CVJobFactory(tenant=tenant, endpoint=endpoints[i % 5], stage_timings={"extracting_text": 100, "parsing": 50})
    with django_assert_max_num_queries(14):
        response = tenant_admin.get(reverse("admin:cvs_cvjob_changelist"))
    assert response.status_code == 200 and len(re.findall(r'class="job-status status-\w+" data-job=', response.content.decode())) == 50


# --- candidates -----------------------------------------------------------------------------------


def test_candidate_full_text_search_and_filters_are_scoped(tenant_admin, tenant, other_tenant):
    CandidateFactory(tenant=tenant, name="Maria Lopez", headline="Data engineer", skills=["Spark", "Python"], years_of_experience=7)
    CandidateFactory(tenant=tenant, name="Tom Smith", headline="Accountant", skills=["Excel"], years_of_experience=1)
    CandidateFactory(tenant=other_tenant, name="Maria Other", headline="Data engineer", skills=["Spark"])
    url = reverse("admin:cvs_candidate_changelist")
    body = tenant_admin.get(url, {"q": "data engineer"}).content.decode()
    assert "Maria Lopez" in body and "Tom Smith" not in body and "Maria Other" not in body
    assert "Maria Lopez" in tenant_admin.get(url, {"q": "spark"}).content.decode()
    body = tenant_admin.get(url, {"skill": "Spark", "years": "5-10"}).content.decode()
    assert "Maria Lopez" in body and "Tom Smith" not in body
    assert "Tom Smith" in tenant_admin.get(url, {"years": "0-2"}).content.decode()


def test_admin_search_is_the_talents_search(tenant_admin, hr_client, tenant):
    data = {"contact_info": {"name": "Ana Ruiz", "email": "ana@example.com", "phone": "612 345 678"},
            "summary": "Plataforma de pagos en tiempo real para 中国银行", "experience": [], "education": [], "skills": ["Kafka"]}
    CandidateFactory(tenant=tenant, name="Ana Ruiz", email="ana@example.com", phone_e164="+34612345678", skills=["Kafka"],
                     data=data)
    CandidateFactory(tenant=tenant, name="Tom Smith", headline="Accountant", skills=["Excel"])
    url = reverse("admin:cvs_candidate_changelist")
    for term in ["ana@example.com", "+34612345678", "中国银行", "kafka", "tiempo real"]:
        body = tenant_admin.get(url, {"q": term}).content.decode()
        assert "Ana Ruiz" in body and "Tom Smith" not in body, term
        listed = hr_client.get("/api/v1/talents", {"keyword": term}).json()["data"]["items"]
        assert [item["name"] for item in listed] == ["Ana Ruiz"], term


def candidate_post(candidate, **overrides):
    post = {
        "screening_status": candidate.screening_status, "name": candidate.name, "email": candidate.email,
        "phone": candidate.phone, "location": "", "headline": "", "education_level": candidate.education_level,
        "years_of_experience": candidate.years_of_experience, "skills": ", ".join(candidate.skills),
        "data": json.dumps(candidate.data),
    }
    for prefix in ("screening_results", "documents", "jobs"):
        post.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    post.update(overrides)
    return post


def test_candidate_edit_writes_structured_data_and_columns(tenant_hr, tenant):
    candidate = CandidateFactory(tenant=tenant, name="Old Name")
    response = tenant_hr.post(reverse("admin:cvs_candidate_change", args=[candidate.pk]),
                              candidate_post(candidate, name="New Name", skills="Go, Rust"))
    assert response.status_code == 302, response.content.decode()[-3000:]
    with scopes_disabled():
        candidate.refresh_from_db()
    assert candidate.name == "New Name" and candidate.data["contact_info"]["name"] == "New Name"
    assert candidate.skills == ["Go", "Rust"] and candidate.data["skills"] == ["Go", "Rust"]


def test_candidate_edit_is_validated_against_the_cv_data_schema(tenant_hr, tenant):
    candidate = CandidateFactory(tenant=tenant)
    response = tenant_hr.post(reverse("admin:cvs_candidate_change", args=[candidate.pk]),
                              candidate_post(candidate, data='{"contact_info": {"name": "x"}}'))
    assert response.status_code == 200
    assert "cv-data contract" in response.content.decode()
    with scopes_disabled():
        assert Candidate.objects.get(pk=candidate.pk).data == candidate.data


def test_soft_delete_and_restore(tenant_hr, tenant, other_tenant):
    mine = CandidateFactory(tenant=tenant, name="Soft Mine")
    theirs = CandidateFactory(tenant=other_tenant)
    url = reverse("admin:cvs_candidate_changelist")
    tenant_hr.post(url, {"action": "soft_delete", "_selected_action": [str(mine.pk), str(theirs.pk)]})
    with scopes_disabled():
        assert Candidate.objects.get(pk=mine.pk).is_deleted
        assert not Candidate.objects.get(pk=theirs.pk).is_deleted
    assert "Soft Mine" not in tenant_hr.get(url).content.decode()
    assert "Soft Mine" in tenant_hr.get(url, {"state": "deleted"}).content.decode()
    tenant_hr.post(url + "?state=deleted", {"action": "restore", "_selected_action": [str(mine.pk)]})
    with scopes_disabled():
        assert not Candidate.objects.get(pk=mine.pk).is_deleted


def test_erasure_needs_confirmation_and_admin_role(tenant_admin, tenant_hr, tenant):
    candidate = CandidateFactory(tenant=tenant)
    url = reverse("admin:cvs_candidate_changelist")
    tenant_hr.post(url, {"action": "erase", "_selected_action": [str(candidate.pk)], "confirm": "erase"})
    confirm = tenant_admin.post(url, {"action": "erase", "_selected_action": [str(candidate.pk)]})
    assert confirm.status_code == 200 and b"cannot be undone" in confirm.content
    with scopes_disabled():
        assert Candidate.objects.filter(pk=candidate.pk).exists()
    tenant_admin.post(url, {"action": "erase", "_selected_action": [str(candidate.pk)], "confirm": "erase"})
    with scopes_disabled():
        assert not Candidate.objects.filter(pk=candidate.pk).exists()


def test_candidate_changelist_query_count(tenant_admin, tenant, django_assert_max_num_queries):
    for i in range(60):
        CandidateFactory(tenant=tenant, skills=[f"skill{i % 7}", "Python"])
    with django_assert_max_num_queries(16):
        response = tenant_admin.get(reverse("admin:cvs_candidate_changelist"))
    assert response.status_code == 200


def test_dashboard_is_scoped_and_draws_charts(tenant_admin, tenant, other_tenant):
    CVJobFactory(tenant=tenant, status="failed", error_code="mine_error")
    CVJobFactory(tenant=other_tenant, status="failed", error_code="their_error")
    CandidateFactory(tenant=tenant, skills=["Kotlin"])
    CandidateFactory(tenant=other_tenant, skills=["Cobol"])
    body = tenant_admin.get(reverse("admin:dashboard")).content.decode()
    assert body.count("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox") == 5
    assert "mine_error" in body and "Kotlin" in body
    assert "their_error" not in body and "Cobol" not in body


# --- review queue ---------------------------------------------------------------------------------


def reviewed_job(tenant, name: str, email_confidence: float, **fields) -> CVJob:
    """A completed job whose e-mail (a key value) has the given confidence, as the parse stage stores it."""
    data = {"contact_info": {"name": name, "email": "ann@example.com"}, "skills": ["Python"]}
    evidence = {
        "/contact_info/name": {"span": [0, len(name)], "match": "exact", "confidence": 0.99},
        "/contact_info/email": {"span": None, "match": "none", "confidence": email_confidence},
        "/skills/0": {"span": None, "match": "none", "confidence": 0.1},  # low, but not a key value
    }
    return CVJobFactory(tenant=tenant, file_name=f"{name}.pdf", status="completed", data=data, evidence=evidence,
                        review_confidence=min(0.99, email_confidence), **fields)


def test_needs_review_filter_uses_each_tenants_threshold(staff, tenant, other_tenant):
    tenant.review_threshold = 0.6
    tenant.save()
    other_tenant.review_threshold = 0.9
    other_tenant.save()
    reviewed_job(tenant, "doubtful", 0.3)
    reviewed_job(tenant, "sure", 0.8)
    reviewed_job(other_tenant, "strict", 0.8)  # 0.8 is below that tenant's own 0.9
    CVJobFactory(tenant=tenant, file_name="running.pdf", status="running")
    url = reverse("admin:cvs_cvjob_changelist")
    flagged = staff.get(url, {"needs_review": "yes"}).content.decode()
    assert "doubtful.pdf" in flagged and "strict.pdf" in flagged
    assert "⚠ needs review (0.30)" in flagged and "⚠ needs review (0.80)" in flagged  # the list's review column
    assert "sure.pdf" not in flagged and "running.pdf" not in flagged
    rest = staff.get(url, {"needs_review": "no"}).content.decode()
    assert "sure.pdf" in rest and "running.pdf" in rest and "doubtful.pdf" not in rest


def test_dashboard_counts_jobs_needing_review_in_scope(tenant_admin, tenant, other_tenant):
    reviewed_job(tenant, "doubtful", 0.3)
    reviewed_job(tenant, "sure", 0.95)
    reviewed_job(other_tenant, "theirs", 0.1)
    body = tenant_admin.get(reverse("admin:dashboard")).content.decode()
    card = re.search(r'id="card-needs-review"><div class="n"><a href="([^"]+)">(\d+)</a>', body)
    assert card is not None and card.group(2) == "1"
    assert card.group(1) == reverse("admin:cvs_cvjob_changelist") + "?needs_review=yes"


def test_job_page_marks_low_confidence_values(tenant_hr, tenant):
    job = reviewed_job(tenant, "Ann Lee", 0.3)
    body = tenant_hr.get(reverse("admin:cvs_cvjob_change", args=[job.pk])).content.decode()
    assert 'id="panel-evidence"' in body and "needs review" in body
    rows = dict(re.findall(r'<tr class="([^"]*)" data-pointer="([^"]+)"', body)[i][::-1] for i in range(3))
    assert rows["/contact_info/email"] == "key low-confidence"
    assert rows["/contact_info/name"] == "key"
    assert rows["/skills/0"] == " low-confidence"
    assert "0.30 ⚠ low" in body
    sure = reviewed_job(tenant, "Bo Chen", 0.95)
    assert "needs review" not in tenant_hr.get(reverse("admin:cvs_cvjob_change", args=[sure.pk])).content.decode()


def test_document_form_offers_only_own_templates_and_refuses_foreign_ones(tenant_hr, tenant, other_tenant):
    from cvs.documents.models import DocumentTemplate, GeneratedDocument

    candidate = CandidateFactory(tenant=tenant)
    with scopes_disabled():
        mine = DocumentTemplate.objects.create(tenant=tenant, name="my-template")
        theirs = DocumentTemplate.objects.create(tenant=other_tenant, name="their-template")
    page = tenant_hr.get(reverse("admin:cvs_candidate_change", args=[candidate.pk])).content.decode()
    assert "my-template" in page and "their-template" not in page
    url = reverse("admin:cvs_candidate_documents", args=[candidate.pk])
    tenant_hr.post(url, {"template": str(theirs.pk), "formats": ["pdf"]})
    with scopes_disabled():
        assert not GeneratedDocument.objects.filter(candidate=candidate).exists()
    tenant_hr.post(url, {"template": str(mine.pk), "formats": ["pdf"]})
    with scopes_disabled():
        document = GeneratedDocument.objects.get(candidate=candidate)
    assert document.template_id == mine.pk and default_storage.exists(document.file_path)
    download = tenant_hr.get(reverse("admin:cvs_generateddocument_download", args=[document.pk]))
    assert download.status_code == 302


def test_documents_of_other_tenants_cannot_be_generated_or_downloaded(tenant_hr, other_tenant):
    from cvs.documents.services import document_generate

    theirs = CandidateFactory(tenant=other_tenant)
    assert tenant_hr.post(reverse("admin:cvs_candidate_documents", args=[theirs.pk]), {"formats": ["pdf"]}).status_code == 404
    with tenant_scope(other_tenant.pk):
        document = document_generate(candidate=theirs, formats=["pdf"])[0]
    assert tenant_hr.get(reverse("admin:cvs_generateddocument_download", args=[document.pk])).status_code == 404


def test_template_preview_is_a_pdf_and_scoped(tenant_admin, tenant, other_tenant):
    from cvs.documents.models import DocumentTemplate

    with scopes_disabled():
        mine = DocumentTemplate.objects.create(tenant=tenant, name="mine")
        theirs = DocumentTemplate.objects.create(tenant=other_tenant, name="theirs")
    response = tenant_admin.get(reverse("admin:cvs_documenttemplate_preview", args=[mine.pk]))
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert tenant_admin.get(reverse("admin:cvs_documenttemplate_preview", args=[theirs.pk])).status_code == 404


def test_batch_progress_is_counted_in_sql_and_scoped(tenant_hr, tenant, other_tenant, django_assert_max_num_queries):
    from cvs.models import Batch

    with scopes_disabled():
        batches = [Batch.objects.create(tenant=tenant, total=3, status="running") for _ in range(30)]
        theirs = Batch.objects.create(tenant=other_tenant, total=1)
    for batch in batches:
        CVJobFactory(tenant=tenant, batch=batch, status="completed")
        CVJobFactory(tenant=tenant, batch=batch, status="failed")
    with django_assert_max_num_queries(12):
        body = tenant_hr.get(reverse("admin:cvs_batch_changelist")).content.decode()
    assert body.count(">2/3<") == 30 and "(1 failed)" in body
    progress = tenant_hr.get(reverse("admin:cvs_batch_progress", args=[batches[0].pk])).json()
    assert progress == {"batch_id": str(batches[0].pk), "status": "running", "done": 2, "failed": 1, "total": 3}
    assert tenant_hr.get(reverse("admin:cvs_batch_progress", args=[theirs.pk])).status_code == 404


def test_viewer_with_staff_flag_reaches_no_extra_view(member_client, tenant):
    from cvs.documents.models import DocumentTemplate
    from cvs.models import Batch

    viewer = member_client(tenant, Role.VIEWER)
    assert viewer.user.is_staff  # even so: viewers have no back-office access
    with scopes_disabled():
        batch = Batch.objects.create(tenant=tenant, total=1)
        template = DocumentTemplate.objects.create(tenant=tenant, name="t")
    assert viewer.get(reverse("admin:dashboard")).status_code == 403
    assert viewer.get(reverse("admin:cvs_batch_progress", args=[batch.pk])).status_code == 404
    assert viewer.get(reverse("admin:cvs_documenttemplate_preview", args=[template.pk])).status_code == 404
    assert viewer.get(reverse("admin:cvs_cvjob_status", args=[stored_job(tenant).pk])).status_code == 404


def test_index_links_the_dashboard(tenant_hr):
    assert reverse("admin:dashboard") in tenant_hr.get(reverse("admin:index")).content.decode()


def test_replay_action_requeues_the_latest_delivery_of_own_jobs(tenant_admin, tenant):
    from webhooks.models import WebhookDelivery

    endpoint = EndpointFactory(tenant=tenant, callback_url="https://hooks.example.com/cv")
    job = CVJobFactory(tenant=tenant, endpoint=endpoint, status="completed")
    silent = CVJobFactory(tenant=tenant, status="completed")
    with tenant_scope(tenant.pk):
        delivery = WebhookDelivery.objects.create(tenant=tenant, endpoint=endpoint, job=job, event_type="cv.completed",
                                                  payload="{}", status="failed", attempts=8)
    response = tenant_admin.post(reverse("admin:cvs_cvjob_changelist"),
                                 {"action": "replay_webhook", "_selected_action": [str(job.pk), str(silent.pk)]}, follow=True)
    body = response.content.decode()
    assert "Replaying 1 webhook(s)" in body and "1 job(s) have no webhook delivery" in body
    with scopes_disabled():
        delivery.refresh_from_db()
    assert delivery.status != "failed" and delivery.consecutive_failures == 0
