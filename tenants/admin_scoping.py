"""The admin's tenant scoping and role permissions, shared by every app's ``admin.py``.

Who gets in: superusers are platform staff and see every tenant (the middleware
disables the scope for them). Tenant ``admin`` and ``hr`` members work inside their
own tenant's scope (the middleware enters it); ``viewer`` members get no admin access
at all — they read through the API. Roles come from ``Membership``, not Django's
per-user permission table, so a tenant's people never need permission rows, and they are
compared by the API's own role check (``tenants.access.role_reaches``: viewer < hr < admin).
Each ``*_roles`` bar below is the lowest tenant role allowed; ``STAFF_ONLY`` (None) lets no
tenant role through, only platform staff.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth import get_user_model
from django.http import Http404, HttpRequest

from config.errors import ApplicationError
from tenants.access import role_reaches
from tenants.authentication import membership_for
from tenants.models import Membership, Role, TenantOwned

ADMIN_ROLES: str | None = Role.HR  # hr and admin: the roles with admin-site access
ADMIN_ONLY: str | None = Role.ADMIN
STAFF_ONLY: str | None = None


_MEMBERSHIP_ATTR = "_admin_membership"  # cached on the request: every admin check of a page asks


def admin_membership(request: HttpRequest) -> Membership | None:
    """The tenant membership an admin request acts through; None for staff and outsiders."""
    if not hasattr(request, _MEMBERSHIP_ATTR):
        user = request.user
        setattr(request, _MEMBERSHIP_ATTR, membership_for(user, None) if user.is_authenticated and not user.is_superuser else None)
    membership: Membership | None = getattr(request, _MEMBERSHIP_ATTR)
    return membership


def is_platform_staff(request: HttpRequest) -> bool:
    return bool(request.user.is_active and request.user.is_superuser)


def admin_tenant_id(request: HttpRequest) -> Any:
    membership = admin_membership(request)
    return membership.tenant_id if membership else None


def role_allows(request: HttpRequest, needed: str | None) -> bool:
    """Staff may do everything; a tenant member only what its role reaches (``needed``: the lowest role allowed)."""
    if is_platform_staff(request):
        return True
    if not (request.user.is_active and request.user.is_staff):
        return False
    membership = admin_membership(request)
    return membership is not None and role_reaches(membership.role, needed)


def message_application_error(request: HttpRequest, exc: ApplicationError, subject: object = "") -> None:
    prefix = f"{subject}: " if subject else ""
    messages.error(request, f"{prefix}{exc.message} ({exc.code})")


class TenantScopedForm(forms.ModelForm):
    """Pins the tenant of tenant users' objects and refuses cross-tenant references from staff."""

    admin_tenant_id: Any = None

    def _post_clean(self) -> None:
        if self.admin_tenant_id is not None and not self.instance.tenant_id:
            self.instance.tenant_id = self.admin_tenant_id
        tenant = self.cleaned_data.get("tenant")
        tenant_id = tenant.pk if tenant is not None else self.instance.tenant_id
        for name, value in list(self.cleaned_data.items()):
            related = value if isinstance(value, Iterable) and not isinstance(value, (str, dict)) else [value]
            if any(isinstance(obj, TenantOwned) and obj.tenant_id != tenant_id for obj in related):
                self.add_error(name, "This belongs to another tenant.")
        super()._post_clean()  # type: ignore[misc]  # django-stubs omits BaseModelForm._post_clean


class RolePermissions:
    """``has_*_permission`` by tenant role instead of Django's permission table."""

    view_roles: str | None = ADMIN_ROLES
    add_roles: str | None = ADMIN_ONLY
    change_roles: str | None = ADMIN_ONLY
    delete_roles: str | None = ADMIN_ONLY

    def has_module_permission(self, request: HttpRequest) -> bool:
        return role_allows(request, self.view_roles)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_allows(request, self.view_roles) or self.has_change_permission(request, obj)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return role_allows(request, self.add_roles)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_allows(request, self.change_roles)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return role_allows(request, self.delete_roles)


class ReadOnlyInline(RolePermissions, admin.TabularInline):
    """A read-only list of related rows on a detail page (scoped by the related manager)."""

    extra = 0
    can_delete = False
    show_change_link = True
    add_roles = change_roles = delete_roles = STAFF_ONLY

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class TenantScopedAdmin(RolePermissions, admin.ModelAdmin):
    """Base ModelAdmin for ``TenantOwned`` models.

    The queryset comes from the scoped manager, so lists, detail URLs, actions,
    search and autocomplete only ever see the request's scope; choices for related
    tenant-owned rows are scoped the same way. Tenant users never see or choose
    the tenant field: it is set from their membership.
    """

    form = TenantScopedForm
    list_per_page = 50

    # --- the tenant column, filter and field ---------------------------------------
    def get_list_display(self, request: HttpRequest) -> Any:
        columns = list(super().get_list_display(request))
        if is_platform_staff(request) and "tenant" not in columns:
            columns.insert(1, "tenant")
        return columns

    def get_list_filter(self, request: HttpRequest) -> Any:
        filters = list(super().get_list_filter(request))
        if is_platform_staff(request):
            filters.append("tenant")
        return filters

    def get_exclude(self, request: HttpRequest, obj: Any = None) -> Any:
        exclude = list(super().get_exclude(request, obj) or [])
        if not is_platform_staff(request):
            exclude.append("tenant")
        return exclude

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = list(super().get_fields(request, obj))
        if not is_platform_staff(request):
            fields = [name for name in fields if name != "tenant"]
        return fields

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = list(super().get_readonly_fields(request, obj))
        if obj is not None and is_platform_staff(request):
            readonly.append("tenant")  # moving a row between tenants would split its object graph
        return readonly

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any) -> Any:
        form = super().get_form(request, obj, change, **kwargs)
        if issubclass(form, TenantScopedForm):
            form.admin_tenant_id = admin_tenant_id(request)
        return form

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        self._scope_choices(db_field, request, kwargs)
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    @staticmethod
    def _scope_choices(db_field: Any, request: HttpRequest, kwargs: dict[str, Any]) -> None:
        """Tenant-owned choices are scoped by their manager; people are scoped by membership."""
        tenant_id = admin_tenant_id(request)
        if tenant_id is None or "queryset" in kwargs:
            return
        if db_field.remote_field.model is get_user_model():
            kwargs["queryset"] = get_user_model().objects.filter(memberships__tenant_id=tenant_id)

    def create_object(self, request: HttpRequest, form: Any) -> Any | None:
        """Override to create through a service; None keeps the plain ModelForm save."""
        return None

    def save_form(self, request: HttpRequest, form: Any, change: bool) -> Any:
        created = None if change else self.create_object(request, form)
        if created is None:
            return super().save_form(request, form, change)
        created._saved_by_service = True
        form.save_m2m = lambda: None  # the service wrote everything the form collected
        return created

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        tenant_id = admin_tenant_id(request)
        if tenant_id is not None and obj.tenant_id != tenant_id:
            raise PermissionError("A tenant user cannot write another tenant's object.")
        if not getattr(obj, "_saved_by_service", False):
            super().save_model(request, obj, form, change)

    def form_tenant(self, request: HttpRequest, form: Any) -> Any:
        """The tenant a new object belongs to: the member's own, or the one staff picked."""
        membership = admin_membership(request)
        return membership.tenant if membership else form.cleaned_data["tenant"]

    def object_or_404(self, request: HttpRequest, object_id: str, *, change: bool = False) -> Any:
        """The object for an extra view (preview, download, button): in scope and allowed, else 404."""
        obj = self.get_object(request, unquote(object_id))
        allowed = self.has_change_permission(request, obj) if change else self.has_view_permission(request, obj)
        if obj is None or not allowed:
            raise Http404(f"No such {self.opts.verbose_name}.")
        return obj

    def get_actions(self, request: HttpRequest) -> Any:
        actions = super().get_actions(request)
        if not self.has_delete_permission(request):
            actions.pop("delete_selected", None)
        return actions

