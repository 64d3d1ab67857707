"""Durable webhook deliveries: one row per event and endpoint, one ``WebhookAttempt`` per HTTP try."""

from __future__ import annotations

import uuid

from django.db import models

from tenants.models import Endpoint, TenantOwned


class EventType(models.TextChoices):
    CV_COMPLETED = "cv.completed"
    CV_FAILED = "cv.failed"
    CV_UPDATED = "cv.updated"  # staff corrected a completed job's data in the back office
    BATCH_COMPLETED = "batch.completed"
    SCREENING_COMPLETED = "screening.completed"
    TEST = "webhook.test"


def new_event_id() -> str:
    return f"msg_{uuid.uuid4().hex}"


class WebhookDelivery(TenantOwned):
    """One event for one endpoint. The body is stored exactly as sent, so every retry signs the same bytes."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"  # waiting for its first attempt or a retry (see next_attempt_at)
        DELIVERING = "delivering", "Delivering"  # an attempt is in flight until lease_expires_at
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"  # retries exhausted or no callback URL
        HELD = "held", "Held"  # the endpoint's webhooks are disabled; kept for replay

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    event_id = models.CharField(
        max_length=40, unique=True, default=new_event_id, help_text="webhook-id; the same on every attempt"
    )
    endpoint = models.ForeignKey(Endpoint, on_delete=models.CASCADE, related_name="webhook_deliveries")
    # CASCADE: erasing a CV job (GDPR) removes the deliveries that carry its data.
    job = models.ForeignKey("cvs.CVJob", null=True, blank=True, on_delete=models.CASCADE, related_name="webhook_deliveries")
    event_type = models.CharField(max_length=40, choices=EventType.choices, db_index=True)
    payload = models.TextField(help_text="The exact JSON body sent (UTF-8).")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    consecutive_failures = models.PositiveIntegerField(default=0, help_text="Position in the retry schedule; reset by a replay.")
    retry_schedule = models.JSONField(default=list, blank=True, help_text="Seconds between attempts, fixed when queued.")
    last_status_code = models.PositiveIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("-created_at",)
        verbose_name_plural = "webhook deliveries"
        indexes = (
            models.Index(fields=["status", "next_attempt_at"], name="webhook_due_sweep"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_endpoint_recent"),
        )

    def __str__(self) -> str:
        return f"{self.event_type} {self.event_id} ({self.status})"

    @property
    def body(self) -> bytes:
        return self.payload.encode("utf-8")


class WebhookAttempt(TenantOwned):
    """One HTTP try of a delivery, for the log shown in the API and the admin."""

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    url = models.CharField(max_length=500)
    started_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(default=0)
    status_code = models.PositiveIntegerField(null=True, blank=True)
    error = models.CharField(max_length=500, blank=True)
    response_excerpt = models.TextField(blank=True)

    class Meta:
        ordering = ("delivery", "number")
        constraints = (models.UniqueConstraint(fields=["delivery", "number"], name="uniq_webhook_attempt_number"),)

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.status_code or self.error}"
