"""/api/v1/users: a tenant admin manages the people of their tenant (membership = belonging).

The reads and writes sit here rather than in selectors/services because this file is the
users feature's one home; they follow the same rules (keyword-only, one transaction per write).
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.request import Request
from rest_framework.response import Response

from config.errors import ApplicationError, NotFound
from config.rest import ok, paginated
from tenants.models import Membership, Role, Tenant
from tenants.rest import TenantAPIView
from tenants.scoping import scopes_disabled
from tenants.selectors import is_integer_id
from tenants.services import membership_set_role, user_create, user_is_shared

User = get_user_model()


# --- reads ----------------------------------------------------------------------------------


def membership_list(*, role: str = "", keyword: str = "") -> QuerySet[Membership]:
    memberships = Membership.objects.select_related("user")
    if role:
        if role not in Role.values:
            raise ApplicationError(f"Unknown role '{role}'; use {', '.join(Role.values)}.", code="invalid_filter")
        memberships = memberships.filter(role=role)
    if keyword:
        memberships = memberships.filter(Q(user__username__icontains=keyword) | Q(user__email__icontains=keyword))
    return memberships.order_by("user__username")


def membership_get(*, user_id: Any) -> Membership:
    """The membership of ``user_id`` in the current tenant: a person of another tenant is 404."""
    membership = Membership.objects.select_related("user").filter(user_id=user_id).first() if is_integer_id(user_id) else None
    if membership is None:
        raise NotFound("User not found.", code="user_not_found")
    return membership


# --- writes -----------------------------------------------------------------------------------


def _check_password(password: str, user: Any = None) -> None:
    try:
        validate_password(password, user)
    except DjangoValidationError as exc:
        raise ApplicationError(" ".join(exc.messages), code="invalid_password") from exc


def _last_admin(membership: Membership) -> bool:
    admins = Membership.objects.filter(role=Role.ADMIN, user__is_active=True)
    return membership.role == Role.ADMIN and not admins.exclude(pk=membership.pk).exists()


def tenant_user_create(*, tenant: Tenant, username: str, password: str, role: str, email: str = "") -> Membership:
    _check_password(password)
    user = user_create(tenant=tenant, username=username, password=password, role=role, email=email)
    return Membership.objects.select_related("user").get(user=user)


ACCOUNT_FIELDS = ("password", "email", "is_active")


def tenant_user_update(*, membership: Membership, actor: Any, **fields: Any) -> Membership:
    """Change a member's role here, or their account if they belong to this tenant only.

    Password, e-mail and active flag live on the person, not on the membership: for someone who
    also belongs to another tenant they are refused, or one tenant's admin could take over an
    account that another tenant trusts. Their role here can still change, or they can be removed.
    """
    user = membership.user
    account_changes = [name for name in ACCOUNT_FIELDS if name in fields]
    if account_changes and user_is_shared(user=user, tenant=membership.tenant):
        raise ApplicationError(
            f"This person also belongs to another tenant, so their {', '.join(account_changes)} can only be changed by "
            "themselves or platform staff; you can change their role here or remove them from this tenant.",
            code="shared_account", status=403,
        )
    demoting = "role" in fields and fields["role"] != Role.ADMIN
    deactivating = fields.get("is_active") is False
    if (demoting or deactivating) and _last_admin(membership):
        raise ApplicationError("The tenant's last active admin cannot be demoted or deactivated.", code="last_admin", status=409)
    if deactivating and user.pk == actor.pk:
        raise ApplicationError("You cannot deactivate yourself.", code="self_deactivation", status=409)
    if "password" in fields:
        _check_password(fields["password"], user)
    with transaction.atomic():
        if "role" in fields:
            membership_set_role(membership=membership, role=fields["role"])
        if account_changes:
            if "email" in fields:
                user.email = fields["email"]
            if "is_active" in fields:
                user.is_active = fields["is_active"]
            if "password" in fields:
                user.set_password(fields["password"])
            user.save()
    return membership


def tenant_user_remove(*, membership: Membership, actor: Any) -> None:
    """Take the person out of this tenant; someone left with no tenant at all is deactivated."""
    if membership.user_id == actor.pk:
        raise ApplicationError("You cannot remove yourself.", code="self_removal", status=409)
    if _last_admin(membership):
        raise ApplicationError("The tenant's last active admin cannot be removed.", code="last_admin", status=409)
    user = membership.user
    with transaction.atomic():
        membership.delete()
        with scopes_disabled():
            orphaned = not Membership.objects.filter(user=user).exists()
        if orphaned:
            user.is_active = False
            user.save(update_fields=["is_active"])


# --- API ----------------------------------------------------------------------------------------


class UserSerializer(serializers.Serializer):
    id = serializers.IntegerField(source="user.pk", read_only=True)
    username = serializers.CharField(source="user.username", read_only=True)
    email = serializers.EmailField(source="user.email", read_only=True)
    role = serializers.CharField(read_only=True)
    is_active = serializers.BooleanField(source="user.is_active", read_only=True)
    last_login = serializers.DateTimeField(source="user.last_login", read_only=True)
    created_at = serializers.DateTimeField(read_only=True)


class UserCreateSerializer(serializers.Serializer):
    username = serializers.RegexField(r"^[\w.@+-]+$", max_length=150)
    password = serializers.CharField(max_length=128, trim_whitespace=False)
    email = serializers.EmailField(required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(choices=Role.choices, default=Role.VIEWER)


class UserUpdateSerializer(serializers.Serializer):
    email = serializers.EmailField(required=False, allow_blank=True)
    password = serializers.CharField(max_length=128, trim_whitespace=False, required=False)
    role = serializers.ChoiceField(choices=Role.choices, required=False)
    is_active = serializers.BooleanField(required=False)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs:
            raise serializers.ValidationError("Nothing to update.")
        return attrs


class UserListApi(TenantAPIView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request: Request) -> Response:
        memberships = membership_list(role=request.query_params.get("role", ""), keyword=request.query_params.get("keyword", ""))
        return paginated(request, memberships, UserSerializer)

    @extend_schema(request=UserCreateSerializer, responses=UserSerializer)
    def post(self, request: Request) -> Response:
        serializer = UserCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = tenant_user_create(tenant=self.tenant_context.tenant, **serializer.validated_data)
        return ok(UserSerializer(membership).data, "User created.", status.HTTP_201_CREATED)


class UserDetailApi(TenantAPIView):
    read_role = Role.ADMIN
    write_role = Role.ADMIN

    def get(self, request: Request, user_id: str) -> Response:
        return ok(UserSerializer(membership_get(user_id=user_id)).data)

    @extend_schema(request=UserUpdateSerializer, responses=UserSerializer)
    def patch(self, request: Request, user_id: str) -> Response:
        membership = membership_get(user_id=user_id)
        serializer = UserUpdateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        membership = tenant_user_update(membership=membership, actor=request.user, **serializer.validated_data)
        return ok(UserSerializer(membership).data, "User updated.")

    put = patch  # the reference API updates with PUT and a partial body

    def delete(self, request: Request, user_id: str) -> Response:
        tenant_user_remove(membership=membership_get(user_id=user_id), actor=request.user)
        return ok(None, "User removed from the tenant.")
