from __future__ import annotations

import json

import pytest
from django.db import connections
from django.test import AsyncClient

from analytics.models import AnalysisQuery
from tenants.models import Role
from tenants.scoping import tenant_scope
from tests.analytics.conftest import POOL
from tests.analytics.fake_openai import FakeOpenAI
from tests.conftest import wait_until

URL = "/api/v1/analysis"


def ask(client, question: str, **extra):
    return client.post(f"{URL}/query", {"question": question, **extra}, format="json")


@pytest.mark.django_db
def test_query_answers_with_filtered_sources_and_analytics(pool, hr_client):
    response = ask(hr_client, "Python developers in Madrid with 3+ years")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["success"] is True
    data = body["data"]
    ana = pool["Ana García"]
    assert [source["id"] for source in data["sources"]] == [str(ana.pk)]
    source = data["sources"][0]
    assert source["name"] == "Ana García" and source["school"] == "Universidad Politécnica de Madrid"
    assert 0 < source["similarity"] <= 1 and "Python" in source["content"]
    assert data["analytics"]["total_count"] == 1
    assert data["analytics"]["by_education"] == {"master": 1}
    assert {"name": "Python", "count": 1} in data["analytics"]["top_skills"]
    assert data["analytics"]["avg_similarity"] == source["similarity"]
    assert data["filters"] == {"min_years": 3.0, "skills": ["Python"], "location": "Madrid"}
    assert "1 candidate(s)" in data["answer"] and str(ana.pk) in data["answer"]
    assert response["X-Response-Time"][:-2].isdigit() and response["X-Response-Time"].endswith("ms")  # whole ms
    assert data["tokens_used"] == 0 and data["model"] == "rules" and isinstance(data["latency_ms"], int)


@pytest.mark.django_db
def test_query_in_the_questions_language(pool, viewer_client):
    spanish = ask(viewer_client, "Desarrolladores Python en Madrid").json()["data"]
    assert spanish["analytics"]["total_count"] == 2
    assert "candidato(s) del banco cumplen" in spanish["answer"]
    assert {s["name"] for s in spanish["sources"]} == {"Ana García", "Luis Pérez"}

    chinese = ask(viewer_client, "有哪些5年以上工作经验的Java开发工程师?").json()["data"]
    assert {s["name"] for s in chinese["sources"]} == {"John Smith", "王伟"}
    assert "共有 2 位候选人符合条件" in chinese["answer"]
    assert chinese["analytics"]["by_education"] == {"bachelor": 1, "master": 1}

    french = ask(viewer_client, "Candidats avec un doctorat à Paris").json()["data"]
    assert [s["name"] for s in french["sources"]] == ["Claire Martin"]
    assert "correspondent à" in french["answer"]


@pytest.mark.django_db
def test_query_without_filters_ranks_by_meaning_and_text(pool, hr_client):
    data = ask(hr_client, "scientist doing data science research", top_k=3).json()["data"]
    assert len(data["sources"]) == 3
    assert data["sources"][0]["name"] == "Claire Martin"
    assert data["analytics"]["total_count"] == 3  # no filters: the analytics describe the sources
    assert data["sources"][0]["similarity"] >= data["sources"][-1]["similarity"] - 0.2


@pytest.mark.django_db
def test_explicit_filters_are_applied(pool, hr_client):
    data = ask(hr_client, "engineers", filters={"min_years": 6, "skills": ["java"], "education_min": "master"}).json()["data"]
    assert [s["name"] for s in data["sources"]] == ["John Smith"]
    assert data["filters"]["min_years"] == 6


@pytest.mark.django_db
def test_query_never_returns_another_tenants_candidates(pool, tenant, other_tenant, make_client, make_candidate):
    intruder = make_candidate(other_tenant, **{**POOL[0], "name": "Other Tenant Ana"})
    own = ask(make_client(tenant, Role.HR), "Python developers in Madrid").json()["data"]
    assert str(intruder.pk) not in {s["id"] for s in own["sources"]}
    assert own["analytics"]["total_count"] == 2
    theirs = ask(make_client(other_tenant, Role.VIEWER), "Python developers in Madrid").json()["data"]
    assert [s["id"] for s in theirs["sources"]] == [str(intruder.pk)]
    assert theirs["analytics"]["total_count"] == 1


@pytest.mark.django_db
def test_empty_pool_answers_honestly(hr_client):
    data = ask(hr_client, "Java developers with 5+ years").json()["data"]
    assert data["sources"] == [] and data["analytics"]["total_count"] == 0
    assert data["answer"].startswith("No candidate in the pool matches")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload",
    [
        {"question": ""},
        {"question": "x" * 2001},
        {"question": "Java", "top_k": 0},
        {"question": "Java", "top_k": 51},
        {"question": "Java", "filters": {"education_min": "wizard"}},
        {"question": "Java", "filters": {"min_years": -1}},
        {},
    ],
)
def test_query_validation(hr_client, payload):
    response = hr_client.post(f"{URL}/query", payload, format="json")
    assert response.status_code == 400
    assert response.json()["success"] is False and response.json()["error_code"] == "invalid"


@pytest.mark.django_db
def test_endpoints_need_a_token(client):
    for method, path in (("post", "/query"), ("post", "/query-async"), ("post", "/stream"), ("get", "/history")):
        response = getattr(client, method)(f"{URL}{path}", content_type="application/json", data={"question": "Java"})
        assert response.status_code == 401
        assert response.json()["error_code"] == "not_authenticated"


@pytest.mark.django_db
def test_history_is_paginated_and_per_tenant(pool, tenant, other_tenant, make_client):
    client = make_client(tenant, Role.VIEWER)
    ask(client, "Python developers")
    ask(client, "Java developers with 5+ years")
    page = client.get(f"{URL}/history", {"page": 1, "page_size": 1}).json()["data"]
    assert (page["total"], page["page"], page["page_size"], page["pages"]) == (2, 1, 1, 2)
    assert page["items"][0]["question"] == "Java developers with 5+ years"
    assert page["items"][0]["status"] == "completed" and page["items"][0]["total_count"] == 2
    assert page["items"][0]["created_by"] == client.user.username
    second = client.get(f"{URL}/history", {"page": 2, "page_size": 1}).json()["data"]
    assert second["items"][0]["question"] == "Python developers"
    other = make_client(other_tenant, Role.ADMIN).get(f"{URL}/history").json()["data"]
    assert other["total"] == 0 and other["items"] == []
    assert client.get(f"{URL}/history", {"page": 0}).status_code == 400
    assert client.get(f"{URL}/history", {"page_size": 101}).status_code == 400


@pytest.mark.django_db
def test_task_and_export_are_tenant_scoped(pool, tenant, other_tenant, make_client):
    client = make_client(tenant, Role.HR)
    ask(client, "Python developers in Madrid with 3+ years")
    with tenant_scope(tenant.pk):
        query = AnalysisQuery.objects.get()
    status = client.get(f"{URL}/tasks/{query.pk}").json()["data"]
    assert status["status"] == "completed" and status["progress"]["percentage"] == 100.0
    export = client.get(f"{URL}/tasks/{query.pk}/export")
    assert export.status_code == 200
    assert export["Content-Type"].startswith("text/markdown")
    assert f'analysis-{query.pk}.md' in export["Content-Disposition"]
    report = export.content.decode()
    assert report.startswith("# Analysis report") and "Python developers in Madrid" in report
    assert str(pool["Ana García"].pk) in report and "Universidad Politécnica de Madrid" in report

    stranger = make_client(other_tenant, Role.ADMIN)
    for path in (f"/tasks/{query.pk}", f"/tasks/{query.pk}/export"):
        response = stranger.get(f"{URL}{path}")
        assert response.status_code == 404, path
        assert response.json()["error_code"] == "not_found"
    assert client.get(f"{URL}/tasks/not-a-uuid").status_code == 404


@pytest.mark.django_db
def test_export_of_unfinished_task_conflicts(tenant, hr_client):
    with tenant_scope(tenant.pk):
        query = AnalysisQuery.objects.create(tenant=tenant, question="Java", mode="async")
    response = hr_client.get(f"{URL}/tasks/{query.pk}/export")
    assert response.status_code == 409 and response.json()["error_code"] == "task_not_completed"
    assert hr_client.get(f"{URL}/tasks/{query.pk}").json()["data"]["progress"]["percentage"] == 0.0


@pytest.mark.django_db
def test_llm_answer_is_grounded_and_cites_ids(pool, hr_client, settings):
    with FakeOpenAI() as fake:
        settings.LLM_API, settings.LLM_BASE_URL, settings.LLM_API_KEY, settings.LLM_MODEL = "openai", fake.base_url, "k", fake.model
        data = ask(hr_client, "Desarrolladores Python en Madrid con más de 3 años").json()["data"]
        ana = str(pool["Ana García"].pk)
        assert data["answer"] == f"Grounded answer citing [{ana}]."
        chat = [r for r in fake.requests if r["path"].endswith("/chat/completions")][-1]
        system, user = chat["body"]["messages"]
        assert "Reply in Spanish" in system["content"] and "Cite every candidate" in system["content"]
        assert ana in user["content"] and str(pool["John Smith"].pk) not in user["content"]
        assert chat["auth"] == "Bearer k"

        fake.fail_chat = True  # the provider failing falls back to the composed answer
        data = ask(hr_client, "Python developers in Madrid with 3+ years").json()["data"]
        assert data["answer"].startswith("1 candidate(s) in the pool match")


async def read_sse(response) -> list:
    raw = b"".join([chunk async for chunk in response.streaming_content]).decode()
    frames = [frame for frame in raw.split("\n\n") if frame]
    assert all(frame.startswith("data: ") for frame in frames)
    return [frame.removeprefix("data: ") for frame in frames]


@pytest.mark.django_db(transaction=True)
@pytest.mark.asyncio
async def test_stream_sends_sse_events_ending_with_done(pool, tenant, other_tenant, make_client):
    from asgiref.sync import sync_to_async

    hr = await sync_to_async(make_client)(tenant, Role.HR)
    client = AsyncClient()
    auth = {"Authorization": f"Bearer {hr.access_token}"}
    response = await client.post(
        f"{URL}/stream", {"question": "Python developers in Madrid"}, content_type="application/json", headers=auth
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/event-stream")
    frames = await read_sse(response)
    assert frames[-1] == "[DONE]"
    events = [json.loads(frame) for frame in frames[:-1]]
    assert events[0]["type"] == "sources"
    assert {s["name"] for s in events[0]["sources"]} == {"Ana García", "Luis Pérez"}
    assert events[0]["analytics"]["total_count"] == 2
    deltas = [e["content"] for e in events if e["type"] == "delta"]
    assert len(deltas) > 1
    assert all(e["text"] == e["content"] for e in events if e["type"] == "delta")
    assert events[-1]["type"] == "done" and events[-1]["llm_used"] is False
    assert events[-1]["tokens_used"] == 0 and events[-1]["model"] == "rules" and events[-1]["latency_ms"] >= 0

    # stream: true on /query answers the same SSE (the AI API patterns' single route)
    streamed = await client.post(
        f"{URL}/query", {"question": "Python developers in Madrid", "stream": True}, content_type="application/json",
        headers=auth,
    )
    assert streamed.status_code == 200 and streamed["Content-Type"].startswith("text/event-stream")
    again = await read_sse(streamed)
    assert again[-1] == "[DONE]" and json.loads(again[0])["type"] == "sources"

    def stored():
        with tenant_scope(tenant.pk):
            return AnalysisQuery.objects.get(pk=events[-1]["query_id"])

    query = await sync_to_async(stored)()
    assert query.mode == "stream" and query.status == "completed"
    assert query.result["answer"] == "".join(deltas)

    other = await sync_to_async(make_client)(other_tenant, Role.VIEWER)
    response = await client.post(
        f"{URL}/stream", {"question": "Python developers in Madrid"}, content_type="application/json",
        headers={"Authorization": f"Bearer {other.access_token}"},
    )
    events = [json.loads(frame) for frame in (await read_sse(response))[:-1]]
    assert events[0]["sources"] == [] and events[0]["analytics"]["total_count"] == 0
    bad = await client.post(f"{URL}/stream", {"question": ""}, content_type="application/json", headers=auth)
    assert bad.status_code == 400
    await sync_to_async(connections.close_all)()  # the executor thread's connection would block the test DB teardown


@pytest.mark.django_db(transaction=True)
def test_async_query_runs_on_a_worker_with_progress(pool, tenant, other_tenant, make_client, celery_worker):
    client = make_client(tenant, Role.VIEWER)
    response = client.post(f"{URL}/query-async", {"query": "有哪些5年以上工作经验的Java开发工程师?", "top_k": 5}, format="json")
    assert response.status_code == 202, response.content
    task_id = response.json()["data"]["task_id"]
    assert response.json()["data"]["status"] == "pending"

    seen = []

    def finished():
        data = client.get(f"{URL}/tasks/{task_id}").json()["data"]
        seen.append((data["status"], data["progress"]["current"]))
        return data if data["status"] in ("completed", "failed") else None

    data = wait_until(finished, timeout=180, interval=0.1)
    assert data["status"] == "completed", data["error"]
    assert data["progress"] == {"current": 3, "total": 3, "percentage": 100.0, "message": "completed"}
    assert all(current <= 3 for _, current in seen)
    assert {s["name"] for s in data["result"]["sources"]} == {"John Smith", "王伟"}
    assert "位候选人" in data["result"]["answer"]
    export = client.get(f"{URL}/tasks/{task_id}/export")
    assert export.status_code == 200 and "# 分析报告" in export.content.decode()
    assert make_client(other_tenant, Role.ADMIN).get(f"{URL}/tasks/{task_id}").status_code == 404



@pytest.mark.django_db
def test_abandoned_stream_cancels_its_query(pool, tenant):
    from analytics.questions import Filters
    from analytics.services import analysis_query_create, analysis_stream

    with tenant_scope(tenant.pk):
        query = analysis_query_create(tenant_id=tenant.pk, user=None, question="Python developers", top_k=5,
                                      filters=Filters(), mode=AnalysisQuery.Mode.STREAM)
        events = analysis_stream(query=query)
        assert next(events)["type"] == "sources"
        events.close()  # what the SSE view does when the client goes away
        assert AnalysisQuery.objects.get(pk=query.pk).status == "cancelled"
