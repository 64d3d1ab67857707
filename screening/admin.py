"""Back office for screening: conditions (criteria), school lists and results with their reasons."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, TypedDict

from django import forms
from django.contrib import admin, messages
from django.db.models import Count, Q
from django.http import HttpRequest
from django.utils.html import format_html_join

from config.errors import ApplicationError
from screening.criteria import criteria_parse
from screening.models import School, ScreeningCondition, ScreeningResult, TenantSchool
from screening.services import (
    condition_create,
    condition_rescreen_queue,
    condition_update,
    tenant_school_create,
    tenant_school_update,
)
from tenants.admin_scoping import (
    ADMIN_ROLES,
    STAFF_ONLY,
    RolePermissions,
    TenantScopedAdmin,
    TenantScopedForm,
    message_application_error,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


class _ResultCounts(TypedDict):
    """What the condition list's queryset annotates on each row."""

    n_results: int
    n_qualified: int


class ConditionForm(TenantScopedForm):
    class Meta:
        model = ScreeningCondition
        fields = ("tenant", "name", "description", "criteria", "is_active")
        widgets = {"criteria": forms.Textarea(attrs={"rows": 14, "cols": 90, "style": "font-family:monospace"})}

    def clean_criteria(self) -> dict[str, Any]:
        try:
            criteria_parse(self.cleaned_data["criteria"] or {})
        except ApplicationError as exc:
            raise forms.ValidationError(exc.message) from exc
        return self.cleaned_data["criteria"] or {}


@admin.register(ScreeningCondition)
class ScreeningConditionAdmin(TenantScopedAdmin):
    form = ConditionForm
    list_display = ("name", "is_active", "criteria_keys", "results", "qualified", "created_by", "updated_at")
    list_filter = ("is_active",)
    list_select_related = ("tenant", "created_by")
    search_fields = ("name", "description")
    readonly_fields = ("created_by", "created_at", "updated_at")
    actions = ("rescreen_all",)
    view_roles = add_roles = change_roles = delete_roles = ADMIN_ROLES

    def get_queryset(self, request: HttpRequest) -> Any:
        return super().get_queryset(request).annotate(
            n_results=Count("results"), n_qualified=Count("results", filter=Q(results__is_qualified=True)),
        )

    @admin.display(description="criteria")
    def criteria_keys(self, obj: ScreeningCondition) -> str:
        return ", ".join(sorted(obj.criteria or {})) or "—"

    @admin.display(description="screened", ordering="n_results")
    def results(self, obj: WithAnnotations[ScreeningCondition, _ResultCounts]) -> int:
        return obj.n_results

    @admin.display(description="qualified", ordering="n_qualified")
    def qualified(self, obj: WithAnnotations[ScreeningCondition, _ResultCounts]) -> int:
        return obj.n_qualified

    def create_object(self, request: HttpRequest, form: Any) -> ScreeningCondition:
        data = form.cleaned_data
        return condition_create(tenant=self.form_tenant(request, form), name=data["name"], description=data["description"],
                                criteria=data["criteria"], is_active=data["is_active"], created_by=request.user)

    def save_model(self, request: HttpRequest, obj: ScreeningCondition, form: Any, change: bool) -> None:
        if not change:
            return super().save_model(request, obj, form, change)
        fields = {name: form.cleaned_data[name] for name in form.changed_data if name != "criteria"}
        criteria = None
        if "criteria" in form.changed_data:
            # condition_update merges key by key; keys removed in the form are sent as null to drop them.
            before = form.initial.get("criteria") or {}
            criteria = {**{key: None for key in before}, **form.cleaned_data["criteria"]}
        try:
            condition_update(condition=obj, criteria=criteria, **fields)
        except ApplicationError as exc:
            message_application_error(request, exc, obj.name)
        return None

    @admin.action(description="Re-screen every candidate against selected conditions", permissions=["change"])
    def rescreen_all(self, request: HttpRequest, queryset: Any) -> None:
        conditions = list(queryset)
        for condition in conditions:
            condition_rescreen_queue(condition=condition, scope="all")
        self.message_user(request, f"Re-screening queued for {len(conditions)} condition(s).", messages.SUCCESS)


@admin.register(ScreeningResult)
class ScreeningResultAdmin(TenantScopedAdmin):
    list_display = ("candidate", "condition", "is_qualified", "score", "summary", "computed_at")
    list_filter = ("is_qualified", ("condition", admin.RelatedOnlyFieldListFilter), "computed_at")
    list_select_related = ("tenant", "candidate", "condition")
    search_fields = ("candidate__name", "candidate__email", "condition__name")
    show_full_result_count = False
    readonly_fields = ("candidate", "condition", "is_qualified", "score", "reasons_list", "summary", "created_at", "computed_at")
    fields = readonly_fields
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = STAFF_ONLY

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # results are computed; change the condition or the candidate instead

    @admin.display(description="reasons")
    def reasons_list(self, obj: ScreeningResult) -> str:
        return format_html_join(
            "", "<div>{} <b>{}</b> {}</div>",
            (("✔" if reason.get("passed") else "✘", reason.get("criterion", ""), reason.get("detail", "")) for reason in obj.reasons or []),
        )


@admin.register(School)
class SchoolAdmin(RolePermissions, admin.ModelAdmin):
    """The shared list: staff maintain it, tenants read it and add their own as tenant schools."""

    list_display = ("name", "tier_list", "country")
    list_filter = ("country",)
    search_fields = ("name", "aliases")
    view_roles = ADMIN_ROLES
    add_roles = change_roles = delete_roles = STAFF_ONLY

    @admin.display(description="tiers")
    def tier_list(self, obj: School) -> str:
        return ", ".join(obj.tiers)


class TenantSchoolForm(TenantScopedForm):
    class Meta:
        model = TenantSchool
        fields = ("tenant", "name", "aliases", "tiers", "country")


@admin.register(TenantSchool)
class TenantSchoolAdmin(TenantScopedAdmin):
    form = TenantSchoolForm
    list_display = ("name", "tier_list", "country", "created_at")
    list_filter = ("country",)
    list_select_related = ("tenant",)
    search_fields = ("name", "aliases")
    view_roles = add_roles = change_roles = delete_roles = ADMIN_ROLES

    @admin.display(description="tiers")
    def tier_list(self, obj: TenantSchool) -> str:
        return ", ".join(obj.tiers)

    def create_object(self, request: HttpRequest, form: Any) -> TenantSchool:
        data = form.cleaned_data
        return tenant_school_create(tenant=self.form_tenant(request, form), name=data["name"], aliases=data["aliases"],
                                    tiers=data["tiers"], country=data["country"])

    def save_model(self, request: HttpRequest, obj: TenantSchool, form: Any, change: bool) -> None:
        if change:
            tenant_school_update(school=obj, **{name: form.cleaned_data[name] for name in form.changed_data})
            return
        super().save_model(request, obj, form, change)
