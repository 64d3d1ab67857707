"""Smaller hardening items (issue 16, Why 10): no tokens in the web log, no anonymous /metrics in production."""

from __future__ import annotations

import httpx
import pytest
from websockets.sync.client import connect

from config.log_redaction import redact
from tenants.models import Role
from tests.conftest import wait_until
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


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("https://s3.example/b/k?X-Amz-Credential=AKIA&X-Amz-Signature=0f9e&X-Amz-Security-Token=IQo",
         "https://s3.example/b/k?X-Amz-Credential=AKIA&X-Amz-Signature=[redacted]&X-Amz-Security-Token=[redacted]"),
        ('GET /x?signature=abc;refresh_token=def HTTP/1.1', 'GET /x?signature=[redacted];refresh_token=[redacted] HTTP/1.1'),
        ("GET /api/v1/talents?keyword=tokenizer&page=2", "GET /api/v1/talents?keyword=tokenizer&page=2"),
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
