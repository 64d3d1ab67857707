from django.conf import settings

BEAT_SCHEDULE = {
    "webhooks-sweep": {
        "task": "webhooks.sweep",
        "schedule": float(settings.WEBHOOK_SWEEP_SECONDS),
        "options": {"queue": "webhooks", "expires": float(settings.WEBHOOK_SWEEP_SECONDS)},
    },
    "webhooks-purge": {"task": "webhooks.purge", "schedule": 24 * 3600.0, "options": {"queue": "webhooks"}},
}
