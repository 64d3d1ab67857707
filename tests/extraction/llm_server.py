"""A local LLM test server speaking the OpenAI and Anthropic HTTP APIs.

Real SDK clients talk real HTTP to it (``http.server.ThreadingHTTPServer`` on
127.0.0.1 in a thread). Responses are canned but shaped like the real APIs,
with token usage. Tests can queue failures (429, 500, slow replies) to prove
retries, and choose the CV JSON returned per request.

Usage::

    with FakeLLMServer(responder=lambda cv_text: {...}) as server:
        server.fail_next(429, 500)
        LLMConfig(base_url=server.openai_base_url, api_key="test", model="m")
        LLMConfig(base_url=server.anthropic_base_url, api_key="test", model="m", api="anthropic")
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Callable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

Responder = Callable[[str], dict]

CANNED_CV: dict[str, Any] = {
    "language": "en",
    "contact_info": {
        "name": "Jane Doe",
        "email": "jane.doe@example.com",
        "phone": "+44 20 7946 0958",
        "location": "London",
        "linkedin": "linkedin.com/in/jane-doe",
        "github": None,
        "website": None,
    },
    "headline": "Data Engineer",
    "summary": "Data engineer with six years of experience.",
    "experience": [
        {
            "title": "Data Engineer",
            "company": "Acme Analytics Ltd",
            "period": "Jan 2021 - Present",
            "start_date": "2021-01",
            "end_date": None,
            "is_current": True,
            "tasks": ["Built streaming pipelines"],
            "tech_tools": ["Kafka", "Python"],
        }
    ],
    "education": [
        {"institution": "University of Leeds", "degree": "BSc Computer Science", "level": "bachelor", "end_date": "2018"}
    ],
    "skills": ["Python", "postgres", "Kafka"],
    "languages": [{"language": "English", "level": "Native"}],
    "certifications": [],
    "projects": [],
}


def _cv_text(messages: list[dict]) -> str:
    for message in reversed(messages):
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):
                return "".join(part.get("text", "") for part in content if isinstance(part, dict))
            return str(content)
    return ""


class FakeLLMServer:
    def __init__(self, responder: Responder | None = None) -> None:
        self.responder: Responder = responder or (lambda _text: CANNED_CV)
        self.requests: list[dict] = []  # {"path", "headers", "body", "time"}
        self._failures: list[tuple[int, float]] = []
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    # -- control

    def fail_next(self, *statuses: int, delay_s: float = 0.0) -> None:
        """Answer the next requests with these HTTP statuses (then succeed)."""
        with self._lock:
            self._failures.extend((status, delay_s) for status in statuses)

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def openai_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/v1"

    @property
    def anthropic_base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def __enter__(self) -> FakeLLMServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)

    # -- HTTP

    def _next_failure(self) -> tuple[int, float] | None:
        with self._lock:
            return self._failures.pop(0) if self._failures else None

    def _handler(self) -> type[BaseHTTPRequestHandler]:
        server = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: object) -> None:  # keep test output clean
                pass

            def _send(self, status: int, payload: dict, headers: dict[str, str] | None = None) -> None:
                body = json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                for name, value in (headers or {}).items():
                    self.send_header(name, value)
                self.end_headers()
                self.wfile.write(body)

            def do_POST(self) -> None:  # noqa: N802 - http.server API
                length = int(self.headers.get("Content-Length") or 0)
                body = json.loads(self.rfile.read(length) or b"{}")
                headers = {k.lower(): v for k, v in self.headers.items()}
                with server._lock:
                    server.requests.append({"path": self.path, "headers": headers, "body": body, "time": time.monotonic()})
                failure = server._next_failure()
                if failure is not None:
                    status, delay = failure
                    time.sleep(delay)
                    error = {"type": "rate_limit_error" if status == 429 else "api_error", "message": f"status {status}"}
                    self._send(status, {"error": error, "type": "error"}, {"Retry-After": "0"} if status == 429 else None)
                    return
                text = _cv_text(body.get("messages") or [])
                content = json.dumps(server.responder(text), ensure_ascii=False)
                prompt_tokens = max(1, len(json.dumps(body)) // 4)
                completion_tokens = max(1, len(content) // 4)
                if self.path.endswith("/chat/completions"):
                    self._send(200, _openai_reply(body, content, prompt_tokens, completion_tokens))
                elif self.path.endswith("/messages"):
                    self._send(200, _anthropic_reply(body, content, prompt_tokens, completion_tokens))
                else:
                    self._send(404, {"error": {"message": f"no route {self.path}"}})

        return Handler


def _openai_reply(body: dict, content: str, prompt_tokens: int, completion_tokens: int) -> dict:
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:12]}",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": body.get("model", "test-model"),
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop", "logprobs": None}
        ],
        "usage": {
            "prompt_tokens": prompt_tokens,
            "completion_tokens": completion_tokens,
            "total_tokens": prompt_tokens + completion_tokens,
        },
    }


def _anthropic_reply(body: dict, content: str, prompt_tokens: int, completion_tokens: int) -> dict:
    return {
        "id": f"msg_{uuid.uuid4().hex[:12]}",
        "type": "message",
        "role": "assistant",
        "model": body.get("model", "test-model"),
        "content": [{"type": "text", "text": content}],
        "stop_reason": "end_turn",
        "stop_sequence": None,
        "usage": {"input_tokens": prompt_tokens, "output_tokens": completion_tokens},
    }
