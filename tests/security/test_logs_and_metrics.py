"""Smaller hardening items (issue 16, Why 10): no tokens in the web or worker logs, no anonymous /metrics in production."""

from __future__ import annotations

import os
import subprocess
import sys

import httpx
import pytest
from websockets.sync.client import connect

from config.log_redaction import redact
from tenants.models import Role
from tests.conftest import REPO, wait_until, worker_env
from tests.security.test_secrets import STRONG, _settings_probe


def test_a_real_uvicorn_run_logs_no_token(asgi_server, tmp_path, make_client, tenant):
    token = make_client(tenant, Role.VIEWER).access_token
    with connect(f"ws://{asgi_server}/ws/tasks?token={token}", open_timeout=20):
        pass  # accepted: uvicorn logs the handshake with its query string
    httpx.get(f"http://{asgi_server}/api/v1/auth/me?access_token={token}&page=2", timeout=20)
    download_token = "eyJkIjoiMSJ9:1vXyZa:c2lnbmF0dXJlLWJ5dGVz"
    httpx.get(f"http://{asgi_server}/api/v1/documents/download/{download_token}", timeout=20)

    log = tmp_path / "uvicorn.log"

    def logged() -> str:
        text = log.read_text()
        return text if "[accepted]" in text and "/documents/download/" in text else ""

    text = wait_until(logged, timeout=20)
    assert token not in text and token.split(".")[-1] not in text
    assert download_token not in text
    assert '"WebSocket /ws/tasks?token=[redacted]" [accepted]' in text
    assert "/api/v1/auth/me?access_token=[redacted]&page=2" in text
    assert "/api/v1/documents/download/[redacted]" in text


# Shaped like the real ones (tenants.models, webhooks/signing.py); made up here, so a test can print them.
JWT = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiI0MiJ9.c2lnbmF0dXJlLWJ5dGVzLW9mLWEtand0"
API_KEY = "cvk_0a1b2c3d4e5f_Zm9vYmFyYmF6cXV4LXNlY3JldC1wYXJ0LW9mLWtleQ"
WEBHOOK_SECRET = "whsec_c2VjcmV0LWtleS1ieXRlcy1mb3ItaG1hYw=="
SIGNATURE = "v1,K5oZfzN95Z9UVu1EsfQmfVNQhnkZ2pj9o9NDN/H/pI4="
SECRETS = (JWT, API_KEY.rsplit("_", 1)[1], WEBHOOK_SECRET.removeprefix("whsec_"), SIGNATURE.removeprefix("v1,"), "s3-sig-0f9e")
SECRET_TEXT = (
    f"GET /ws/tasks?token={JWT} Authorization: Bearer {API_KEY} webhook-signature: {SIGNATURE} "
    f"secret {WEBHOOK_SECRET} https://s3.example/b/k?X-Amz-Signature=s3-sig-0f9e"
)


def test_a_real_worker_logs_no_secret(celery_worker_factory, tmp_path):
    """Celery sets up logging itself in a worker (the root handlers of settings LOGGING are replaced).

    A message it cannot run is logged with its whole body: here a task name no worker knows, on a
    queue only this worker reads, with credentials in its arguments.
    """
    from config.celery import app

    queue = f"redaction-{os.getpid()}"
    worker = celery_worker_factory(queues=queue, concurrency=1, name="redaction")
    app.send_task("tests.no_such_task", kwargs={"note": SECRET_TEXT}, queue=queue)

    def logged() -> str:
        text = worker.log_path.read_text(errors="replace")
        return text if "tests.no_such_task" in text else ""

    text = wait_until(logged, timeout=30)
    assert "[redacted]" in text
    for secret in SECRETS:
        assert secret not in text
    assert "Bearer cvk_0a1b2c3d4e5f_[redacted]" in text and "?token=[redacted]" in text


@pytest.mark.parametrize("program", ["worker", "beat"])
def test_celery_logging_setup_redacts_every_handler(program, tmp_path):
    """What `celery worker` and `celery beat` both run to set up logging (``app.log.setup``, after the
    Django fixup), then a log line, a task-logger line, a traceback and a print: none carries a secret."""
    script = f"""
import logging, django
from celery.utils.log import get_task_logger
from config.celery import app
django.setup()
app.log.setup(loglevel="INFO", logfile={str(tmp_path / "celery.log")!r}, redirect_stdouts=True)
logging.getLogger("cvs.anything").warning("sending %s", {SECRET_TEXT!r})
get_task_logger("cvs.pipeline.tasks").warning({SECRET_TEXT!r})
try:
    raise RuntimeError({SECRET_TEXT!r})
except RuntimeError:
    logging.getLogger("webhooks.services").exception("{program} failed")
print({SECRET_TEXT!r})
"""
    subprocess.run([sys.executable, "-c", script], cwd=REPO, env=worker_env(), check=True, timeout=120)
    text = (tmp_path / "celery.log").read_text()
    # Five secrets in each of four records (log line, task-logger line, traceback, print).
    assert text.count("[redacted]") == 4 * 5 and "RuntimeError" in text
    for secret in SECRETS:
        assert secret not in text


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://s3.example/b/k?X-Amz-Credential=AKIA&X-Amz-Signature=0f9e&X-Amz-Security-Token=IQo",
         "https://s3.example/b/k?X-Amz-Credential=AKIA&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]"),
        ('GET /x?signature=abc;refresh_token=def HTTP/1.1', 'GET /x?signature=[redacted];refresh_token=[redacted] HTTP/1.1'),
        ("GET /api/v1/talents?keyword=tokenizer&page=2", "GET /api/v1/talents?keyword=tokenizer&page=2"),
        (f"key {API_KEY} rejected", "key cvk_0a1b2c3d4e5f_[redacted] rejected"),
        (f"token={JWT}", "token=[redacted]"),
        (f"claims of {JWT} expired", "claims of [redacted] expired"),
        (f"{{'webhook-signature': '{SIGNATURE}'}} with {WEBHOOK_SECRET}", "{'webhook-signature': 'v1,[redacted]'} with whsec_[redacted]"),
        ("authorization: bearer abc.def", "authorization: bearer [redacted]"),
        ("an attempt signed v1,short", "an attempt signed v1,short"),
    ],
)
def test_redaction_keeps_everything_but_the_secret(line, expected):
    assert redact(line) == expected


@pytest.mark.django_db
def test_metrics_without_a_token_is_hidden_unless_allowed(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_ANONYMOUS = False
    assert client.get("/metrics").status_code == 404
    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOW_ANONYMOUS = True
    assert client.get("/metrics").status_code == 200


PRODUCTION_ENV = {"DATABASE_URL": "postgres://app@db.internal:5432/cv", "DJANGO_ALLOWED_HOSTS": "cv.example.com"}


@pytest.mark.unit
@pytest.mark.parametrize(
    ("module", "env", "allowed"),
    [
        ("config.settings.production", PRODUCTION_ENV, "False"),
        ("config.settings.local", {}, "True"),
        ("config.settings.local", {"METRICS_ALLOW_ANONYMOUS": "false"}, "False"),
    ],
)
def test_metrics_are_open_without_a_token_only_in_local_settings(module, env, allowed):
    probe = _settings_probe(module, "print(settings.METRICS_ALLOW_ANONYMOUS)", DJANGO_SECRET_KEY=STRONG, **env)
    assert probe.returncode == 0, probe.stderr
    assert probe.stdout.strip() == allowed
