"""One extraction interface, interchangeable providers.

``extract_structured(text, provider=...)`` returns contract-valid data from:
- ``rules``: the offline parser (default; no network, no key);
- ``openai``: any OpenAI-compatible chat API (OpenAI, Azure OpenAI, Ollama, vLLM...);
- ``anthropic``: the Anthropic Messages API (the SDK is imported lazily);
- ``hybrid``: rules first, then an LLM fills or corrects what the rules missed,
  keeping only LLM contact values, companies and schools that appear in the text.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from .errors import UNSUPPORTED_TYPE, ExtractionError
from .llm_client import LLMConfig
from .postprocess import finalize
from .rules import parse as rules_parse

PROVIDERS = ("rules", "openai", "anthropic", "hybrid")
__all__ = ["PROVIDERS", "ExtractionResult", "LLMConfig", "empty_usage", "extract_structured"]


def empty_usage(model: str | None = None) -> dict[str, Any]:
    return {"prompt_tokens": 0, "completion_tokens": 0, "latency_ms": 0.0, "cost_usd": 0.0, "model": model, "calls": 0}


@dataclass
class ExtractionResult:
    data: dict
    provider: str
    usage: dict = field(default_factory=empty_usage)
    # LLM values dropped as not in the document: JSON pointer -> {"value", "reason"} (evidence records them).
    dropped: dict[str, dict[str, str]] = field(default_factory=dict)


def extract_structured(
    text: str,
    *,
    provider: str = "rules",
    llm: LLMConfig | None = None,
    today: date | None = None,
) -> ExtractionResult:
    """Structured CV data (validated ``CVData`` JSON) from extracted text."""
    today = today or date.today()
    if provider == "rules":
        start = time.perf_counter()
        data = finalize(rules_parse(text, today), text, today)
        usage = empty_usage()
        usage["latency_ms"] = round((time.perf_counter() - start) * 1000, 2)
        return ExtractionResult(data=data, provider=provider, usage=usage)
    if provider in ("openai", "anthropic", "hybrid"):
        from .llm import extract_with_llm

        return extract_with_llm(text, provider=provider, llm=llm, today=today)
    raise ExtractionError(UNSUPPORTED_TYPE, f"Unknown extraction provider {provider!r}.")
