"""The LLM rate limit is one budget per tenant and endpoint, shared by every worker process (in Redis)."""

from __future__ import annotations

import dataclasses
import json
import subprocess
import sys
import time

import pytest

from cvs.extraction.llm_client import rate_limiter
from cvs.llm_settings import embedding_config, llm_config
from tests.conftest import REPO
from tests.extraction.llm_server import FakeLLMServer

# A worker process: builds the config it is given, waits for "go", then extracts CALLS CVs.
WORKER = """
import json, sys
from datetime import date
from cvs.extraction.llm_client import LLMConfig
from cvs.extraction.providers import extract_structured

config = LLMConfig(**json.loads(sys.argv[1]))
print("ready", flush=True)
sys.stdin.readline()
for _ in range(int(sys.argv[2])):
    extract_structured("Jane Doe\\njane.doe@example.com", provider="openai", llm=config, today=date(2026, 1, 1))
"""

CALLS = 7  # per process: under the burst of 10, so only a shared budget makes anyone wait


@pytest.fixture
def server(settings):
    with FakeLLMServer() as srv:
        settings.LLM_API, settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = "openai", srv.openai_base_url, "k", "m"
        settings.LLM_REQUESTS_PER_MINUTE = 120  # 2 per second, bursts of 10
        yield srv


@pytest.mark.django_db
def test_two_worker_processes_share_one_budget(server, tenant):
    config = llm_config(tenant_id=tenant.pk)
    assert config is not None and config.redis_url
    workers = [
        subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(dataclasses.asdict(config)), str(CALLS)],
                         cwd=REPO, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    for worker in workers:
        assert worker.stdout is not None and worker.stdout.readline().strip() == "ready"
    for worker in workers:
        assert worker.stdin is not None
        worker.stdin.write("go\n")
        worker.stdin.flush()
    for worker in workers:
        assert worker.wait(timeout=60) == 0

    times = sorted(request["time"] for request in server.requests)
    assert len(times) == 2 * CALLS
    # 14 calls at 2/s after a burst of 10: the last comes 2 s after the first was allowed (less the
    # first call's warm-up). With a bucket per process each sends its 7 at once: about 0.5 s in all.
    assert times[-1] - times[0] >= 1.5


@pytest.mark.django_db
def test_the_budget_is_per_tenant(server, tenant, other_tenant):
    busy, idle = llm_config(tenant_id=tenant.pk), llm_config(tenant_id=other_tenant.pk)
    assert busy is not None and idle is not None
    for _ in range(10):  # the busy tenant's burst, used up
        rate_limiter(busy).acquire()
    assert rate_limiter(busy).acquire() > 0.3
    start = time.monotonic()
    assert rate_limiter(idle).acquire() == 0
    assert time.monotonic() - start < 0.1
    # Another endpoint is another budget too.
    assert rate_limiter(dataclasses.replace(busy, base_url="http://127.0.0.1:9/v1")).acquire() == 0


def test_configs_come_from_settings_with_the_tenants_budget(settings, tenant):
    settings.LLM_BASE_URL = settings.LLM_API_KEY = ""
    assert llm_config(tenant_id=tenant.pk) is None  # no endpoint: the LLM providers refuse, answers are composed
    settings.LLM_BASE_URL, settings.LLM_MODEL, settings.LLM_REQUESTS_PER_MINUTE = "http://127.0.0.1:9/v1", "m", 30
    chat = llm_config(tenant_id=tenant.pk, model="tenant-model")
    assert chat is not None and chat.model == "tenant-model" and chat.requests_per_minute == 30
    assert (chat.rate_scope, chat.redis_url, chat.redis_key_prefix) == (str(tenant.pk), settings.REDIS_URL, settings.REDIS_KEY_PREFIX)
    settings.EMBEDDING_BASE_URL, settings.EMBEDDING_REQUESTS_PER_MINUTE = "http://127.0.0.1:8/v1", 600
    embeddings = embedding_config(tenant_id=tenant.pk)
    assert (embeddings.base_url, embeddings.requests_per_minute, embeddings.rate_scope) == ("http://127.0.0.1:8/v1", 600, str(tenant.pk))
    # Chat and embeddings on one endpoint are two budgets: an embedding refresh does not starve extraction.
    assert rate_limiter(chat).key != rate_limiter(dataclasses.replace(chat, requests_per_minute=30), "embeddings").key
