BEAT_SCHEDULE = {
    "worker-heartbeat": {"task": "analytics.tasks.record_worker_heartbeat", "schedule": 30.0},
}
