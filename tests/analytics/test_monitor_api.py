from __future__ import annotations

import logging
import time
from datetime import timedelta

import pytest
from django.core.cache import cache
from django.utils import timezone

from analytics.tasks import HEARTBEAT_KEY, record_worker_heartbeat
from cvs.models import CVJob
from tenants.models import Role
from tenants.scoping import tenant_scope
from tests.analytics.fake_openai import FakeOpenAI
from tests.conftest import wait_until
from tests.factories import CandidateFactory, CVJobFactory

URL = "/api/v1/monitor"
SERVICES = {"postgresql", "redis", "storage", "celery", "ocr", "embedding", "llm"}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/metrics", "/logs", "/services"])
def test_monitor_is_for_admin_and_hr(path, tenant, make_client, client):
    assert make_client(tenant, Role.VIEWER).get(f"{URL}{path}").status_code == 403
    assert make_client(tenant, Role.VIEWER).get(f"{URL}{path}").json()["error_code"] == "permission_denied"
    assert client.get(f"{URL}{path}").status_code == 401


@pytest.mark.django_db
def test_metrics_count_the_callers_tenant_only(tenant, other_tenant, make_client):
    CandidateFactory.create_batch(2, tenant=tenant, screening_status="qualified")
    CandidateFactory.create_batch(3, tenant=other_tenant)
    now = timezone.now()
    for ms in (100, 300):
        CVJobFactory(tenant=tenant, status=CVJob.Status.COMPLETED, processing_ms=ms, finished_at=now)
    CVJobFactory(tenant=tenant, status=CVJob.Status.FAILED)
    CVJobFactory(tenant=tenant, status=CVJob.Status.COMPLETED, processing_ms=9_999, finished_at=now - timedelta(hours=3))
    CVJobFactory(tenant=other_tenant, status=CVJob.Status.COMPLETED, processing_ms=50_000, finished_at=now)

    response = make_client(tenant, Role.HR).get(f"{URL}/metrics")
    assert response.status_code == 200
    data = response.json()["data"]
    for key in ("cpu_percent", "memory_percent", "disk_percent", "uptime"):
        assert isinstance(data[key], int | float)
    assert data["talent_count"] == 2 and data["qualified_count"] == 2
    assert data["candidates"]["total"] == 2
    assert data["jobs_last_hour"]["completed"] == 3 and data["jobs_last_hour"]["failed"] == 1
    assert data["processing_time_last_hour"] == {"count": 2, "p50_ms": 200.0, "p95_ms": 290.0}
    assert set(data["queues"]) >= {"default", "ocr", "llm", "webhooks", "documents", "embeddings", "unacked"}
    assert data["embeddings"] == {"vectors": 0, "candidates": 0, "stale": 0}

    theirs = make_client(other_tenant, Role.ADMIN).get(f"{URL}/metrics").json()["data"]
    assert theirs["talent_count"] == 3 and theirs["processing_time_last_hour"]["p50_ms"] == 50_000.0


@pytest.mark.django_db
def test_logs_come_from_the_structured_store_per_tenant(tenant, other_tenant, make_client):
    logger = logging.getLogger("analytics.tests")
    marker = f"m{time.time_ns()}"
    with tenant_scope(tenant.pk):
        logger.info("%s info for A", marker)
        logger.error("%s error for A", marker)
    with tenant_scope(other_tenant.pk):
        logger.error("%s secret of B", marker)
    logger.error("%s system record", marker)
    client = make_client(tenant, Role.ADMIN)

    items = client.get(f"{URL}/logs", {"limit": 50}).json()["data"]["items"]
    mine = [item["message"] for item in items if marker in item["message"]]
    assert mine == [f"{marker} error for A", f"{marker} info for A"]  # newest first, nothing of B or the system
    errors = client.get(f"{URL}/logs", {"level": "ERROR"}).json()["data"]["items"]
    assert [item["message"] for item in errors if marker in item["message"]] == [f"{marker} error for A"]
    assert errors[0]["level"] == "ERROR" and errors[0]["logger"] == "analytics.tests" and errors[0]["tenant"] == str(tenant.pk)
    assert len(client.get(f"{URL}/logs", {"limit": 1}).json()["data"]["items"]) == 1
    assert client.get(f"{URL}/logs", {"level": "LOUD"}).status_code == 400
    assert client.get(f"{URL}/logs", {"limit": 0}).status_code == 400


@pytest.mark.django_db
def test_services_report_each_dependency(tenant, make_client, settings):
    client = make_client(tenant, Role.HR)
    cache.delete(HEARTBEAT_KEY)
    data = client.get(f"{URL}/services").json()["data"]
    assert set(data) == SERVICES | {"overall", "mysql", "minio", "chromadb"}  # the last three: the reference's names
    assert data["mysql"] == data["chromadb"] == data["postgresql"] and data["minio"] == data["storage"]
    for name in ("postgresql", "redis", "storage", "ocr", "embedding"):
        assert data[name]["status"] == "healthy", (name, data[name])
    assert set(data["ocr"]["detail"]["languages"]) == {"eng", "spa", "fra", "chi_sim"}
    assert data["llm"] == {**data["llm"], "status": "healthy"} and data["llm"]["detail"]["configured"] is False
    assert data["celery"]["status"] in ("down", "degraded")  # no fresh heartbeat
    assert data["overall"] != "healthy"

    with FakeOpenAI(model="answer-model") as fake:
        settings.LLM_API, settings.LLM_BASE_URL, settings.LLM_MODEL = "openai", fake.base_url, "answer-model"
        assert client.get(f"{URL}/services").json()["data"]["llm"]["status"] == "healthy"
        settings.LLM_MODEL = "missing-model"
        assert client.get(f"{URL}/services").json()["data"]["llm"]["status"] == "degraded"
    settings.LLM_BASE_URL = fake.base_url  # server gone
    assert client.get(f"{URL}/services").json()["data"]["llm"]["status"] == "down"


@pytest.mark.django_db
def test_celery_is_healthy_with_a_worker_and_a_fresh_heartbeat(tenant, make_client, celery_worker):
    cache.delete(HEARTBEAT_KEY)
    record_worker_heartbeat.apply_async(queue="default")
    wait_until(lambda: cache.get(HEARTBEAT_KEY), timeout=60)
    celery = make_client(tenant, Role.ADMIN).get(f"{URL}/services").json()["data"]["celery"]
    assert celery["status"] == "healthy", celery
    assert celery["detail"]["workers"] and celery["detail"]["heartbeat_age_seconds"] < 60


@pytest.mark.django_db
def test_prometheus_endpoint_and_response_time_header(client, tenant, settings):
    CandidateFactory(tenant=tenant)
    assert client.get("/healthz")["X-Response-Time"].endswith("ms")
    response = client.get("/metrics")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/plain")
    text = response.content.decode()
    assert "cvplatform_candidates 1.0" in text
    assert 'cvplatform_http_request_duration_seconds_count{method="GET",route="healthz",status="2xx"}' in text
    assert 'cvplatform_celery_queue_depth{queue="embeddings"}' in text

    settings.METRICS_TOKEN = "scrape-secret"
    assert client.get("/metrics").status_code == 401
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer scrape-secret").status_code == 200
