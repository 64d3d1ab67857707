"""/api/v1/users: admins manage the people of their own tenant."""

import pytest
from django.contrib.auth import get_user_model

from tenants.models import Membership
from tenants.scoping import scopes_disabled
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
User = get_user_model()


def test_create_list_and_filter(admin_client, tenant):
    response = admin_client.post("/api/v1/users", {"username": "newuser", "password": "password123", "email": "u@example.com",
                                                   "role": "hr"}, format="json")
    assert response.status_code == 201, response.content
    created = response.json()["data"]
    assert created["username"] == "newuser" and created["role"] == "hr" and created["is_active"] is True
    MembershipFactory(tenant=tenant, role="viewer", user__username="viewer-bob")
    listed = admin_client.get("/api/v1/users?page=1&page_size=10").json()["data"]
    assert listed["total"] == 3 and listed["pages"] == 1
    assert [u["username"] for u in admin_client.get("/api/v1/users?role=hr").json()["data"]["items"]] == ["newuser"]
    assert [u["username"] for u in admin_client.get("/api/v1/users?keyword=BOB").json()["data"]["items"]] == ["viewer-bob"]
    assert admin_client.get("/api/v1/users?role=king").status_code == 400
    login = admin_client.post("/api/v1/auth/login", {"username": "newuser", "password": "password123"}, format="json")
    assert login.status_code == 200 and login.json()["data"]["tenant"]["id"] == str(tenant.pk)


def test_create_validation_and_conflict(admin_client, make_client, other_tenant):
    body = {"username": "dup", "password": "password123"}
    assert admin_client.post("/api/v1/users", body, format="json").status_code == 201
    conflict = admin_client.post("/api/v1/users", body, format="json")
    assert conflict.status_code == 409 and conflict.json()["error_code"] == "username_taken"
    # Usernames are global: another tenant cannot take it either.
    assert make_client(other_tenant, "admin").post("/api/v1/users", body, format="json").status_code == 409
    short = admin_client.post("/api/v1/users", {"username": "x1", "password": "short"}, format="json")
    assert short.status_code == 400 and short.json()["error_code"] == "invalid_password"
    assert admin_client.post("/api/v1/users", {"username": "a b", "password": "password123"}, format="json").status_code == 400
    assert admin_client.post("/api/v1/users", {"username": "r", "password": "password123", "role": "owner"},
                             format="json").status_code == 400
    assert admin_client.post("/api/v1/users", {"username": "e", "password": "password123", "email": "nope"},
                             format="json").status_code == 400


def test_update_role_email_password_active(admin_client, tenant):
    member = MembershipFactory(tenant=tenant, role="viewer")
    url = f"/api/v1/users/{member.user.pk}"
    response = admin_client.put(url, {"role": "hr", "email": "new@example.com", "password": "another-pass-1"}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["data"]["role"] == "hr" and response.json()["data"]["email"] == "new@example.com"
    user = User.objects.get(pk=member.user.pk)
    assert user.check_password("another-pass-1") and user.is_staff
    assert admin_client.patch(url, {"is_active": False}, format="json").json()["data"]["is_active"] is False
    assert admin_client.post("/api/v1/auth/login", {"username": user.username, "password": "another-pass-1"},
                             format="json").status_code == 401
    assert admin_client.patch(url, {"role": "god"}, format="json").status_code == 400
    assert admin_client.patch(url, {"password": "123"}, format="json").status_code == 400
    assert admin_client.patch(url, {}, format="json").status_code == 400


def test_last_admin_and_self_protection(admin_client):
    me = admin_client.user.pk
    assert admin_client.patch(f"/api/v1/users/{me}", {"role": "viewer"}, format="json").status_code == 409
    assert admin_client.patch(f"/api/v1/users/{me}", {"is_active": False}, format="json").status_code == 409
    assert admin_client.delete(f"/api/v1/users/{me}").status_code == 409


def test_delete_removes_membership_and_deactivates_orphans(admin_client, tenant, other_tenant):
    only_here = MembershipFactory(tenant=tenant, role="hr")
    also_elsewhere = MembershipFactory(tenant=tenant, role="hr")
    MembershipFactory(tenant=other_tenant, user=also_elsewhere.user, role="viewer")
    assert admin_client.delete(f"/api/v1/users/{only_here.user.pk}").status_code == 200
    assert admin_client.delete(f"/api/v1/users/{also_elsewhere.user.pk}").status_code == 200
    assert not User.objects.get(pk=only_here.user.pk).is_active
    assert User.objects.get(pk=also_elsewhere.user.pk).is_active
    with scopes_disabled():
        assert Membership.objects.filter(user=also_elsewhere.user).count() == 1
    assert admin_client.get(f"/api/v1/users/{only_here.user.pk}").status_code == 404


def test_other_tenants_people_are_404(admin_client, other_tenant):
    foreign = MembershipFactory(tenant=other_tenant, role="viewer")
    url = f"/api/v1/users/{foreign.user.pk}"
    assert admin_client.get(url).status_code == 404
    assert admin_client.patch(url, {"role": "admin"}, format="json").status_code == 404
    assert admin_client.delete(url).status_code == 404
    assert admin_client.get("/api/v1/users/abc").status_code == 404
    assert foreign.user.username not in [u["username"] for u in admin_client.get("/api/v1/users").json()["data"]["items"]]
    with scopes_disabled():
        assert Membership.objects.get(pk=foreign.pk).role == "viewer"


@pytest.mark.parametrize("role", ["hr", "viewer"])
def test_only_admins_manage_users(make_client, tenant, role):
    client = make_client(tenant, role)
    target = MembershipFactory(tenant=tenant, role="viewer")
    assert client.get("/api/v1/users").status_code == 403
    assert client.get(f"/api/v1/users/{target.user.pk}").status_code == 403
    assert client.post("/api/v1/users", {"username": "z", "password": "password123"}, format="json").status_code == 403
    assert client.patch(f"/api/v1/users/{target.user.pk}", {"role": "admin"}, format="json").status_code == 403
    assert client.delete(f"/api/v1/users/{target.user.pk}").status_code == 403


def test_shared_person_account_cannot_be_taken_over_by_another_tenant(admin_client, tenant, other_tenant):
    """The takeover: tenant A's admin resets the password of someone who is an admin in tenant B."""
    b_admin = MembershipFactory(tenant=other_tenant, role="admin")
    MembershipFactory(tenant=tenant, user=b_admin.user, role="hr")
    url = f"/api/v1/users/{b_admin.user.pk}"
    for change in ({"password": "taken-over-123"}, {"email": "attacker@example.com"}, {"is_active": False},
                   {"role": "viewer", "password": "taken-over-123"}):
        refused = admin_client.patch(url, change, format="json")
        assert refused.status_code == 403 and refused.json()["error_code"] == "shared_account", (change, refused.content)
    user = User.objects.get(pk=b_admin.user.pk)
    assert user.check_password("pass-word-123") and not user.check_password("taken-over-123")
    assert user.is_active and user.email != "attacker@example.com"
    with scopes_disabled():
        assert Membership.objects.get(user=user, tenant=tenant).role == "hr"  # the refused mixed change changed nothing
    # Their role here can change; demoting them here keeps their back-office access as B's admin.
    assert admin_client.patch(url, {"role": "viewer"}, format="json").json()["data"]["role"] == "viewer"
    assert User.objects.get(pk=user.pk).is_staff
    with scopes_disabled():
        assert Membership.objects.get(pk=b_admin.pk).role == "admin"
    login = admin_client.post("/api/v1/auth/login", {"username": user.username, "password": "pass-word-123",
                                                     "tenant": other_tenant.slug}, format="json")
    assert login.status_code == 200 and login.json()["data"]["user"]["role"] == "admin", login.content


def test_role_changes_keep_staff_access_in_step_with_every_membership(admin_client, tenant, other_tenant):
    member = MembershipFactory(tenant=tenant, role="hr")
    url = f"/api/v1/users/{member.user.pk}"
    assert admin_client.patch(url, {"role": "viewer"}, format="json").status_code == 200
    assert not User.objects.get(pk=member.user.pk).is_staff  # a viewer everywhere has no back office
    MembershipFactory(tenant=other_tenant, user=member.user, role="viewer")
    assert admin_client.patch(url, {"role": "admin"}, format="json").status_code == 200
    assert User.objects.get(pk=member.user.pk).is_staff
