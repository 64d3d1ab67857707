"""The whole labelled corpus as one HR batch, screened against one condition, watched over a real WebSocket.

A real ASGI server (uvicorn) and a real Celery worker run as child processes against the test
database; the test talks to them only over HTTP and WebSocket, as the HR front end does.
"""

import json
import time

import httpx
import pytest
from websockets.sync.client import connect

from cvs.extraction.levels import education_level, highest_level
from cvs.models import CVJob
from screening.criteria import criteria_parse
from screening.engine import Profile, Screener
from screening.models import School, ScreeningResult
from screening.schools import SchoolIndex
from tenants.scoping import scopes_disabled
from tests.conftest import CORPUS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.slow]

CORPUS_FILES = sorted(p for p in CORPUS.glob("cv*") if p.suffix != ".json") if CORPUS.exists() else []
CRITERIA = {"education_level": "bachelor", "work_years_min": 5, "skills": ["Python"], "school_tier": ["985", "211", "top-200"]}


def _truth_profile(truth: dict) -> Profile:
    levels = [education_level(entry["degree"]) for entry in truth["education"]]
    return Profile(
        education_level=highest_level(levels),
        years=truth["years_of_experience"],
        skills=truth["skills"] + truth["tools_in_jobs"],
        institutions=[entry["institution"] for entry in truth["education"]],
        languages=[truth["language"], *truth["languages"]],
        location=truth["contact_info"]["location"] or "",
    )


def _agreement_with_labels(jobs: list[CVJob]) -> dict[str, str]:
    """Per criterion, how often the verdict on the extracted data equals the verdict on the labelled truth."""
    screener = Screener(SchoolIndex.build(School.objects.all()))
    criteria = criteria_parse(CRITERIA)
    same: dict[str, list[bool]] = {}
    for job in jobs:
        truth = json.loads((CORPUS / f"{job.file_name}.json").read_text())
        expected = screener.evaluate(criteria, _truth_profile(truth))
        got = job.enrichment["screening"]
        for want, have in zip(expected.reasons, got["reasons"], strict=True):
            same.setdefault(want["criterion"], []).append(want["passed"] == have["passed"])
        same.setdefault("verdict", []).append(expected.is_qualified == got["is_qualified"])
    return {name: f"{sum(hits)}/{len(hits)}" for name, hits in same.items()}


@pytest.fixture
def server(asgi_server):
    return asgi_server


@pytest.mark.skipif(not CORPUS_FILES, reason="the shared corpus is not beside the repository")
def test_corpus_batch_screened_with_live_progress(celery_worker, server, make_client, tenant):
    token = make_client(tenant, "hr").access_token
    http = httpx.Client(base_url=f"http://{server}/api/v1", headers={"Authorization": f"Bearer {token}"}, timeout=120)
    condition = http.post("/conditions", json={"name": "Senior Python", "criteria": CRITERIA}).json()["data"]

    with connect(f"ws://{server}/ws/tasks?token={token}", open_timeout=30) as socket:
        assert json.loads(socket.recv(timeout=30))["type"] == "connected"
        started = time.monotonic()
        response = http.post("/talents/batch-upload", data={"condition_id": condition["id"]},
                             files=[("files", (path.name, path.read_bytes())) for path in CORPUS_FILES])
        assert response.status_code == 202, response.text
        batch_id = response.json()["data"]["task_id"]
        assert response.json()["data"]["file_count"] == len(CORPUS_FILES)

        updates = []
        deadline = time.monotonic() + 2400
        while not updates or updates[-1]["progress"]["percentage"] < 100:
            assert time.monotonic() < deadline, updates[-1:] or "no progress received"
            message = json.loads(socket.recv(timeout=deadline - time.monotonic()))
            if message["type"] == "task_update" and message["data"].get("kind") == "batch" and message["data"]["task_id"] == batch_id:
                updates.append(message["data"])
        elapsed = time.monotonic() - started

    final = http.get(f"/talents/tasks/{batch_id}").json()["data"]
    assert final["status"] == "completed" and final["progress"]["current"] == len(CORPUS_FILES)
    assert updates[-1]["status"] == "completed" and updates[-1]["progress"]["total"] == len(CORPUS_FILES)
    assert len(updates) >= 0.8 * len(CORPUS_FILES)  # one event per finished file; a few may coincide
    counts = final["counts"]
    assert counts["completed"] == len(CORPUS_FILES), counts
    assert counts["qualified"] + counts["unqualified"] == counts["completed"]

    with scopes_disabled():
        jobs = list(CVJob.objects.filter(batch_id=batch_id))
        results = {r.candidate_id: r for r in ScreeningResult.objects.filter(condition_id=condition["id"])}
        agreement = _agreement_with_labels(jobs)
    for job in jobs:
        screening = job.enrichment["screening"]
        assert screening["condition_id"] == condition["id"], job.file_name
        assert {r["criterion"] for r in screening["reasons"]} == {"education_level_min", "work_years_min", "skills", "school_tier"}
        assert all(r["detail"].endswith((": pass", ": fail", ": present", ": missing")) for r in screening["reasons"])
    assert set(results) == {job.candidate_id for job in jobs}
    assert all(len(result.reasons) == 4 for result in results.values())
    print(f"\nscreening agreement with the corpus labels (same criteria on the true data): {agreement}")
    print(f"{len(jobs)} CVs in {elapsed:.0f}s; {len(updates)} progress events; {counts['qualified']} qualified, "
          f"{counts['unqualified']} unqualified; {len(results)} distinct candidates; e.g. {next(iter(results.values())).summary}")
