"""Review on the job page: corrections in place, the reviewed mark, and the truth-corpus export."""

import base64
import io
import json
import zipfile
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.urls import reverse

from cvs.extraction.evaluation import evaluate_dir
from cvs.extraction.evidence import build_evidence, key_confidence
from cvs.extraction.positions import line_paragraphs
from cvs.extraction.providers import extract_structured
from cvs.models import Candidate, CVJob, FieldCorrection, ScreeningStatus, Stage
from cvs.pipeline.services import job_run
from screening.models import ScreeningCondition, ScreeningResult
from screening.services import candidate_screen
from tenants.models import Role
from tenants.scoping import scopes_disabled, tenant_scope
from tests.admin.test_cvs_admin import pdf_bytes
from tests.extraction.llm_server import CANNED_CV, FakeLLMServer
from tests.factories import CandidateFactory, CVJobFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_delivery_attempt

pytestmark = pytest.mark.django_db

CV_TEXT = "Ana Ruiz\nana.ruiz@example.com | +34 612 345 678\nSKILLS\nPyhton, SQL\n"
TEXT_MAP = line_paragraphs(CV_TEXT).to_json()


def _queued_embeddings() -> set[str]:
    """Candidate ids of the embedding tasks waiting in this test session's Redis queue."""
    broker = redis.Redis.from_url(settings.CELERY_BROKER_URL)
    ids = set()
    for raw in broker.lrange(f"{settings.REDIS_KEY_PREFIX}embeddings", 0, -1):
        _args, kwargs, _embed = json.loads(base64.b64decode(json.loads(raw)["body"]))
        ids.add(kwargs.get("candidate_id"))
    return ids


def parsed_job(tenant, **fields) -> CVJob:
    """A completed job as the pipeline leaves it, its candidate holding the same data."""
    data = extract_structured(CV_TEXT, provider="rules").data
    data["contact_info"]["email"] = "ana.ruiz@exarnple.com"  # an OCR-style misread the reviewer fixes
    evidence = build_evidence(data, CV_TEXT, text_map=TEXT_MAP)
    with tenant_scope(tenant):
        candidate = CandidateFactory(tenant=tenant, name="Ana Ruiz", email="ana.ruiz@exarnple.com", skills=data["skills"], data=data)
    path = default_storage.save(f"tests/{tenant.pk}/cv.pdf", ContentFile(pdf_bytes(CV_TEXT)))
    stored = {"text": CV_TEXT, "text_map": TEXT_MAP, "evidence": evidence, "review_confidence": key_confidence(data, evidence), **fields}
    return CVJobFactory(tenant=tenant, file_path=path, file_pages=1, status="completed", data=data, candidate=candidate, **stored)


def test_staff_correct_values_in_place_then_the_job_leaves_the_queue(tenant_hr, tenant, key_client,
                                                                    django_capture_on_commit_callbacks):
    job = parsed_job(tenant)
    with tenant_scope(tenant):
        condition = ScreeningCondition.objects.create(tenant=tenant, name="Java", criteria={"skills": ["Java"]})
        assert not candidate_screen(candidate=job.candidate, condition=condition).is_qualified
    assert job.review_confidence < tenant.review_threshold  # the misread e-mail is not in the text
    skill = next(p for p in job.evidence if p.startswith("/skills/") and job.data["skills"][int(p.split("/")[2])] == "Pyhton")
    flagged = tenant_hr.get(reverse("admin:cvs_cvjob_changelist"), {"needs_review": "yes"}).content.decode()
    assert str(job.pk)[:8] in flagged

    with django_capture_on_commit_callbacks(execute=True):
        response = tenant_hr.post(reverse("admin:cvs_cvjob_correct", args=[job.pk]), {
            "value:/contact_info/email": "ana.ruiz@example.com",
            "value:/contact_info/name": "Ana Ruiz",  # unchanged: not a correction
            f"value:{skill}": "Java",
            "reviewed": "on",
        })
    assert response.status_code == 302
    with tenant_scope(tenant):
        job = CVJob.objects.get(pk=job.pk)
        corrections = {c.pointer: (c.old_value, c.new_value, c.user_id) for c in FieldCorrection.objects.filter(job=job)}
        candidate = Candidate.objects.get(pk=job.candidate_id)
        result = ScreeningResult.objects.get(candidate=candidate, condition=condition)
    assert corrections == {
        "/contact_info/email": ("ana.ruiz@exarnple.com", "ana.ruiz@example.com", tenant_hr.user.pk),
        skill: ("Pyhton", "Java", tenant_hr.user.pk),
    }
    assert job.data["contact_info"]["email"] == "ana.ruiz@example.com"
    assert job.evidence["/contact_info/email"]["confidence"] == 1.0 and job.evidence["/contact_info/email"]["match"] == "exact"
    assert job.evidence["/contact_info/email"]["paragraph"] == 1  # the corrected value keeps its place in the file
    assert job.reviewed_at is not None and job.reviewed_by_id == tenant_hr.user.pk
    # The candidate follows: searchable columns, and screening recomputed (Java now present).
    assert candidate.email == "ana.ruiz@example.com" and "Java" in candidate.skills
    assert result.is_qualified and candidate.screening_status == ScreeningStatus.QUALIFIED
    # ... and its re-embedding is queued on the real broker (the embeddings worker's queue).
    assert str(candidate.pk) in _queued_embeddings()
    flagged = tenant_hr.get(reverse("admin:cvs_cvjob_changelist"), {"needs_review": "yes"}).content.decode()
    assert str(job.pk)[:8] not in flagged
    page = tenant_hr.get(reverse("admin:cvs_cvjob_change", args=[job.pk])).content.decode()
    assert "reviewed " in page and "ana.ruiz@exarnple.com → ana.ruiz@example.com" in page
    # The client system reads the corrected data.
    body = key_client.get(f"/cv/requests/{job.pk}?include=evidence").json()
    assert body["data"]["contact_info"]["email"] == "ana.ruiz@example.com"
    assert body["evidence"]["/contact_info/email"]["confidence"] == 1.0


def test_a_correction_is_sent_to_the_client_system_as_cv_updated(tenant_hr, tenant, hook_endpoint, receiver):
    job = parsed_job(tenant, endpoint=hook_endpoint)
    url = reverse("admin:cvs_cvjob_correct", args=[job.pk])
    tenant_hr.post(url, {"value:/contact_info/name": "Ana Ruiz", "reviewed": "on"})  # nothing changed: no event
    tenant_hr.post(url, {"value:/contact_info/email": "ana.ruiz@example.com"})
    with tenant_scope(tenant):
        deliveries = list(WebhookDelivery.objects.filter(job=job))
        assert [d.event_type for d in deliveries] == ["cv.updated"]
        webhook_delivery_attempt(delivery_id=deliveries[0].pk)
    [received] = receiver.requests
    body = json.loads(received.body)
    assert received.headers["x-webhook-event"] == "cv.updated" and received.headers["webhook-signature"].startswith("v1,")
    assert body["request_id"] == str(job.pk) and body["status"] == "completed"
    assert body["data"]["contact_info"]["email"] == "ana.ruiz@example.com"
    assert body["corrections"] == [{"pointer": "/contact_info/email", "old": "ana.ruiz@exarnple.com",
                                    "new": "ana.ruiz@example.com"}]


def test_corrections_are_checked_and_need_an_operator(member_client, tenant, other_tenant):
    job = parsed_job(tenant)
    hr = member_client(tenant, Role.HR)
    url = reverse("admin:cvs_cvjob_correct", args=[job.pk])
    for values, error in [({"value:/nowhere": "x"}, "unknown_field"), ({"value:/skills/0": ""}, "invalid_cv_data")]:
        page = hr.post(url, values, follow=True).content.decode()
        assert error in page
    viewer = member_client(tenant, Role.VIEWER)
    assert viewer.post(url, {"value:/contact_info/name": "Someone"}).status_code == 404  # viewers do not see jobs
    assert member_client(other_tenant, Role.ADMIN).post(url, {"value:/contact_info/name": "X"}).status_code == 404
    with scopes_disabled():
        assert not FieldCorrection.objects.exists()
        assert CVJob.objects.get(pk=job.pk).data["contact_info"]["name"] == "Ana Ruiz"


def test_export_action_zips_reviewed_jobs_with_their_truth(tenant_admin, tenant):
    job = parsed_job(tenant)
    unreviewed = parsed_job(tenant)
    tenant_admin.post(reverse("admin:cvs_cvjob_correct", args=[job.pk]),
                      {"value:/contact_info/email": "ana.ruiz@example.com", "reviewed": "on"})
    response = tenant_admin.post(reverse("admin:cvs_cvjob_changelist"), {
        "action": "export_truth_corpus", "_selected_action": [str(job.pk), str(unreviewed.pk)],
    })
    assert response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(response.content))
    name = f"{str(job.pk)[:8]}_cv.pdf"
    assert sorted(archive.namelist()) == [name, f"{name}.json"]
    truth = json.loads(archive.read(f"{name}.json"))
    assert truth["file"] == name and truth["contact_info"]["email"] == "ana.ruiz@example.com"
    assert archive.read(name).startswith(b"%PDF")
    nothing = tenant_admin.post(reverse("admin:cvs_cvjob_changelist"), {
        "action": "export_truth_corpus", "_selected_action": [str(unreviewed.pk)],
    }, follow=True)
    assert "nothing to export" in nothing.content.decode()


def test_export_command_writes_a_corpus_the_evaluation_scores(tenant, other_tenant, tmp_path: Path, capsys):
    job = parsed_job(tenant)
    theirs = parsed_job(other_tenant)
    with scopes_disabled():
        CVJob.objects.filter(pk__in=[job.pk, theirs.pk]).update(reviewed_at="2026-12-01T10:00:00Z")
    call_command("export_review_corpus", str(tmp_path / "all"))
    assert "Wrote 2 reviewed CV(s)" in capsys.readouterr().out
    call_command("export_review_corpus", str(tmp_path / "mine"), "--tenant", tenant.slug)
    assert len(list((tmp_path / "mine").glob("*.json"))) == 1
    # The exported PDF says "Ana Ruiz": the parser gets the reviewed name right on it.
    report = evaluate_dir(tmp_path / "mine", jobs=1)
    assert report["documents"] == 1 and report["errors"] == {}
    assert report["fields"]["name"]["f1"] == 1.0


def test_candidate_page_marks_low_values_of_its_latest_unreviewed_cv(tenant_hr, tenant):
    job = parsed_job(tenant)
    url = reverse("admin:cvs_candidate_change", args=[job.candidate_id])
    page = tenant_hr.get(url).content.decode()
    assert 'id="low-confidence-values"' in page
    assert 'class="low-confidence key" data-pointer="/contact_info/email"' in page
    assert "ana.ruiz@exarnple.com" in page and "⚠ needs review" in page
    assert reverse("admin:cvs_cvjob_change", args=[job.pk]) in page
    tenant_hr.post(reverse("admin:cvs_cvjob_correct", args=[job.pk]), {"value:/contact_info/email": "ana.ruiz@example.com",
                                                                      "reviewed": "on"})
    page = tenant_hr.get(url).content.decode()
    assert 'id="low-confidence-values"' not in page and "⚠ needs review" not in page and ">reviewed<" in page


def test_refresh_evidence_recomputes_unreviewed_jobs_only(tenant, other_tenant, capsys):
    old = {"/contact_info/name": {"span": [0, 8], "match": "exact"}}  # stored before confidence existed
    stale = parsed_job(tenant, evidence=old, review_confidence=None)
    reviewed = parsed_job(tenant, evidence=old, review_confidence=None, reviewed_at="2026-12-01T10:00:00Z")
    erased = parsed_job(tenant, evidence=old, review_confidence=None, text="")
    theirs = parsed_job(other_tenant, evidence=old, review_confidence=None)
    call_command("refresh_evidence", "--tenant", tenant.slug)
    assert "Refreshed the evidence of 1 job(s)" in capsys.readouterr().out
    with scopes_disabled():
        jobs = {job.pk: job for job in CVJob.objects.all()}
    assert jobs[stale.pk].evidence["/contact_info/name"]["confidence"] > 0.9
    # The misread e-mail is not in the text: the job joins the review queue.
    assert jobs[stale.pk].review_confidence == jobs[stale.pk].evidence["/contact_info/email"]["confidence"] < 0.6
    for untouched in (reviewed, erased, theirs):
        assert jobs[untouched.pk].evidence == old and jobs[untouched.pk].review_confidence is None


@pytest.mark.parametrize("provider", ["openai", "hybrid"])
def test_llm_values_grounding_dropped_are_recorded_for_the_api_and_the_admin(provider, settings, tenant, tenant_hr,
                                                                           key_client):
    # The LLM (a real HTTP server on loopback) invents an e-mail and a company the CV does not hold.
    def invented(_text: str) -> dict:
        return {**CANNED_CV, "contact_info": {**CANNED_CV["contact_info"], "name": "Ana Ruiz", "email": "ana@invented.example",
                                              "phone": "+34 612 345 678", "location": None, "linkedin": None},
                "experience": [{"title": "Analyst", "company": "Globex Corporation"}], "education": []}

    with FakeLLMServer(responder=invented) as server:
        settings.LLM_API, settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = "openai", server.openai_base_url, "k", "m"
        job = CVJobFactory(tenant=tenant, status="running", stage=Stage.PARSING, text=CV_TEXT, options={"provider": provider})
        with scopes_disabled():  # as the worker tasks run it: parsing on the llm queue, the rest on default
            job_run(job_id=job.pk, worker_queue="llm")
            job_run(job_id=job.pk, worker_queue="default")
    with tenant_scope(tenant):
        job = CVJob.objects.get(pk=job.pk)
    assert job.status == "completed" and job.data["contact_info"]["email"] in (None, "ana.ruiz@example.com")
    body = key_client.get(f"/cv/requests/{job.pk}?include=evidence").json()
    assert body["evidence"]["/contact_info/email"]["dropped"] == "ana@invented.example"
    assert body["evidence"]["/contact_info/email"]["reason"] == "not_in_document"
    company = next(entry for entry in body["evidence"].values() if entry.get("dropped") == "Globex Corporation")
    assert company["span"] is None and company["confidence"] == 0.0
    assert "evidence" not in key_client.get(f"/cv/requests/{job.pk}").json()  # lean by default
    if provider == "openai":
        assert job.review_confidence == 0.0  # the e-mail the LLM saw is not in data: a reviewer looks
    page = tenant_hr.get(reverse("admin:cvs_cvjob_change", args=[job.pk])).content.decode()
    assert "LLM value dropped (not_in_document): <s>ana@invented.example</s>" in page
    assert "<s>Globex Corporation</s>" in page
