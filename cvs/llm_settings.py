"""The LLM client's configuration from Django settings: one reading for extraction, answers and embeddings.

Every config carries the tenant whose budget a call spends and the Redis that holds the budgets, so
the rate limit is per tenant and endpoint and shared by all worker processes.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings

from cvs.extraction.llm_client import LLMConfig


def _budget(tenant_id: Any) -> dict[str, Any]:
    return {"rate_scope": str(tenant_id or ""), "redis_url": settings.REDIS_URL, "redis_key_prefix": settings.REDIS_KEY_PREFIX}


def llm_config(*, tenant_id: Any, model: str = "") -> LLMConfig | None:
    """The chat endpoint for one tenant's calls; None when no LLM endpoint is configured."""
    if not settings.LLM_BASE_URL and not settings.LLM_API_KEY:
        return None
    return LLMConfig(
        base_url=settings.LLM_BASE_URL,
        api_key=settings.LLM_API_KEY,
        model=model or settings.LLM_MODEL,
        timeout_s=settings.LLM_TIMEOUT_SECONDS,
        requests_per_minute=settings.LLM_REQUESTS_PER_MINUTE,
        api=settings.LLM_API,
        **_budget(tenant_id),
    )


def embedding_config(*, tenant_id: Any) -> LLMConfig:
    """The OpenAI-compatible embeddings endpoint for one tenant's calls."""
    return LLMConfig(
        base_url=settings.EMBEDDING_BASE_URL,
        api_key=settings.EMBEDDING_API_KEY,
        model=settings.EMBEDDING_MODEL,
        timeout_s=settings.EMBEDDING_TIMEOUT_SECONDS,
        max_retries=2,
        requests_per_minute=settings.EMBEDDING_REQUESTS_PER_MINUTE,
        **_budget(tenant_id),
    )
