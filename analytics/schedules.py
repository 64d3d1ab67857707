BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "analytics.tasks.record_worker_heartbeat", "schedule": 30.0},
    "refresh-embeddings": {"task": "analytics.tasks.refresh_embeddings", "schedule": 600.0, "options": {"queue": "embeddings"}},
}
