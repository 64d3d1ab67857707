"""The request boundary: role bars shared by DRF and django-ninja, and a DRF tenant scope that never outlives its request."""

from __future__ import annotations

from typing import Any

import pytest
from django_scopes import get_scope
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.test import APIRequestFactory, force_authenticate

from config.errors import ApplicationError
from tenants.access import role_allows, role_require
from tenants.authentication import TenantContext
from tenants.models import Role
from tenants.rest import TenantAPIView
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


class _Escapes(TenantAPIView):
    """A handler whose exception gets past DRF's exception handling, so finalize_response never runs."""

    def get(self, request: Request) -> Response:
        assert get_scope().get("tenant") == request.auth.tenant.pk  # the scope is entered around the handler
        raise RuntimeError("escapes")

    def get_exception_handler(self) -> Any:
        return lambda exc, context: None  # "not mine": DRF re-raises


class _Answers(TenantAPIView):
    def get(self, request: Request) -> Response:
        return Response({"tenant": str(get_scope().get("tenant"))})


def _request(tenant: Any, role: str = Role.VIEWER) -> Any:
    request = APIRequestFactory().get("/boundary")
    force_authenticate(request, user=UserFactory(), token=TenantContext(tenant=tenant, role=role))
    return request


def test_scope_is_left_when_an_exception_escapes_the_view(tenant):
    with pytest.raises(RuntimeError, match="escapes"):
        _Escapes.as_view()(_request(tenant))
    assert "tenant" not in get_scope()


def test_scope_is_left_after_an_answer(tenant):
    response = _Answers.as_view()(_request(tenant))
    assert response.status_code == 200 and response.data == {"tenant": str(tenant.pk)}
    assert "tenant" not in get_scope()


def test_scope_is_not_entered_when_the_role_falls_short(tenant):
    class _AdminOnly(_Answers):
        read_role = Role.ADMIN

    assert _AdminOnly.as_view()(_request(tenant, Role.HR)).status_code == 403
    assert "tenant" not in get_scope()


@pytest.mark.parametrize(
    ("role", "needed", "allowed"),
    [
        (Role.VIEWER, Role.VIEWER, True),
        (Role.VIEWER, Role.HR, False),
        (Role.HR, Role.HR, True),
        (Role.HR, Role.ADMIN, False),
        (Role.ADMIN, Role.HR, True),
        ("client", Role.VIEWER, False),  # an API key is not a person: no role bar passes it
    ],
)
def test_one_role_check(tenant, role, needed, allowed):
    ctx = TenantContext(tenant=tenant, role=role)
    assert role_allows(ctx, needed) is allowed
    if allowed:
        role_require(ctx, needed)
    else:
        with pytest.raises(ApplicationError) as refused:
            role_require(ctx, needed)
        assert (refused.value.status, refused.value.code) == (403, "permission_denied")
    assert role_allows(None, Role.VIEWER) is False


@pytest.mark.parametrize("role", [Role.VIEWER, Role.HR, Role.ADMIN])
@pytest.mark.parametrize("needed", [Role.VIEWER, Role.HR, Role.ADMIN, None])
def test_the_admin_site_asks_the_same_role_check(tenant, role, needed):
    """The admin's permission bars go through tenants.access: a role reaches the same bars on the admin site
    as in the APIs, and a bar of None (STAFF_ONLY) is reached by no tenant role, only by platform staff."""
    from django.test import RequestFactory

    from tenants.admin_scoping import role_allows as admin_role_allows
    from tests.factories import MembershipFactory

    person = UserFactory(is_staff=True)
    MembershipFactory(user=person, tenant=tenant, role=role)
    request = RequestFactory().get("/admin/")
    request.user = person
    api_allows = needed is not None and role_allows(TenantContext(tenant=tenant, role=role), needed)
    assert admin_role_allows(request, needed) is api_allows

    staff = RequestFactory().get("/admin/")
    staff.user = UserFactory(is_staff=True, is_superuser=True)
    assert admin_role_allows(staff, needed) is True
