"""Reliability: Redis restarted mid-batch (it keeps nothing on disk) loses no CV.

Everything runs as it does in production, on a private Redis so the shared one is never touched:
uvicorn for intake, a Celery worker and Celery beat (the sweeper). Redis is killed with SIGKILL
while a batch of 50 CVs is being processed and started again empty; every queued message is gone.
The job rows are the outbox: the sweeper sends again what was lost and dispatches the rest.
"""

from __future__ import annotations

import subprocess
import sys
import time

import httpx
import pytest

from cvs.models import CVJob
from tenants.scoping import scopes_disabled
from tests.conftest import REPO, CeleryProcess, wait_until, worker_env
from tests.cvs import files
from tests.factories import EndpointFactory
from tests.services import free_port, start_redis, wait_for_port

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

BATCH = 50


def statuses(ids: list[str]) -> list[str]:
    with scopes_disabled():
        return list(CVJob.objects.filter(pk__in=ids).values_list("status", flat=True))


def test_redis_restart_mid_batch_loses_nothing(tenant, api_key, tmp_path):
    endpoint = EndpointFactory(tenant=tenant)
    redis_port, web_port = free_port(), free_port()
    redis_log = open(tmp_path / "redis.log", "w")  # noqa: SIM115 - closed at the end
    redis = start_redis(redis_port, redis_log)
    private = {key: f"redis://127.0.0.1:{redis_port}/0" for key in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    private["CV_DEDUPLICATE_FILES"] = "0"
    web_log = open(tmp_path / "web.log", "w")  # noqa: SIM115
    web = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(web_port), "--log-level", "warning"],
                           cwd=REPO, env=worker_env(**private), stdout=web_log, stderr=subprocess.STDOUT, start_new_session=True)
    worker = CeleryProcess(["worker", "-Q", "default,ocr,llm,documents,embeddings", "-c", "2", "-n", f"brk{web_port}@%h",
                            "--without-mingle", "--without-gossip", "-l", "INFO"], tmp_path / "worker.log", private)
    beat = CeleryProcess(["beat", "-l", "INFO", "-s", str(tmp_path / "schedule")], tmp_path / "beat.log", private)
    try:
        # Start-up is slow on a loaded machine (libraries and models load): that is not what is measured.
        worker.start(ready_timeout=240)
        beat.start()
        wait_for_port(web_port, timeout=180)
        ids = []
        with httpx.Client(base_url=f"http://127.0.0.1:{web_port}", headers={"Authorization": f"Bearer {api_key}"}, timeout=60) as client:
            for number in range(BATCH):
                body = files.pdf_bytes([f"Person Number{number}", f"person{number}@example.com", "Experience",
                                        "Engineer at Example Ltd, 2019 - 2024"])
                response = client.post(f"/cv/{endpoint.pk}", files={"file": (f"cv{number}.pdf", body, "application/pdf")})
                assert response.status_code == 202, response.text
                ids.append(response.json()["request_id"])
        wait_until(lambda: statuses(ids).count("completed") >= 5, timeout=300, interval=0.2)

        redis.kill()  # SIGKILL: no save, every queued and unacknowledged message is gone
        redis.wait(10)
        time.sleep(2)
        redis = start_redis(redis_port, redis_log)
        back = time.monotonic()
        left = BATCH - statuses(ids).count("completed")
        assert left > 0, "the batch ended before Redis went down; nothing was tested"

        wait_until(lambda: all(status in ("completed", "failed") for status in statuses(ids)), timeout=240, interval=0.5)
        recovered = time.monotonic() - back
        print(f"\nredis restart: {left} of {BATCH} CVs unfinished when Redis came back; all done {recovered:.1f} s later")
        with scopes_disabled():
            not_completed = list(CVJob.objects.filter(pk__in=ids).exclude(status="completed").values_list("error_code", "error_message"))
        assert not not_completed, not_completed
        with scopes_disabled():
            assert CVJob.objects.filter(pk__in=ids, candidate__isnull=False).count() == BATCH  # each ran to its end once
        assert recovered <= 120, f"recovery took {recovered:.1f} s"
    finally:
        beat.stop()
        worker.stop()
        web.terminate()
        web.wait(20)
        redis.kill()
        redis.wait(10)
        redis_log.close()
        web_log.close()
