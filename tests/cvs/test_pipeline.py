"""The pipeline end to end: public API → real Celery worker → candidate → signed webhook."""

from __future__ import annotations

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from standardwebhooks import Webhook

from cvs.models import Candidate, CVJob
from tenants.scoping import scopes_disabled
from tests.conftest import WORKER_TMPDIR, wait_until
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)


def submit(client, endpoint, name, content):
    response = client.post(f"/cv/{endpoint.pk}", {"file": SimpleUploadedFile(name, content)}, format="multipart")
    assert response.status_code == 202, response.content
    return response.json()["request_id"]


def wait_finished(request_ids, timeout=120):
    def finished():
        with scopes_disabled():
            jobs = list(CVJob.objects.filter(pk__in=request_ids))
        return jobs if len(jobs) == len(request_ids) and all(job.is_finished for job in jobs) else None

    return {str(job.pk): job for job in wait_until(finished, timeout=timeout, interval=0.3)}


def webhook_bodies(receiver, endpoint, count, timeout=60):
    wait_until(lambda: len(receiver.requests) >= count, timeout=timeout)
    verifier = Webhook(endpoint.secret)
    bodies = {}
    for request in receiver.requests:
        payload = verifier.verify(request.body, request.headers)
        bodies[payload["request_id"]] = payload
    return bodies


def test_pdf_docx_and_image_complete_with_signed_webhooks(celery_worker, key_client, hook_endpoint, receiver):
    ids = [
        submit(key_client, hook_endpoint, "cv.pdf", files.pdf_bytes()),
        submit(key_client, hook_endpoint, "cv.docx", files.docx_bytes()),
        submit(key_client, hook_endpoint, "cv.png", files.image_bytes()),
    ]
    jobs = wait_finished(ids)
    for job in jobs.values():
        assert job.status == "completed", (job.error_code, job.error_message)
        assert job.data["contact_info"]["email"] == "laura.martin@example.com"
        start, end = job.evidence["/contact_info/email"]["span"]
        assert job.text[start:end].casefold() == "laura.martin@example.com"
        assert 0 < job.evidence["/contact_info/email"]["confidence"] <= 1
        assert job.review_confidence is not None and job.review_confidence <= job.evidence["/contact_info/email"]["confidence"]
        assert set(job.stage_timings) == {"extracting_text", "parsing", "enriching"}
        assert job.processing_ms is not None
    assert jobs[ids[2]].ocr_used
    # Where the e-mail is in each file: a box on page 1 of the PDF and the image, a paragraph of the DOCX.
    for request_id in (ids[0], ids[2]):
        email = jobs[request_id].evidence["/contact_info/email"]
        assert email["page"] == 1 and len(email["bbox"]) == 4 and email["bbox"][0] < email["bbox"][2]
    assert isinstance(jobs[ids[1]].evidence["/contact_info/email"]["paragraph"], int)
    with scopes_disabled():
        assert Candidate.objects.count() == 1  # one person, three CVs
    bodies = webhook_bodies(receiver, hook_endpoint, 3)
    assert set(bodies) == set(ids)
    body = bodies[ids[0]]
    assert body["status"] == "completed" and body["error_code"] is None
    assert body["data"]["contact_info"]["email"] == "laura.martin@example.com"
    assert body["file"]["sha256"] == jobs[ids[0]].file_sha256 and body["file"]["pages"] == 1
    assert body["candidate_id"] and body["endpoint_id"] == str(hook_endpoint.pk)
    status = key_client.get(f"/cv/requests/{ids[0]}").json()
    assert {k: v for k, v in status.items() if k != "stage"} == {k: v for k, v in body.items() if k != "stage"}
    assert "evidence" not in body
    with_evidence = key_client.get(f"/cv/requests/{ids[0]}?include=evidence").json()
    assert with_evidence["evidence"] == jobs[ids[0]].evidence and "/contact_info/email" in with_evidence["evidence"]
    assert with_evidence["evidence"]["/contact_info/email"]["bbox"] == jobs[ids[0]].evidence["/contact_info/email"]["bbox"]
    assert not list(WORKER_TMPDIR.glob("cvjob-*"))


@pytest.mark.parametrize("name,maker,code", [
    ("corrupt.pdf", lambda: b"%PDF-1.7\n" + b"\x00garbage" * 500, "corrupt_file"),
    ("locked.pdf", files.encrypted_pdf_bytes, "encrypted_pdf"),
    ("bomb.docx", files.zip_bomb_docx_bytes, "zip_bomb"),
    ("pixels.png", files.pixel_bomb_png_bytes, "image_too_large"),
    ("long.pdf", lambda: files.pdf_bytes(["page"], pages=500), "too_many_pages"),
])
def test_bad_files_fail_cleanly_with_a_webhook(celery_worker, key_client, hook_endpoint, receiver, name, maker, code):
    request_id = submit(key_client, hook_endpoint, name, maker())
    job = wait_finished([request_id])[request_id]
    assert (job.status, job.error_code) == ("failed", code)
    assert job.error_message
    body = webhook_bodies(receiver, hook_endpoint, 1)[request_id]
    assert body["status"] == "failed" and body["error_code"] == code and body["error"] and body["data"] is None
    assert not list(WORKER_TMPDIR.glob("cvjob-*"))


@pytest.mark.parametrize("name,maker", [
    ("blank.png", lambda: files.image_bytes(blank=True)),
    ("recipe.pdf", lambda: files.pdf_bytes(["Tomato soup", "Boil the tomatoes for twenty minutes, then blend."])),
])
def test_no_text_and_not_a_cv_complete_with_empty_fields(celery_worker, key_client, hook_endpoint, name, maker):
    request_id = submit(key_client, hook_endpoint, name, maker())
    job = wait_finished([request_id])[request_id]
    assert job.status == "completed", job.error_message
    assert job.data["contact_info"]["email"] is None
    assert job.data["experience"] == [] and job.data["education"] == []
    if name == "blank.png":
        assert job.data.get("language") is None


def test_same_file_links_to_the_same_candidate(celery_worker, key_client, hook_endpoint, receiver):
    content = files.pdf_bytes()
    first = submit(key_client, hook_endpoint, "cv.pdf", content)
    wait_finished([first])
    second = submit(key_client, hook_endpoint, "again.pdf", content)
    jobs = wait_finished([first, second])
    assert first != second
    assert jobs[second].duplicate_of_id == jobs[first].pk
    assert jobs[second].candidate_id == jobs[first].candidate_id
    bodies = webhook_bodies(receiver, hook_endpoint, 2)
    assert set(bodies) == {first, second}


def test_metadata_and_external_id_come_back(celery_worker, key_client, hook_endpoint, receiver):
    response = key_client.post(
        f"/cv/{hook_endpoint.pk}",
        {"file": SimpleUploadedFile("cv.pdf", files.pdf_bytes()), "external_id": "ats-9", "metadata": json.dumps({"job": "夏季"})},
        format="multipart",
    )
    request_id = response.json()["request_id"]
    wait_finished([request_id])
    body = webhook_bodies(receiver, hook_endpoint, 1)[request_id]
    assert body["external_id"] == "ats-9" and body["metadata"] == {"job": "夏季"}


def test_every_stage_is_published_to_the_tenant_group(celery_worker, key_client, hook_endpoint, tenant):
    import asyncio

    from channels.layers import get_channel_layer

    from cvs.progress import tenant_group

    layer = get_channel_layer()

    def submit_in_thread() -> str:
        try:
            return submit(key_client, hook_endpoint, "cv.pdf", files.pdf_bytes())
        finally:
            connection.close()  # the thread's own connection would block dropping the test database

    async def listen(request_id_holder):
        channel = await layer.new_channel()
        await layer.group_add(tenant_group(tenant.pk), channel)
        request_id_holder.append(await asyncio.to_thread(submit_in_thread))
        stages = []
        while "completed" not in stages:
            message = await asyncio.wait_for(layer.receive(channel), timeout=60)
            payload = message["payload"]
            if payload["task_id"] == request_id_holder[0]:
                stages.append(payload["stage"])
        return stages

    holder: list[str] = []
    stages = asyncio.run(listen(holder))
    assert stages[:3] == ["extracting_text", "parsing", "enriching"] and stages[-1] == "completed"
