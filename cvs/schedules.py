from django.conf import settings

BEAT_SCHEDULE = {
    "cv-requeue-stale-jobs": {"task": "cvs.requeue_stale_jobs", "schedule": float(settings.CV_STALE_SWEEP_SECONDS)},
    "cv-apply-retention": {"task": "cvs.apply_retention", "schedule": 3600.0},
}
