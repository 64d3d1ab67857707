"""The Celery app. Queues and schedules: see README "Operations"."""

import logging
import os
from importlib import import_module

from celery import Celery
from celery.signals import after_setup_logger, after_setup_task_logger
from celery.utils.log import get_multiprocessing_logger
from kombu import Queue

from config.bootstrap import DEFAULT_SETTINGS, prepare
from config.log_redaction import redact_handlers

# Before Celery(): its Django fixup (django.setup() in workers) installs only when this is set.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)

app = Celery("cvplatform")
app.config_from_object("django.conf:settings", namespace="CELERY")


@app.on_configure.connect
def _prepare_services(**_: object) -> None:
    """Celery reads the Django settings lazily, on first use; the local services must be up by then."""
    prepare()


@app.on_after_configure.connect
def _configure(**_: object) -> None:
    """Queues from settings; each app may add periodic tasks in ``<app>/schedules.py`` (BEAT_SCHEDULE).

    Run once the configuration is loaded rather than at import, so that importing the ``config``
    package (which every settings import does) reads no settings.
    """
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


@after_setup_logger.connect
@after_setup_task_logger.connect
def _redact_logs(logger: logging.Logger, **_: object) -> None:
    """Celery replaces the handlers of settings LOGGING in workers and beat (root, ``celery.task``,
    multiprocessing): the credentials filter goes back on the ones it installs."""
    redact_handlers(logger)
    redact_handlers(get_multiprocessing_logger())


# Each app's tasks.py, and the CV pipeline's, which lives in its own package.
app.autodiscover_tasks()
app.autodiscover_tasks(["cvs.pipeline"])
