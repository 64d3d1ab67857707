"""The Celery app. Queues and schedules: see README "Operations"."""

import os
from importlib import import_module

from celery import Celery
from kombu import Queue

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("cvplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")


def _configure() -> None:
    """Queues from settings; each app may add periodic tasks in ``<app>/schedules.py`` (BEAT_SCHEDULE)."""
    from django.conf import settings

    app.conf.task_queues = [Queue(name) for name in settings.CELERY_QUEUES]
    schedule: dict = {}
    for app_name in ("tenants", "cvs", "screening", "analytics", "webhooks"):
        try:
            module = import_module(f"{app_name}.schedules")
        except ModuleNotFoundError as exc:
            if exc.name != f"{app_name}.schedules":
                raise
            continue
        schedule.update(module.BEAT_SCHEDULE)
    app.conf.beat_schedule = schedule


_configure()
app.autodiscover_tasks()
