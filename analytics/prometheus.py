"""Prometheus metrics: request latency from the middleware, and platform gauges read at scrape time.

Gauges are platform-wide (no tenant label): the scrape endpoint is for operators, and per-tenant
labels would both leak tenant ids and explode cardinality.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from datetime import timedelta

from prometheus_client import CollectorRegistry, GCCollector, Histogram, PlatformCollector, ProcessCollector
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

logger = logging.getLogger(__name__)

REGISTRY = CollectorRegistry(auto_describe=True)
ProcessCollector(registry=REGISTRY)
PlatformCollector(registry=REGISTRY)
GCCollector(registry=REGISTRY)

REQUEST_LATENCY = Histogram(
    "cvplatform_http_request_duration_seconds",
    "HTTP request latency by route template and status class.",
    ["method", "route", "status"],
    registry=REGISTRY,
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30),
)


class PlatformStatsCollector(Collector):
    def describe(self) -> list:
        return []  # no registration-time collect: that would query the database at import

    def collect(self) -> Iterator[GaugeMetricFamily]:
        try:
            yield from self._collect()
        except Exception:  # noqa: BLE001 - a scrape must answer even when a dependency is down
            logger.warning("Prometheus platform collector failed", exc_info=True)

    def _collect(self) -> Iterator[GaugeMetricFamily]:
        from django.utils import timezone

        from analytics import monitor, selectors
        from tenants.scoping import scopes_disabled

        since = timezone.now() - timedelta(hours=1)
        with scopes_disabled():
            candidates = selectors.candidate_counts()
            jobs = selectors.job_stats(since=since)
            timing = selectors.processing_time_percentiles(since=since)
            embeddings = selectors.embedding_counts()
        gauge = GaugeMetricFamily("cvplatform_candidates", "Candidates (not deleted), all tenants.")
        gauge.add_metric([], candidates["total"])
        yield gauge
        gauge = GaugeMetricFamily("cvplatform_cv_jobs_last_hour", "CV jobs created in the last hour by status.", labels=["status"])
        for status, count in jobs.items():
            gauge.add_metric([status], count)
        yield gauge
        gauge = GaugeMetricFamily("cvplatform_cv_processing_ms", "CV processing time over the last hour.", labels=["quantile"])
        for quantile, key in (("0.5", "p50_ms"), ("0.95", "p95_ms")):
            value = timing[key]
            if value is not None:
                gauge.add_metric([quantile], value)
        yield gauge
        gauge = GaugeMetricFamily("cvplatform_embeddings", "Stored vectors by freshness.", labels=["state"])
        gauge.add_metric(["current"], embeddings["vectors"] - embeddings["stale"])
        gauge.add_metric(["stale"], embeddings["stale"])
        yield gauge
        gauge = GaugeMetricFamily("cvplatform_celery_queue_depth", "Messages waiting per Celery queue.", labels=["queue"])
        for queue, depth in monitor.queue_depths().items():
            gauge.add_metric([queue], depth)
        yield gauge


REGISTRY.register(PlatformStatsCollector())
