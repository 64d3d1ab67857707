"""The AI API patterns (ai-api-patterns.es) as a client of the analysis API sees them: a query with the client's API key
(X-API-Key or Bearer) answers answer/sources plus tokens_used, latency_ms and model; ``stream: true`` (or the stream
route) answers server-sent events ``data: {json}`` whose text is in ``text``, ending with ``data: [DONE]``;
every response carries X-Response-Time in whole milliseconds ("123ms")."""

from __future__ import annotations

import json
import re

import pytest

from tenants.services import api_key_create
from tests.analytics.conftest import make_candidate, pool  # noqa: F401 - the candidate pool the questions run over

pytestmark = pytest.mark.django_db(transaction=True)

QUESTION = "Python developers in Madrid"
WHOLE_MS = re.compile(r"^\d+ms$")


def frames(response) -> list:
    """The SSE frames as a client parses them: ``data: <payload>`` blocks separated by a blank line."""
    assert response.headers["content-type"].startswith("text/event-stream")
    blocks = [block for block in response.text.split("\n\n") if block.strip()]
    assert all(block.startswith("data: ") for block in blocks), blocks
    payloads = [block.removeprefix("data: ") for block in blocks]
    assert payloads[-1] == "[DONE]"
    return [json.loads(payload) for payload in payloads[:-1]]


def test_query_with_the_api_key_header_answers_answer_sources_and_usage(pool, http, api_key):  # noqa: F811
    response = http.post("/api/v1/analysis/query", headers={"X-API-Key": api_key},
                         json={"question": QUESTION, "collection": "default", "max_results": 1, "stream": False})
    assert response.status_code == 200, response.text
    assert WHOLE_MS.match(response.headers["x-response-time"])
    answer = response.json()["data"]  # inside the {success, message, data} envelope of the screening API's same route
    assert isinstance(answer["answer"], str) and answer["answer"]
    assert isinstance(answer["sources"], list) and len(answer["sources"]) == 1 and isinstance(answer["sources"][0], dict)
    assert answer["sources"][0]["name"] == "Ana García"
    assert isinstance(answer["tokens_used"], int) and answer["tokens_used"] >= 0
    assert isinstance(answer["latency_ms"], int | float) and answer["latency_ms"] >= 0
    assert isinstance(answer["model"], str) and answer["model"] == "rules"  # offline: no LLM configured


def test_stream_true_answers_server_sent_events_with_text(pool, http, api_key):  # noqa: F811
    for path, body in (("/api/v1/analysis/query", {"question": QUESTION, "stream": True}),
                       ("/api/v1/analysis/stream", {"question": QUESTION})):
        response = http.post(path, headers={"Authorization": f"Bearer {api_key}"}, json=body)
        assert response.status_code == 200, response.text
        events = frames(response)
        text = "".join(event["text"] for event in events if "text" in event)
        assert "Ana García" in text or str(pool["Ana García"].pk) in text, path


def test_a_key_reads_only_its_own_tenant_and_only_the_query_routes(pool, http, api_key, other_tenant):  # noqa: F811
    theirs = api_key_create(tenant=other_tenant, name="other").raw
    foreign = http.post("/api/v1/analysis/query", headers={"X-API-Key": theirs}, json={"question": QUESTION})
    assert foreign.status_code == 200 and foreign.json()["data"]["sources"] == []
    key = {"X-API-Key": api_key}
    assert http.get("/api/v1/analysis/history", headers=key).status_code == 401
    assert http.post("/api/v1/analysis/query-async", headers=key, json={"question": QUESTION}).status_code == 401
    assert http.get("/api/v1/monitor/metrics", headers=key).status_code == 401
    assert http.post("/api/v1/analysis/query", headers={"X-API-Key": "cvk_wrong_key"}, json={"question": QUESTION}).status_code == 401
    assert http.post("/api/v1/analysis/query", json={"question": QUESTION}).status_code == 401


def test_invalid_requests_are_refused_with_400(http, api_key):
    key = {"X-API-Key": api_key}
    for body in ({"question": "?"}, {"question": QUESTION, "max_results": 0}, {}):
        response = http.post("/api/v1/analysis/query", headers=key, json=body)
        assert response.status_code == 400, (body, response.text)
        assert response.json()["success"] is False and WHOLE_MS.match(response.headers["x-response-time"])
