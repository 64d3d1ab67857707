"""The one LLM HTTP client: chat (OpenAI-compatible or Anthropic), streamed chat and embeddings.

Every call to a language-model API goes through here: the extraction providers, the analysis
answers and the OpenAI-compatible embedding provider. Django-free, like the rest of
``cvs.extraction``; the Django side describes the endpoint and the budget in :class:`LLMConfig`.

- One retry policy: only transient failures (timeouts, connection errors, 429, 5xx) are retried,
  at most ``max_retries`` times, with exponential backoff and jitter, honouring ``Retry-After``.
  The SDKs' own retries are off so there is no second policy underneath.
- One rate limit: ``requests_per_minute`` per (``rate_scope``, kind, API, base URL), taken before
  every attempt. With ``redis_url`` set the budget lives in Redis and is shared by every process
  that uses that Redis (a GCRA reservation in one Lua script, on Redis's clock, so N workers send
  the configured rate, not N times it). Without it (the evaluation CLI, the unit tests) it is a
  token bucket in this process.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, TypeVar

from .errors import LLM_ERROR, ExtractionError

T = TypeVar("T")

_MAX_BACKOFF_S = 30.0
_BACKOFF_BASE_S = 0.5


@dataclass
class LLMConfig:
    base_url: str | None
    api_key: str
    model: str
    timeout_s: float = 60
    max_retries: int = 3
    requests_per_minute: int = 60
    input_cost_per_mtok: float = 0.0
    output_cost_per_mtok: float = 0.0
    api: str = "openai"  # "openai" | "anthropic"
    # About 3-4k tokens: fits every context window with room for the answer.
    max_chunk_chars: int = 12_000
    # Whose budget a call spends (a tenant id); calls of different scopes never wait for each other.
    rate_scope: str = ""
    # Where the shared budget lives; None keeps it in this process.
    redis_url: str | None = None
    redis_key_prefix: str = ""


class LLMError(ExtractionError):
    """A call that failed for good: a permanent error, or a transient one after the last retry."""

    def __init__(self, message: str, *, status: int | None = None, latency_ms: float = 0.0) -> None:
        super().__init__(LLM_ERROR, message)
        self.status = status
        self.latency_ms = latency_ms


@dataclass
class Reply:
    text: str
    prompt_tokens: int
    completion_tokens: int
    latency_ms: float  # time spent in the attempts, failed ones included; not in waits


# ---------------------------------------------------------------- rate limiting


class TokenBucket:
    """Thread-safe token bucket: ``rate`` tokens per second, bursts up to ``capacity``."""

    def __init__(self, rate: float, capacity: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.capacity = capacity
        self._tokens = capacity
        self._clock = clock
        self._stamp = clock()
        self._lock = threading.Lock()

    def acquire(self) -> float:
        """Take one token, sleeping as needed; returns the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                now = self._clock()
                self._tokens = min(self.capacity, self._tokens + (now - self._stamp) * self.rate)
                self._stamp = now
                if self._tokens >= 1:
                    self._tokens -= 1
                    return waited
                delay = (1 - self._tokens) / self.rate
            time.sleep(delay)
            waited += delay


# GCRA as a reservation: each caller moves the key's "theoretical arrival time" one interval on
# and learns how long to sleep before its slot. One round trip, no polling, first come first served.
_GCRA = """
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local next_tat = tat + interval
local wait = next_tat - burst * interval - now
if wait < 0 then wait = 0 end
redis.call('SET', KEYS[1], string.format('%.6f', next_tat), 'PX', math.ceil((next_tat - now) * 1000) + 1000)
return string.format('%.6f', wait)
"""


class SharedRateLimit:
    """``rate`` requests per second with bursts up to ``burst``, across every process using ``url``."""

    def __init__(self, url: str, key: str, rate: float, burst: float) -> None:
        self.key = key
        self.interval = 1.0 / rate
        self.burst = burst
        self._script = _redis(url).register_script(_GCRA)

    def acquire(self) -> float:
        """Reserve the next slot and sleep until it; returns the seconds waited."""
        wait = float(self._script(keys=[self.key], args=[self.interval, self.burst]))
        if wait > 0:
            time.sleep(wait)
        return wait


@lru_cache(maxsize=8)
def _redis(url: str) -> Any:
    import redis

    return redis.Redis.from_url(url)


_LOCAL_BUCKETS: dict[tuple[str, ...], TokenBucket] = {}
_LOCAL_LOCK = threading.Lock()


def rate_limiter(config: LLMConfig, kind: str = "chat") -> TokenBucket | SharedRateLimit:
    """The budget a call of ``kind`` ("chat" or "embeddings") to this endpoint spends."""
    rpm = max(1, config.requests_per_minute)
    rate, burst = rpm / 60.0, max(1.0, rpm / 60.0 * 5)
    if config.redis_url:
        key = f"{config.redis_key_prefix}llm-rate:{config.rate_scope}:{kind}:{config.api}:{config.base_url or ''}:{rpm}"
        return SharedRateLimit(config.redis_url, key, rate, burst)
    local_key = (config.rate_scope, kind, config.api, config.base_url or "", str(rpm))
    with _LOCAL_LOCK:
        if local_key not in _LOCAL_BUCKETS:
            _LOCAL_BUCKETS[local_key] = TokenBucket(rate=rate, capacity=burst)
        return _LOCAL_BUCKETS[local_key]


# ---------------------------------------------------------------- the retry policy


def _transient(exc: Exception) -> tuple[bool, float | None]:
    """Whether an SDK error is worth retrying, and the server's Retry-After."""
    status = getattr(exc, "status_code", None)
    retry_after = None
    response = getattr(exc, "response", None)
    if response is not None:
        try:
            retry_after = float(response.headers.get("retry-after"))
        except (TypeError, ValueError):
            retry_after = None
    if type(exc).__name__ in ("APITimeoutError", "APIConnectionError"):
        return True, None
    if status is not None:
        return status == 429 or status >= 500, retry_after
    return False, None


def _with_retries(config: LLMConfig, kind: str, request: Callable[[], T]) -> tuple[T, float]:
    """``request()``'s result and the milliseconds its attempts took, under the one retry policy."""
    limiter = rate_limiter(config, kind)
    attempt, spent = 0, 0.0
    while True:
        limiter.acquire()
        start = time.perf_counter()
        try:
            result = request()
        except Exception as exc:  # noqa: BLE001 - classified below
            spent += (time.perf_counter() - start) * 1000
            retry, retry_after = _transient(exc)
            if not retry or attempt >= config.max_retries:
                status = getattr(exc, "status_code", None)
                raise LLMError(f"The language model call failed: {exc}", status=status, latency_ms=spent) from exc
            delay = retry_after if retry_after is not None else _BACKOFF_BASE_S * 2**attempt
            time.sleep(min(_MAX_BACKOFF_S, delay) * random.uniform(1.0, 1.25))
            attempt += 1
            continue
        return result, spent + (time.perf_counter() - start) * 1000


# ---------------------------------------------------------------- calls


@lru_cache(maxsize=16)
def _sdk_client(api: str, base_url: str | None, api_key: str, timeout_s: float) -> Any:
    """One SDK client per endpoint and process: its connection pool is reused across calls."""
    if api == "anthropic":
        try:
            import anthropic
        except ImportError as exc:  # optional dependency
            raise LLMError("The anthropic package is not installed.") from exc
        return anthropic.Anthropic(base_url=base_url, api_key=api_key or "none", timeout=timeout_s, max_retries=0)
    import openai

    return openai.OpenAI(base_url=base_url or None, api_key=api_key or "none", timeout=timeout_s, max_retries=0)


def _client(config: LLMConfig, api: str | None = None) -> Any:
    return _sdk_client(api or config.api, config.base_url, config.api_key, float(config.timeout_s))


def chat(config: LLMConfig, system: str, user: str, *, json_output: bool = False, temperature: float = 0,
         max_tokens: int = 4096) -> Reply:
    """One completion of ``user`` under the ``system`` prompt (``temperature`` and ``json_output``: OpenAI API only)."""
    client = _client(config)
    if config.api == "anthropic":
        response, spent = _with_retries(config, "chat", lambda: client.messages.create(
            model=config.model, system=system, messages=[{"role": "user", "content": user}], max_tokens=max_tokens
        ))
        text = "".join(getattr(block, "text", "") for block in response.content)
        return Reply(text, response.usage.input_tokens, response.usage.output_tokens, spent)
    response, spent = _with_retries(config, "chat", lambda: client.chat.completions.create(
        model=config.model,
        messages=[{"role": "system", "content": system}, {"role": "user", "content": user}],
        temperature=temperature,
        max_tokens=max_tokens,
        **({"response_format": {"type": "json_object"}} if json_output else {}),
    ))
    usage = response.usage
    return Reply(
        response.choices[0].message.content or "",
        getattr(usage, "prompt_tokens", 0) or 0,
        getattr(usage, "completion_tokens", 0) or 0,
        spent,
    )


def chat_stream(config: LLMConfig, messages: list[dict[str, str]], *, temperature: float = 0) -> Iterator[str]:
    """Text deltas of an OpenAI-compatible streamed completion. Opening the stream is retried;
    a failure after the first delta is raised as it is: the caller has already shown part of it."""
    client = _client(config, "openai")
    stream, _ = _with_retries(config, "chat", lambda: client.chat.completions.create(
        model=config.model, messages=messages, temperature=temperature, stream=True
    ))
    with stream:  # closes the response if the caller stops early
        try:
            for chunk in stream:
                if chunk.choices and chunk.choices[0].delta and chunk.choices[0].delta.content:
                    yield chunk.choices[0].delta.content
        except Exception as exc:  # noqa: BLE001 - the SDK's errors, one type for callers
            raise LLMError(f"The language model stream failed: {exc}") from exc


def embed(config: LLMConfig, texts: list[str], *, dimensions: int) -> list[list[float]]:
    """Vectors of an OpenAI-compatible ``/embeddings`` endpoint, in the order of ``texts``."""
    client = _client(config, "openai")
    response, _ = _with_retries(config, "embeddings", lambda: client.embeddings.create(
        model=config.model, input=texts, dimensions=dimensions
    ))
    return [item.embedding for item in sorted(response.data, key=lambda item: item.index)]


def list_models(config: LLMConfig) -> list[str]:
    """The endpoint's model ids: one attempt, no budget spent; for health checks."""
    try:
        return [model.id for model in _client(config, "openai").models.list()]
    except Exception as exc:  # noqa: BLE001 - the SDK's errors, one type for callers
        raise LLMError(f"The language model API did not answer: {exc}", status=getattr(exc, "status_code", None)) from exc
