"""The résumé-screening REST API (resume-screening-api.zh), every route as its clients call it: JWT from a form login,
the {success, message, data} envelope, pages {items, total, page, page_size, pages}, the roles admin/hr/viewer,
education levels in the specification's words (本科, 硕士), talents with masked contacts for viewers, uploads with
task progress over /ws/tasks, RAG analysis (sync, async, export, history) and monitoring."""

from __future__ import annotations

import json

import pytest
from websockets.sync.client import connect

from tenants.models import Role
from tests.analytics.conftest import make_candidate, pool  # noqa: F401 - the candidate pool the questions run over
from tests.conftest import wait_until
from tests.cvs import files

pytestmark = pytest.mark.django_db(transaction=True)

PAGE = {"items", "total", "page", "page_size", "pages"}
CV = ["王小明", "xiaoming.wang@example.com | 13812341234 | 北京", "Java开发工程师",
      "工作经历", "2018.07 - 至今  北京云科技有限公司  Java开发工程师", "负责 Java、Spring、MySQL 后端服务开发",
      "教育背景", "2014.09 - 2018.06  北京大学  计算机科学与技术  本科",
      "技能", "Java, Spring, MySQL, Redis"]


def ok(response, status=200):
    assert response.status_code == status, response.text
    body = response.json()
    assert body["success"] is True and isinstance(body["message"], str)
    return body["data"]


def refused(response, status):
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith("application/json")
    body = response.json()
    assert body["success"] is False and body["data"] is None and body["message"]


def page(data):
    assert set(data) >= PAGE, data
    return data["items"]


def listed_ids(client) -> set[str]:
    return {item["id"] for item in page(ok(client.get("/api/v1/talents", params={"page_size": 100})))}


def test_envelope_errors_and_roles(http, person):
    refused(http.get("/api/v1/talents"), 401)
    refused(http.post("/api/v1/auth/login", data={"username": "nobody", "password": "wrong-password"}), 401)
    viewer = person(Role.VIEWER)
    refused(viewer.get("/api/v1/users"), 403)
    refused(viewer.post("/api/v1/conditions", json={"name": "x", "conditions": {}}), 403)
    refused(viewer.get("/api/v1/monitor/metrics"), 403)
    refused(viewer.get("/api/v1/talents/00000000-0000-0000-0000-000000000000"), 404)
    refused(viewer.get("/api/v1/no-such-route"), 404)
    refused(person(Role.HR).get("/api/v1/talents", params={"page_size": "many"}), 400)
    refused(person(Role.HR).post("/api/v1/analysis/query", json={"question": ""}), 400)


def test_users_crud(person):
    admin = person(Role.ADMIN)
    created = ok(admin.post("/api/v1/users", json={"username": "newuser", "password": "password123",
                                                    "email": "user@example.com", "role": "hr"}), status=201)
    refused(admin.post("/api/v1/users", json={"username": "newuser", "password": "password123", "role": "hr"}), 409)
    items = page(ok(admin.get("/api/v1/users", params={"page": 1, "page_size": 20, "role": "hr", "keyword": "newuser"})))
    assert [item["username"] for item in items] == ["newuser"]
    assert set(items[0]) >= {"id", "username", "email", "role", "is_active", "created_at"}
    updated = ok(admin.put(f"/api/v1/users/{created['id']}", json={"email": "newemail@example.com", "role": "admin"}))
    assert updated["email"] == "newemail@example.com" and updated["role"] == "admin"
    ok(admin.delete(f"/api/v1/users/{created['id']}"))
    assert page(ok(admin.get("/api/v1/users", params={"keyword": "newuser"}))) == []


def test_conditions_crud_in_the_specifications_words(person):
    hr = person(Role.HR)
    created = ok(hr.post("/api/v1/conditions", json={
        "name": "前端开发工程师", "description": "2年以上前端开发经验",
        "conditions": {"education_level": ["本科"], "work_years_min": 2, "skills": ["Vue", "React", "TypeScript"],
                       "school_tier": []},
    }), status=201)
    ok(hr.put(f"/api/v1/conditions/{created['id']}", json={"name": "高级前端开发工程师", "conditions": {"work_years_min": 5}}))
    items = page(ok(hr.get("/api/v1/conditions", params={"page": 1, "page_size": 20})))
    (condition,) = items
    assert set(condition) >= {"id", "name", "description", "conditions", "created_at"}
    assert condition["name"] == "高级前端开发工程师" and condition["description"] == "2年以上前端开发经验"
    rules = condition["conditions"]
    assert rules["work_years_min"] == 5 and rules["skills"] == ["Vue", "React", "TypeScript"] and rules["school_tier"] == []
    assert rules["education_level"] == ["bachelor"]
    # In the caller's language on request.
    chinese = ok(hr.get(f"/api/v1/conditions/{created['id']}", headers={"Accept-Language": "zh-CN,zh;q=0.9"}))
    assert chinese["conditions"]["education_level"] == ["本科"]
    ok(hr.delete(f"/api/v1/conditions/{created['id']}"))
    assert page(ok(hr.get("/api/v1/conditions"))) == []


def test_talents_uploads_tasks_and_progress(celery_worker, person, asgi_server):
    hr = person(Role.HR)
    token = hr.headers["Authorization"].removeprefix("Bearer ")
    condition = ok(hr.post("/api/v1/conditions", json={
        "name": "Java开发工程师", "description": "3年以上Java开发经验",
        "conditions": {"education_level": ["本科", "硕士"], "work_years_min": 3, "skills": ["Java", "Spring", "MySQL"],
                       "school_tier": ["985", "211"]},
    }), status=201)
    with connect(f"ws://{asgi_server}/ws/tasks?token={token}", open_timeout=30) as socket:
        assert json.loads(socket.recv(timeout=30))["type"] == "connected"
        uploaded = ok(hr.post("/api/v1/talents/upload", files={"file": ("cv.docx", files.docx_bytes(CV))},
                              data={"condition_id": condition["id"]}))
        assert set(uploaded) >= {"talent_id", "is_qualified", "qualification_reason", "processing_time"}
        assert uploaded["is_qualified"] is True, uploaded["qualification_reason"]
        batch = ok(hr.post("/api/v1/talents/batch-upload", data={"condition_id": condition["id"]},
                           files=[("files", ("a.pdf", files.pdf_bytes())), ("files", ("b.docx", files.docx_bytes()))]), status=202)
        assert batch["file_count"] == 2 and batch["task_id"]
        updates = []
        while not any(u["task_id"] == batch["task_id"] and u["data"]["status"] == "completed" for u in updates):
            message = json.loads(socket.recv(timeout=90))
            if message["type"] == "task_update":
                assert set(message) >= {"type", "task_id", "data"} and set(message["data"]) >= {"status", "progress"}
                updates.append(message)
    assert {u["task_id"] for u in updates} >= {batch["task_id"]}
    progress = [u["data"]["progress"] for u in updates if u["task_id"] == batch["task_id"]][-1]
    assert progress["current"] == progress["total"] == 2 and progress["percentage"] == 100.0 and progress["message"]
    task = ok(hr.get(f"/api/v1/talents/tasks/{batch['task_id']}"))
    assert set(task) >= {"id", "name", "status", "progress", "created_at"} and task["status"] == "completed"
    refused(hr.post(f"/api/v1/talents/tasks/{batch['task_id']}/cancel"), 409)

    talent_id = uploaded["talent_id"]
    listed = page(ok(hr.get("/api/v1/talents", params={"page": 1, "page_size": 20, "screening_status": "qualified",
                                                         "education_level": "本科", "keyword": "王小明", "skills": "Java,Spring"})))
    assert [item["id"] for item in listed] == [talent_id]
    assert set(listed[0]) >= {"id", "name", "education_level", "school", "major", "work_years", "skills",
                              "screening_status", "created_at"}
    assert listed[0]["name"] == "王小明" and listed[0]["school"] == "北京大学" and listed[0]["screening_status"] == "qualified"
    chinese = page(ok(hr.get("/api/v1/talents", params={"keyword": "王小明", "lang": "zh"})))
    assert chinese[0]["education_level"] == "本科"

    detail = ok(person(Role.VIEWER).get(f"/api/v1/talents/{talent_id}"))
    assert set(detail) >= {"id", "name", "phone", "email", "education_level", "school", "major", "graduation_date", "work_years",
                           "skills", "work_experience", "projects", "screening_status", "qualification_reason", "photo_urls",
                           "created_at"}
    assert detail["phone"] == "138****1234" and detail["email"].endswith("***@example.com")
    assert set(detail["work_experience"][0]) >= {"company", "position", "duration"}
    assert detail["qualification_reason"]

    assert ok(hr.put(f"/api/v1/talents/{talent_id}", json={"name": "李四", "skills": ["Java", "Spring", "Kubernetes"]}))["name"] == "李四"
    ok(hr.delete(f"/api/v1/talents/{talent_id}"))
    assert talent_id not in listed_ids(hr)  # soft-deleted: out of the list, still restorable
    ok(hr.post(f"/api/v1/talents/{talent_id}/restore"))
    assert talent_id in listed_ids(hr)
    ok(hr.post("/api/v1/talents/batch-update-status", json={"ids": [talent_id], "screening_status": "unqualified"}))
    assert ok(hr.get(f"/api/v1/talents/{talent_id}"))["screening_status"] == "unqualified"
    synced = ok(hr.post("/api/v1/talents/sync-chroma"))
    assert set(synced) >= {"mysql_count", "chroma_count", "missing_in_chroma", "extra_in_chroma", "status_mismatch",
                           "fixed_count"}
    ok(hr.post("/api/v1/talents/batch-delete", json={"ids": [talent_id]}))
    assert talent_id not in listed_ids(hr)


def test_analysis_and_monitor(celery_worker, pool, person):  # noqa: F811
    hr = person(Role.HR)
    question = "有哪些5年以上工作经验的Java开发工程师?"
    answered = ok(hr.post("/api/v1/analysis/query", json={"question": question, "top_k": 10}))
    assert {source["name"] for source in answered["sources"]} == {"John Smith", "王伟"}
    assert set(answered["sources"][0]) >= {"id", "name", "school", "similarity", "content"}
    analytics = answered["analytics"]
    assert set(analytics) >= {"total_count", "avg_similarity", "by_education", "top_skills"}
    assert analytics["total_count"] == 2 and {"name": "Java", "count": 2} in analytics["top_skills"]
    chinese = ok(hr.post("/api/v1/analysis/query", json={"question": question}, headers={"Accept-Language": "zh"}))
    assert chinese["analytics"]["by_education"] == {"本科": 1, "硕士": 1}

    created = ok(hr.post("/api/v1/analysis/query-async", json={"query": question, "top_k": 10, "filters": None}), status=202)
    assert set(created) >= {"task_id", "status", "message"} and created["status"] == "pending"
    task = wait_until(lambda: (t := ok(hr.get(f"/api/v1/analysis/tasks/{created['task_id']}")))["status"] == "completed" and t,
                      timeout=90, interval=0.5)
    assert set(task) >= {"id", "name", "status", "progress", "result", "error", "created_at", "updated_at"}
    assert task["result"]["analytics"]["total_count"] == 2 and task["error"] is None
    export = hr.get(f"/api/v1/analysis/tasks/{created['task_id']}/export")
    assert export.status_code == 200 and export.headers["content-type"].startswith("text/markdown") and question in export.text
    history = page(ok(hr.get("/api/v1/analysis/history", params={"page": 1, "page_size": 20})))
    assert len(history) == 3

    metrics = ok(hr.get("/api/v1/monitor/metrics"))
    assert set(metrics) >= {"cpu_percent", "memory_percent", "disk_percent", "uptime", "talent_count", "qualified_count",
                            "unqualified_count"}
    assert metrics["talent_count"] == len(pool)
    logs = ok(hr.get("/api/v1/monitor/logs", params={"level": "INFO", "limit": 10}))
    assert isinstance(logs, list | dict)
    services = ok(hr.get("/api/v1/monitor/services"))
    for name in ("mysql", "redis", "minio", "chromadb"):
        assert services[name]["status"] == "healthy", (name, services[name])
