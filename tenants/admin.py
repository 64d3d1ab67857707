"""Back office for tenants, their people, API keys and endpoints."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html

from config.errors import ApplicationError
from tenants.admin_scoping import (
    ADMIN_ONLY,
    STAFF_ONLY,
    TenantScopedAdmin,
    TenantScopedForm,
    admin_membership,
    is_platform_staff,
    message_application_error,
    role_allows,
)
from tenants.endpoint_options import endpoint_options_clean
from tenants.models import ApiKey, Endpoint, Membership, Tenant
from tenants.services import (
    api_key_create,
    api_key_revoke,
    endpoint_create,
    endpoint_rotate_secret,
    endpoint_update,
    membership_set_role,
    user_create,
)

admin.site.site_header = "CV Platform back office"
admin.site.site_title = "CV Platform"
admin.site.index_title = "Back office"


@admin.register(Tenant)
class TenantAdmin(admin.ModelAdmin):
    """Staff manage every tenant; a tenant admin edits its own processing settings."""

    list_display = ("name", "slug", "is_active", "extraction_provider", "llm_model", "retention_days", "monthly_cv_quota", "created_at")
    list_filter = ("is_active", "extraction_provider")
    search_fields = ("name", "slug")
    fields = ("name", "slug", "is_active", "extraction_provider", "llm_model", "retention_days", "monthly_cv_quota",
              "review_threshold")
    # Identity, activation and quota are the platform's call, not the customer's.
    tenant_admin_readonly = ("name", "slug", "is_active", "monthly_cv_quota")

    def get_queryset(self, request: HttpRequest) -> Any:
        queryset = super().get_queryset(request)
        if is_platform_staff(request):
            return queryset
        membership = admin_membership(request)
        return queryset.filter(pk=membership.tenant_id) if membership else queryset.none()

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return () if is_platform_staff(request) else self.tenant_admin_readonly

    def has_module_permission(self, request: HttpRequest) -> bool:
        return role_allows(request, ADMIN_ONLY)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_allows(request, ADMIN_ONLY)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_allows(request, ADMIN_ONLY)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return is_platform_staff(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_platform_staff(request)


class MembershipAddForm(TenantScopedForm):
    """Adding a member creates the person: tenant admins manage their own tenant's users."""

    username = forms.CharField(max_length=150)
    email = forms.EmailField(required=False)
    password = forms.CharField(widget=forms.PasswordInput, help_text="At least 8 characters.")

    class Meta:
        model = Membership
        fields = ("tenant", "role")

    def clean_username(self) -> str:
        username = self.cleaned_data["username"]
        if get_user_model().objects.filter(username=username).exists():
            raise forms.ValidationError("This username is taken.")
        return username

    def clean_password(self) -> str:
        validate_password(self.cleaned_data["password"])
        return self.cleaned_data["password"]

    def _post_clean(self) -> None:
        # The user is created on save; the instance has none yet, so skip model validation of it.
        self._validate_unique = False
        self.instance.user = get_user_model()(username=self.cleaned_data.get("username", ""))
        super()._post_clean()


@admin.register(Membership)
class MembershipAdmin(TenantScopedAdmin):
    list_display = ("user", "email", "role", "user_active", "created_at")
    list_filter = ("role",)
    list_select_related = ("user", "tenant")
    search_fields = ("user__username", "user__email")
    fields = ("tenant", "user", "role")
    readonly_fields = ("user",)
    view_roles = ADMIN_ONLY

    @admin.display(ordering="user__email")
    def email(self, obj: Membership) -> str:
        return obj.user.email

    @admin.display(boolean=True, description="active")
    def user_active(self, obj: Membership) -> bool:
        return obj.user.is_active

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        if obj is None:
            kwargs["form"] = MembershipAddForm
        return super().get_form(request, obj, change, **kwargs)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return [name for name in ("tenant", "username", "email", "password", "role") if name != "tenant" or is_platform_staff(request)]
        return super().get_fields(request, obj)

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        if obj is None:
            return ()
        readonly = list(super().get_readonly_fields(request, obj))
        if obj.user_id == request.user.pk:
            readonly.append("role")  # nobody demotes themselves out of the back office
        return readonly

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if obj is not None and obj.user_id == request.user.pk:
            return False
        return super().has_delete_permission(request, obj)

    def create_object(self, request: HttpRequest, form: Any) -> Membership:
        data = form.cleaned_data
        user = user_create(
            tenant=self.form_tenant(request, form), username=data["username"], password=data["password"],
            role=data["role"], email=data.get("email", ""),
        )
        return Membership.objects.select_related("user").get(user=user)

    def save_model(self, request: HttpRequest, obj: Membership, form: Any, change: bool) -> None:
        if change and "role" in form.changed_data:
            membership_set_role(membership=obj, role=obj.role)
            return
        super().save_model(request, obj, form, change)


_ISSUED_KEY_ATTR = "_issued_api_key"


@admin.register(ApiKey)
class ApiKeyAdmin(TenantScopedAdmin):
    """The raw key is shown once, on the page right after creation, and never stored."""

    list_display = ("name", "key_prefix", "is_revoked", "expires_at", "last_used_at", "created_at")
    list_filter = ("is_revoked",)
    list_select_related = ("tenant",)
    search_fields = ("name", "prefix")
    fields = ("tenant", "name", "expires_at", "key_prefix", "is_revoked", "last_used_at", "created_at")
    readonly_fields = ("key_prefix", "is_revoked", "last_used_at", "created_at")
    actions = ("revoke",)
    view_roles = ADMIN_ONLY
    delete_roles = STAFF_ONLY  # keys are revoked, not deleted: the audit trail stays

    @admin.display(description="key", ordering="prefix")
    def key_prefix(self, obj: ApiKey) -> str:
        return f"cvk_{obj.prefix}_…" if obj.prefix else "—"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        return [*readonly, "expires_at"] if obj is not None else readonly

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = super().get_fields(request, obj)
        return fields if obj is not None else [name for name in fields if name in ("tenant", "name", "expires_at")]

    def create_object(self, request: HttpRequest, form: Any) -> ApiKey:
        issued = api_key_create(tenant=self.form_tenant(request, form), name=form.cleaned_data["name"],
                                expires_at=form.cleaned_data.get("expires_at"))
        setattr(request, _ISSUED_KEY_ATTR, issued.raw)  # shown once, by response_add below
        return issued.key

    def response_add(self, request: HttpRequest, obj: ApiKey, post_url_continue: str | None = None) -> HttpResponse:
        raw = getattr(request, _ISSUED_KEY_ATTR, None)
        if raw is None:
            return super().response_add(request, obj, post_url_continue)
        context = {**self.admin_site.each_context(request), "title": "API key created", "key": obj, "raw_key": raw,
                   "opts": self.opts, "done_url": reverse("admin:tenants_apikey_changelist")}
        # admin_view marks every admin response never_cache, so the page is not stored by the browser.
        return TemplateResponse(request, "admin/tenants/apikey/issued.html", context)

    @admin.action(description="Revoke selected API keys", permissions=["change"])
    def revoke(self, request: HttpRequest, queryset: Any) -> None:
        revoked = [api_key_revoke(key=key) for key in queryset.filter(is_revoked=False)]
        self.message_user(request, f"Revoked {len(revoked)} API key(s).", messages.SUCCESS)


class EndpointForm(TenantScopedForm):
    class Meta:
        model = Endpoint
        fields = ("tenant", "name", "callback_url", "is_active", "options")

    def clean_callback_url(self) -> str:
        url = self.cleaned_data["callback_url"]
        if url:
            from tenants.callback_guard import validate_callback_url

            try:
                validate_callback_url(url)
            except ApplicationError as exc:
                raise forms.ValidationError(exc.message) from exc
        return url

    def clean_options(self) -> dict[str, Any]:
        try:
            return endpoint_options_clean(self.cleaned_data["options"])
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc


@admin.register(Endpoint)
class EndpointAdmin(TenantScopedAdmin):
    form = EndpointForm
    change_form_template = "admin/tenants/endpoint/change_form.html"
    list_display = ("name", "id", "callback_url", "is_active", "webhook_state", "created_at")
    list_filter = ("is_active",)
    list_select_related = ("tenant",)
    search_fields = ("name", "callback_url")
    readonly_fields = ("id", "intake_url", "secret", "previous_secret_expires_at", "webhook_state", "failing_since", "created_at")
    actions = ("enable_webhooks",)
    view_roles = ADMIN_ONLY

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        editable = ["tenant", "name", "callback_url", "is_active", "options"]
        if not is_platform_staff(request):
            editable.remove("tenant")
        return editable if obj is None else [*editable, *self.readonly_fields]

    @admin.display(description="intake URL")
    def intake_url(self, obj: Endpoint) -> str:
        return f"/cv/{obj.pk}"

    @admin.display(description="webhooks")
    def webhook_state(self, obj: Endpoint) -> str:
        if obj.webhooks_disabled_at:
            return format_html('<span style="color:#ba2121">disabled since {} — {}</span>',
                               f"{obj.webhooks_disabled_at:%Y-%m-%d %H:%M}", obj.webhooks_disabled_reason or "circuit open")
        if obj.failing_since:
            return format_html('<span style="color:#b36b00">failing since {}</span>', f"{obj.failing_since:%Y-%m-%d %H:%M}")
        return "ok" if obj.callback_url else "no callback URL"

    def create_object(self, request: HttpRequest, form: Any) -> Endpoint:
        data = form.cleaned_data
        return endpoint_create(tenant=self.form_tenant(request, form), name=data["name"],
                               callback_url=data["callback_url"], options=data["options"], is_active=data["is_active"])

    def save_model(self, request: HttpRequest, obj: Endpoint, form: Any, change: bool) -> None:
        if change:
            endpoint_update(endpoint=obj, **{name: form.cleaned_data[name] for name in form.changed_data})
            return
        super().save_model(request, obj, form, change)

    def change_view(self, request: HttpRequest, object_id: str, form_url: str = "", extra_context: Any = None) -> HttpResponse:
        obj = self.get_object(request, object_id)
        if obj is not None and obj.webhooks_disabled_at and request.method == "GET":
            reason = obj.webhooks_disabled_reason or "repeated failures"
            messages.warning(request, f"Webhooks to this endpoint are paused by the circuit breaker since "
                                      f"{obj.webhooks_disabled_at:%Y-%m-%d %H:%M} UTC ({reason}). "
                                      "Fix the receiver, then use “Re-enable webhooks” in the list.")
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.action(description="Re-enable webhooks (close the circuit breaker)", permissions=["change"])
    def enable_webhooks(self, request: HttpRequest, queryset: Any) -> None:
        from webhooks.services import webhook_endpoint_enable

        endpoints = list(queryset)
        replayed = sum(webhook_endpoint_enable(endpoint=endpoint) for endpoint in endpoints)
        self.message_user(request, f"Re-enabled webhooks on {len(endpoints)} endpoint(s); replaying {replayed} held delivery(ies).",
                          messages.SUCCESS)

    def get_urls(self) -> list:
        wrap = self.admin_site.admin_view
        return [
            path("<path:object_id>/test-webhook/", wrap(self.test_webhook_view), name="tenants_endpoint_test_webhook"),
            path("<path:object_id>/rotate-secret/", wrap(self.rotate_secret_view), name="tenants_endpoint_rotate_secret"),
            *super().get_urls(),
        ]

    def _back(self, endpoint: Endpoint) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:tenants_endpoint_change", args=[endpoint.pk]))

    def test_webhook_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        endpoint = self.object_or_404(request, object_id, change=True)
        from webhooks.services import webhook_test_send

        try:
            delivery = webhook_test_send(endpoint=endpoint)
        except ApplicationError as exc:
            message_application_error(request, exc, "Test webhook")
        else:
            messages.success(request, f"Test webhook queued (event {delivery.event_id}); its attempts show under Webhook deliveries.")
        return self._back(endpoint)

    def rotate_secret_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        if request.method != "POST":
            return HttpResponse(status=405)
        endpoint = endpoint_rotate_secret(endpoint=self.object_or_404(request, object_id, change=True))
        messages.success(request, f"New signing secret issued. The previous one keeps signing until "
                                  f"{endpoint.previous_secret_expires_at:%Y-%m-%d %H:%M} UTC.")
        return self._back(endpoint)
