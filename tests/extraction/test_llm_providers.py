"""LLM providers against a local HTTP server, through the real openai/anthropic SDKs."""

import threading
import time
from collections.abc import Iterator
from datetime import date

import jsonschema
import pytest

from cvs.extraction.errors import ExtractionError
from cvs.extraction.evidence import build_evidence, key_confidence, value_at
from cvs.extraction.llm import chunk_text
from cvs.extraction.llm_client import TokenBucket
from cvs.extraction.providers import LLMConfig, extract_structured
from cvs.extraction.schema import load_json_schema

from .llm_server import CANNED_CV, FakeLLMServer

TODAY = date(2026, 10, 15)

CV_TEXT = """Jane Doe
Data Engineer
jane.doe@example.com | +44 20 7946 0958 | London | linkedin.com/in/jane-doe

EXPERIENCE
Data Engineer at Acme Analytics Ltd
Jan 2021 - Present
- Built streaming pipelines
Kafka, Python

EDUCATION
BSc Computer Science
University of Leeds, 2015 - 2018

SKILLS
Python, PostgreSQL, Kafka
"""


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as srv:
        yield srv


def _config(server: FakeLLMServer, api: str = "openai", **kwargs) -> LLMConfig:
    base = server.anthropic_base_url if api == "anthropic" else server.openai_base_url
    defaults = {"requests_per_minute": 6000, "input_cost_per_mtok": 2.0, "output_cost_per_mtok": 8.0}
    return LLMConfig(base_url=base, api_key="test-key", model="test-model", api=api, **{**defaults, **kwargs})


def test_openai_provider(server: FakeLLMServer) -> None:
    result = extract_structured(CV_TEXT, provider="openai", llm=_config(server), today=TODAY)
    data = result.data
    assert result.provider == "openai"
    assert data["contact_info"]["name"] == "Jane Doe"
    assert data["contact_info"]["phone_e164"] is None or data["contact_info"]["phone_e164"].startswith("+44")
    assert data["experience"][0]["company"] == "Acme Analytics Ltd"
    assert data["skills"] == ["Python", "PostgreSQL", "Kafka"]  # "postgres" canonicalised
    assert data["education_level"] == "bachelor"
    assert data["years_of_experience"] == 5.8  # 2021-01 .. 2026-10, computed, not trusted
    request = server.requests[0]
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["authorization"] == "Bearer test-key"
    assert request["body"]["model"] == "test-model"
    assert "Jane Doe" in request["body"]["messages"][-1]["content"]
    usage = result.usage
    assert usage["calls"] == 1 and usage["model"] == "test-model"
    assert usage["prompt_tokens"] > 0 and usage["completion_tokens"] > 0
    expected_cost = (usage["prompt_tokens"] * 2.0 + usage["completion_tokens"] * 8.0) / 1_000_000
    assert usage["cost_usd"] == pytest.approx(expected_cost, rel=1e-3)
    assert usage["latency_ms"] > 0


def test_anthropic_provider(server: FakeLLMServer) -> None:
    result = extract_structured(CV_TEXT, provider="anthropic", llm=_config(server, api="anthropic"), today=TODAY)
    assert result.data["contact_info"]["email"] == "jane.doe@example.com"
    request = server.requests[0]
    assert request["path"] == "/v1/messages"
    headers = request["headers"]
    assert headers.get("x-api-key") == "test-key" or headers.get("authorization") == "Bearer test-key"
    assert "anthropic-version" in headers
    assert request["body"]["system"]
    assert result.usage["calls"] == 1 and result.usage["prompt_tokens"] > 0


@pytest.mark.parametrize("api", ["openai", "anthropic"])
def test_transient_errors_are_retried(server: FakeLLMServer, api: str) -> None:
    server.fail_next(429, 500, 503)
    result = extract_structured(CV_TEXT, provider=api, llm=_config(server, api=api, max_retries=3), today=TODAY)
    assert len(server.requests) == 4
    assert result.usage["calls"] == 1
    assert result.data["contact_info"]["name"] == "Jane Doe"


def test_retries_are_bounded(server: FakeLLMServer) -> None:
    server.fail_next(500, 500, 500)
    with pytest.raises(ExtractionError) as info:
        extract_structured(CV_TEXT, provider="openai", llm=_config(server, max_retries=2), today=TODAY)
    assert info.value.code == "llm_error"
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [400, 401, 404])
def test_permanent_errors_are_not_retried(server: FakeLLMServer, status: int) -> None:
    server.fail_next(status)
    with pytest.raises(ExtractionError) as info:
        extract_structured(CV_TEXT, provider="openai", llm=_config(server), today=TODAY)
    assert info.value.code == "llm_error"
    assert len(server.requests) == 1


def test_timeouts_are_retried(server: FakeLLMServer) -> None:
    server.fail_next(200, delay_s=1.5)  # the first reply comes too late
    result = extract_structured(CV_TEXT, provider="openai", llm=_config(server, timeout_s=0.5), today=TODAY)
    assert result.data["contact_info"]["name"] == "Jane Doe"
    assert len(server.requests) == 2


def test_invalid_model_output_is_an_llm_error() -> None:
    bad = FakeLLMServer(responder=lambda _t: {"experience": [{"start_date": "sometime"}]})
    with bad as srv, pytest.raises(ExtractionError) as info:
        extract_structured(CV_TEXT, provider="openai", llm=_config(srv), today=TODAY)
    assert info.value.code == "llm_error"


def test_missing_settings_is_an_llm_error() -> None:
    with pytest.raises(ExtractionError) as info:
        extract_structured(CV_TEXT, provider="openai", llm=None)
    assert info.value.code == "llm_error"


def _hallucinating(_text: str) -> dict:
    data = {**CANNED_CV}
    data["contact_info"] = {**CANNED_CV["contact_info"], "github": "github.com/not-in-the-cv", "name": "Janet Doe"}
    data["experience"] = [
        *CANNED_CV["experience"],
        {"title": "CTO", "company": "Imaginary Unicorn Inc", "start_date": "2010-01", "end_date": "2012-01"},
    ]
    data["education"] = [*CANNED_CV["education"], {"institution": "Hogwarts School", "degree": "MSc"}]
    return data


@pytest.mark.parametrize("provider", ["openai", "hybrid"])
def test_grounding_drops_invented_values(provider: str) -> None:
    with FakeLLMServer(responder=_hallucinating) as srv:
        data = extract_structured(CV_TEXT, provider=provider, llm=_config(srv), today=TODAY).data
    companies = [job["company"] for job in data["experience"]]
    assert "Imaginary Unicorn Inc" not in companies
    assert "Acme Analytics Ltd" in companies
    assert "Hogwarts School" not in [e["institution"] for e in data["education"]]
    assert data["contact_info"]["github"] is None
    # Rules found the real name; an invented one never replaces or appears.
    assert data["contact_info"]["name"] in ("Jane Doe", None)


@pytest.mark.parametrize("provider", ["openai", "hybrid"])
def test_grounding_records_what_it_dropped(provider: str) -> None:
    with FakeLLMServer(responder=_hallucinating) as srv:
        result = extract_structured(CV_TEXT, provider=provider, llm=_config(srv), today=TODAY)
    data = result.data
    evidence = build_evidence(data, CV_TEXT, result.provider, dropped=result.dropped)
    jsonschema.validate(evidence, load_json_schema()["$defs"]["evidence"])
    dropped = {entry["dropped"]: (pointer, entry) for pointer, entry in evidence.items() if "dropped" in entry}
    assert set(dropped) == {"github.com/not-in-the-cv", "Janet Doe", "Imaginary Unicorn Inc", "Hogwarts School"}
    assert all(entry["reason"] == "not_in_document" for _, entry in dropped.values())
    github_pointer, github = dropped["github.com/not-in-the-cv"]
    assert github_pointer == "/contact_info/github" and github["confidence"] == 0.0 and github["span"] is None
    company_pointer, _ = dropped["Imaginary Unicorn Inc"]
    assert value_at(data, company_pointer) is None
    # The invented name: openai leaves the name empty (a key value: the job needs review); hybrid kept
    # the rules' name, whose own confidence stands beside the record.
    name = evidence["/contact_info/name"]
    assert dropped["Janet Doe"][0] == "/contact_info/name"
    if provider == "openai":
        assert data["contact_info"]["name"] is None and key_confidence(data, evidence) == 0.0
        # The invented company's job kept its title: the record sits on that job, whose company is empty.
        assert value_at(data, company_pointer.rsplit("/", 1)[0] + "/title") == "CTO"
    else:
        assert data["contact_info"]["name"] == "Jane Doe" and name["match"] == "exact" and name["confidence"] > 0.9
        # hybrid appends no LLM job without a company: the record is keyed past the end of the list.
        assert company_pointer == f"/experience/{len(data['experience'])}/company"
    # Grounded values carry no record.
    assert evidence["/experience/0/company"]["match"] == "exact" and "dropped" not in evidence["/experience/0/company"]


def test_hybrid_fills_what_rules_missed() -> None:
    # The rules cannot read this heading-less entry; the LLM (grounded) can.
    text = CV_TEXT + "\nVolunteer\nMentor, Code Club Leeds\n"

    def responder(_text: str) -> dict:
        data = {**CANNED_CV, "certifications": [{"name": "Mentor of the year", "issuer": None, "year": 2020}]}
        data["summary"] = "Engineer and mentor."
        return data

    with FakeLLMServer(responder=responder) as srv:
        result = extract_structured(text, provider="hybrid", llm=_config(srv), today=TODAY)
    data = result.data
    assert result.provider == "hybrid"
    assert data["summary"] == "Engineer and mentor."
    assert data["certifications"][0]["name"] == "Mentor of the year"
    assert data["experience"][0]["title"] == "Data Engineer"  # rules value kept
    assert result.usage["calls"] == 1


def test_long_cv_is_chunked_and_merged() -> None:
    jobs = [f"Engineer at Company{i} Ltd\nJan {2000 + i} - Dec {2000 + i}\n" + "- did things\n" * 40 for i in range(12)]
    text = "Jane Doe\njane.doe@example.com\nEXPERIENCE\n" + "\n".join(jobs)
    assert len(chunk_text(text, 4000)) > 1

    def responder(chunk: str) -> dict:
        found = [line for line in chunk.splitlines() if line.startswith("Engineer at ")]
        return {
            "contact_info": {"name": "Jane Doe", "email": "jane.doe@example.com", "phone": None},
            "experience": [{"title": "Engineer", "company": line.split(" at ", 1)[1]} for line in found],
            "education": [],
            "skills": ["Python"],
        }

    with FakeLLMServer(responder=responder) as srv:
        result = extract_structured(text, provider="openai", llm=_config(srv, max_chunk_chars=4000), today=TODAY)
        calls = len(srv.requests)
    assert calls > 1 and result.usage["calls"] == calls
    companies = {job["company"] for job in result.data["experience"]}
    assert companies == {f"Company{i} Ltd" for i in range(12)}
    assert result.data["skills"] == ["Python"]


def test_token_bucket_spaces_requests_across_threads() -> None:
    bucket = TokenBucket(rate=20.0, capacity=1.0)
    stamps: list[float] = []
    lock = threading.Lock()

    def worker() -> None:
        for _ in range(3):
            bucket.acquire()
            with lock:
                stamps.append(time.monotonic())

    threads = [threading.Thread(target=worker) for _ in range(4)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    # 12 tokens at 20/s with a burst of 1 take at least 11/20 s.
    assert len(stamps) == 12
    assert max(stamps) - start >= 0.5


def test_rate_limit_applies_to_provider_calls(server: FakeLLMServer) -> None:
    config = _config(server, requests_per_minute=120)  # 2 per second, burst 10
    for _ in range(12):
        extract_structured("Jane Doe\njane.doe@example.com", provider="openai", llm=config, today=TODAY)
    times = [r["time"] for r in server.requests]
    assert times[-1] - times[0] >= 0.8


def test_hybrid_degrades_to_rules_when_the_llm_is_down(server: FakeLLMServer) -> None:
    server.fail_next(503, 503)
    result = extract_structured(CV_TEXT, provider="hybrid", llm=_config(server, max_retries=1), today=TODAY)
    assert result.data["contact_info"]["name"] == "Jane Doe"
    assert result.data["experience"][0]["company"] == "Acme Analytics Ltd"
    assert "503" in result.usage["error"] and result.usage["calls"] == 0
