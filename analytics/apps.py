from __future__ import annotations

from django.apps import AppConfig


class AnalyticsConfig(AppConfig):
    name = "analytics"

    def ready(self) -> None:
        from celery.signals import after_setup_logger

        from analytics import receivers
        # Celery replaces the root logger's handlers in workers; put the log store back.
        after_setup_logger.connect(receivers.attach_log_store, weak=False, dispatch_uid="analytics.attach_log_store")
