"""Back office for webhook deliveries: what was sent where, every attempt, and replay."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.http import HttpRequest
from django.urls import reverse
from django.utils.html import format_html

from tenants.admin_scoping import ADMIN_ROLES, STAFF_ONLY, ReadOnlyInline, TenantScopedAdmin, message_application_error, role_allows
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.services import webhook_deliveries_replay


class AttemptInline(ReadOnlyInline):
    model = WebhookAttempt
    fields = ("number", "started_at", "url", "status_code", "duration_ms", "error", "response_excerpt")
    readonly_fields = fields
    show_change_link = False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(TenantScopedAdmin):
    list_display = ("event_id", "event_type", "endpoint", "job_link", "status", "attempts", "last_status_code", "next_attempt_at",
                    "delivered_at", "created_at")
    list_filter = ("status", "event_type", ("endpoint", admin.RelatedOnlyFieldListFilter), "created_at")
    list_select_related = ("tenant", "endpoint")
    search_fields = ("=event_id", "=job__id")
    show_full_result_count = False
    date_hierarchy = "created_at"
    readonly_fields = ("id", "event_id", "endpoint", "job_link", "event_type", "status", "attempts", "consecutive_failures",
                       "last_status_code", "last_error", "response_excerpt", "next_attempt_at", "delivered_at", "created_at",
                       "updated_at", "payload")
    fields = readonly_fields
    inlines = (AttemptInline,)
    actions = ("replay",)
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = STAFF_ONLY

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # a delivery is the record of what was sent

    def has_replay_permission(self, request: HttpRequest) -> bool:
        return role_allows(request, ADMIN_ROLES)

    @admin.display(description="job")
    def job_link(self, obj: WebhookDelivery) -> str:
        if obj.job_id is None:
            return "—"
        return format_html('<a href="{}">{}</a>', reverse("admin:cvs_cvjob_change", args=[obj.job_id]), str(obj.job_id)[:8])

    @admin.action(description="Replay selected deliveries (same event id, fresh retry schedule)", permissions=["replay"])
    def replay(self, request: HttpRequest, queryset: Any) -> None:
        outcome = webhook_deliveries_replay(deliveries=queryset)
        for delivery, exc in outcome.skipped:
            message_application_error(request, exc, delivery.event_id)
        if outcome.replayed:
            self.message_user(request, f"Replaying {len(outcome.replayed)} delivery(ies).", messages.SUCCESS)
