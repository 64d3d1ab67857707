"""Uploads and tasks without a worker: validation, ZIP defences, task status, cancellation, progress events."""

import asyncio
import io
import zipfile

import pytest
from asgiref.sync import sync_to_async
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connections
from django.utils import timezone

from cvs.models import Batch, CVJob
from cvs.talents.services import task_progress_publish
from screening.models import ScreeningCondition
from tenants.scoping import scopes_disabled, tenant_scope
from tests.cvs import files
from tests.ws import WebSocketClient


def pdf(name="cv.pdf"):
    return SimpleUploadedFile(name, files.pdf_bytes(), content_type="application/pdf")


def zipped(members, compression=zipfile.ZIP_DEFLATED):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return SimpleUploadedFile("cvs.zip", buffer.getvalue(), content_type="application/zip")


def condition_for(tenant):
    with tenant_scope(tenant):
        return ScreeningCondition.objects.create(tenant=tenant, name="Any", criteria={"work_years_min": 1})


def jobs_of(batch_id):
    with scopes_disabled():
        return list(CVJob.objects.filter(batch_id=batch_id).order_by("file_name"))


@pytest.mark.django_db
def test_upload_answers_202_with_task_when_pipeline_is_slow(hr_client, tenant, settings):
    settings.TALENT_UPLOAD_WAIT_SECONDS = 0
    condition = condition_for(tenant)
    response = hr_client.post("/api/v1/talents/upload", {"file": pdf(), "condition_id": str(condition.pk)}, format="multipart")
    assert response.status_code == 202, response.content
    task_id = response.json()["data"]["task_id"]
    assert response.json()["data"]["status"] == "pending"
    with scopes_disabled():
        job = CVJob.objects.get(pk=task_id)
    assert job.source == "upload" and job.options["condition_id"] == str(condition.pk)
    task = hr_client.get(f"/api/v1/talents/tasks/{task_id}").json()["data"]
    assert task["status"] == "pending" and task["progress"] == {"current": 0, "total": 4, "percentage": 0.0, "message": "queued"}
    cancelled = hr_client.post(f"/api/v1/talents/tasks/{task_id}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["data"]["status"] == "cancelled"
    assert hr_client.post(f"/api/v1/talents/tasks/{task_id}/cancel").status_code == 409


@pytest.mark.django_db
def test_upload_validation(hr_client, viewer_client, other_tenant):
    assert hr_client.post("/api/v1/talents/upload", {}, format="multipart").status_code == 400
    foreign = condition_for(other_tenant)
    response = hr_client.post("/api/v1/talents/upload", {"file": pdf(), "condition_id": str(foreign.pk)}, format="multipart")
    assert response.status_code == 404 and response.json()["error_code"] == "condition_not_found"
    response = hr_client.post("/api/v1/talents/upload", {"file": SimpleUploadedFile("x.exe", b"MZ\x90\x00binary")}, format="multipart")
    assert response.status_code == 415 and response.json()["error_code"] == "unsupported_type"
    assert viewer_client.post("/api/v1/talents/upload", {"file": pdf()}, format="multipart").status_code == 403


@pytest.mark.django_db
def test_batch_upload_files_and_zip(hr_client, tenant):
    condition = condition_for(tenant)
    archive = zipped({"a/one.pdf": files.pdf_bytes(), "../../etc/two.docx": files.docx_bytes(), "__MACOSX/._one.pdf": b"x",
                      "notes/": b""})
    body = {"files": [pdf("first.pdf"), archive, SimpleUploadedFile("bad.bin", b"\x00\x01garbage")],
            "condition_id": str(condition.pk)}
    response = hr_client.post("/api/v1/talents/batch-upload", body, format="multipart")
    assert response.status_code == 202, response.content
    data = response.json()["data"]
    assert data["file_count"] == 3
    assert [(r["file"], r["error_code"]) for r in data["rejected"]] == [("bad.bin", "unsupported_type")]
    jobs = jobs_of(data["task_id"])
    assert [job.file_name for job in jobs if job.status == "queued"] == ["first.pdf", "one.pdf", "two.docx"]
    assert all(job.source == "batch" for job in jobs)
    with scopes_disabled():
        batch = Batch.objects.get(pk=data["task_id"])
    assert batch.total == 3 and batch.condition_id == condition.pk

    task = hr_client.get(f"/api/v1/talents/tasks/{batch.pk}").json()["data"]
    assert task["status"] == "pending" and task["progress"]["total"] == 3 and task["progress"]["current"] == 0


@pytest.mark.django_db
def test_batch_upload_accepts_files_brackets_field(hr_client):
    response = hr_client.post("/api/v1/talents/batch-upload", {"files[]": [pdf("a.pdf"), pdf("b.pdf")]}, format="multipart")
    assert response.status_code == 202 and response.json()["data"]["file_count"] == 2


@pytest.mark.django_db
def test_zip_defences(hr_client, settings):
    bomb = zipped({"bomb.pdf": b"\x00" * (5 * 1024 * 1024)})
    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [bomb]}, format="multipart")
    assert response.status_code == 400 and response.json()["error_code"] == "archive_bomb"

    settings.TALENT_BATCH_MAX_FILES = 3
    many = zipped({f"cv{i}.pdf": files.pdf_bytes() for i in range(4)})
    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [many]}, format="multipart")
    assert response.status_code == 400 and response.json()["error_code"] == "too_many_files"

    settings.TALENT_ZIP_MAX_BYTES = 1000
    big = zipped({"cv.pdf": files.pdf_bytes()})
    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [big]}, format="multipart")
    assert response.status_code == 400 and response.json()["error_code"] == "archive_too_large"

    response = hr_client.post("/api/v1/talents/batch-upload", {"files": [SimpleUploadedFile("x.txt", b"")]}, format="multipart")
    assert response.status_code == 400 and response.json()["error_code"] == "no_files"
    with scopes_disabled():
        assert not Batch.objects.exists()


@pytest.mark.django_db
def test_batch_cancel_stops_queued_jobs(hr_client):
    data = hr_client.post("/api/v1/talents/batch-upload", {"files": [pdf("a.pdf"), pdf("b.pdf"), pdf("c.pdf")]},
                          format="multipart").json()["data"]
    first = jobs_of(data["task_id"])[0]
    with scopes_disabled():
        CVJob.objects.filter(pk=first.pk).update(status="completed", stage="completed", finished_at=timezone.now())
    response = hr_client.post(f"/api/v1/talents/tasks/{data['task_id']}/cancel")
    assert response.status_code == 200, response.content
    task = response.json()["data"]
    assert task["status"] == "cancelled" and task["counts"]["cancelled"] == 2 and task["counts"]["completed"] == 1
    assert task["progress"]["percentage"] == 100.0
    assert [job.status for job in jobs_of(data["task_id"])] == ["completed", "cancelled", "cancelled"]
    assert hr_client.post(f"/api/v1/talents/tasks/{data['task_id']}/cancel").status_code == 409


@pytest.mark.django_db
def test_tasks_roles_and_tenants(hr_client, viewer_client, make_client, other_tenant):
    data = hr_client.post("/api/v1/talents/batch-upload", {"files": [pdf()]}, format="multipart").json()["data"]
    assert viewer_client.get(f"/api/v1/talents/tasks/{data['task_id']}").status_code == 200
    assert viewer_client.post(f"/api/v1/talents/tasks/{data['task_id']}/cancel").status_code == 403
    assert viewer_client.post("/api/v1/talents/batch-upload", {"files": [pdf()]}, format="multipart").status_code == 403
    other = make_client(other_tenant, "admin")
    assert other.get(f"/api/v1/talents/tasks/{data['task_id']}").status_code == 404
    assert other.post(f"/api/v1/talents/tasks/{data['task_id']}/cancel").status_code == 404
    assert other.get("/api/v1/talents/tasks/nope").status_code == 404
    job_id = str(jobs_of(data["task_id"])[0].pk)
    assert other.get(f"/api/v1/talents/tasks/{job_id}").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_progress_events_reach_own_tenant_socket_only(make_client, tenant, other_tenant):
    from config.asgi import application

    client, outsider, uploader = make_client(tenant, "viewer"), make_client(other_tenant, "admin"), make_client(tenant, "hr")
    response = uploader.post("/api/v1/talents/batch-upload", {"files": [pdf("a.pdf"), pdf("b.pdf")]}, format="multipart")
    batch_id = response.json()["data"]["task_id"]

    def finish_all():
        for job in jobs_of(batch_id):
            with tenant_scope(tenant):
                CVJob.objects.filter(pk=job.pk).update(status="completed", stage="completed", finished_at=timezone.now())
                job.refresh_from_db()
                task_progress_publish(job=job)

    async def scenario():
        mine = WebSocketClient(application, f"/ws/tasks?token={client.access_token}")
        theirs = WebSocketClient(application, "/ws/tasks", subprotocols=[f"bearer.{outsider.access_token}"])
        assert await mine.connect() and await theirs.connect()
        assert (await mine.receive_json())["type"] == "connected"
        assert (await theirs.receive_json())["type"] == "connected"
        await sync_to_async(finish_all)()
        updates = []
        while len(updates) < 2:
            message = await mine.receive_json(timeout=10)
            if message["type"] == "task_update" and message["data"].get("kind") == "batch":
                assert message["task_id"] == message["data"]["task_id"]  # top level, as the reference sends it
                updates.append(message["data"])
        assert await theirs.receive_nothing(timeout=1)
        await mine.disconnect()
        await theirs.disconnect()
        await sync_to_async(connections.close_all)()  # the worker thread's connection would block the test DB's teardown
        return updates

    updates = asyncio.run(scenario())
    assert [u["progress"]["percentage"] for u in updates] == [50.0, 100.0]
    assert updates[-1]["status"] == "completed" and updates[-1]["task_id"] == batch_id
    with scopes_disabled():
        assert Batch.objects.get(pk=batch_id).status == "completed"
