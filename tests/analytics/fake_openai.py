"""A real OpenAI-compatible HTTP server on loopback, for the embedding and LLM providers' tests.

It answers /v1/embeddings with deterministic vectors (a hash of each input, unit length),
/v1/chat/completions (plain and streamed) with an answer that cites the first candidate id
found in the prompt, and /v1/models. Every request body is kept for assertions.
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def fake_vector(text: str, dim: int) -> list[float]:
    seed = hashlib.sha256(text.encode()).digest()
    values = [((seed[i % 32] + i * 37) % 251) / 125.0 - 1.0 for i in range(dim)]
    norm = math.sqrt(sum(v * v for v in values)) or 1.0
    return [v / norm for v in values]


class FakeOpenAI:
    def __init__(self, model: str = "fake-model"):
        self.model = model
        self.requests: list[dict[str, Any]] = []
        self.fail_chat = False
        self.ignore_dimensions = False
        server = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _json(self, status: int, body: dict[str, Any]) -> None:
                raw = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(raw)))
                self.end_headers()
                self.wfile.write(raw)

            def do_GET(self) -> None:  # noqa: N802
                if self.path.rstrip("/").endswith("/models"):
                    self._json(200, {"object": "list", "data": [{"id": server.model, "object": "model", "owned_by": "test"}]})
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def do_POST(self) -> None:  # noqa: N802
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                server.requests.append({"path": self.path, "body": body, "auth": self.headers.get("Authorization")})
                if self.path.endswith("/embeddings"):
                    inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
                    dim = 1536 if server.ignore_dimensions else body.get("dimensions") or 384
                    data = [{"object": "embedding", "index": i, "embedding": fake_vector(text, dim)} for i, text in enumerate(inputs)]
                    usage = {"prompt_tokens": 1, "total_tokens": 1}
                    self._json(200, {"object": "list", "data": data, "model": body["model"], "usage": usage})
                elif self.path.endswith("/chat/completions"):
                    if server.fail_chat:
                        self._json(500, {"error": {"message": "boom"}})
                        return
                    prompt = " ".join(message["content"] for message in body["messages"])
                    ids = UUID.findall(prompt)
                    answer = f"Grounded answer citing [{ids[0]}]." if ids else "No candidates in the context."
                    if body.get("stream"):
                        self._stream(answer)
                    else:
                        self._json(200, {
                            "id": "chatcmpl-1", "object": "chat.completion", "created": 0, "model": body["model"],
                            "choices": [{"index": 0, "message": {"role": "assistant", "content": answer}, "finish_reason": "stop"}],
                        })
                else:
                    self._json(404, {"error": {"message": "not found"}})

            def _stream(self, answer: str) -> None:
                self.send_response(200)
                self.send_header("Content-Type", "text/event-stream")
                self.end_headers()
                for word in re.findall(r"\S+\s*", answer):
                    chunk = {"id": "c1", "object": "chat.completion.chunk", "created": 0, "model": server.model,
                             "choices": [{"index": 0, "delta": {"content": word}, "finish_reason": None}]}
                    self.wfile.write(f"data: {json.dumps(chunk)}\n\n".encode())
                self.wfile.write(b"data: [DONE]\n\n")

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.base_url = f"http://127.0.0.1:{self.httpd.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeOpenAI:
        self.thread.start()
        return self

    def __exit__(self, *exc: Any) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
