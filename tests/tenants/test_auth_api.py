import pytest
from rest_framework.test import APIClient

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db


def test_login_returns_tokens_in_envelope(tenant):
    membership = MembershipFactory(tenant=tenant, role="hr")
    response = APIClient().post(
        "/api/v1/auth/login", {"username": membership.user.username, "password": "pass-word-123"}, format="json"
    )
    body = response.json()
    assert response.status_code == 200
    assert body["success"] is True
    assert body["data"]["access_token"] and body["data"]["refresh_token"]
    assert body["data"]["user"]["role"] == "hr"
    assert body["data"]["tenant"]["id"] == str(tenant.pk)


def test_wrong_password_is_401_json(tenant):
    membership = MembershipFactory(tenant=tenant)
    response = APIClient().post("/api/v1/auth/login", {"username": membership.user.username, "password": "nope"}, format="json")
    assert response.status_code == 401
    assert response.json() == {
        "success": False, "message": "Invalid username or password.", "data": None, "error_code": "invalid_credentials"
    }


def test_login_is_throttled(tenant, settings):
    membership = MembershipFactory(tenant=tenant)
    client = APIClient()
    statuses = [
        client.post("/api/v1/auth/login", {"username": membership.user.username, "password": "bad"}, format="json").status_code
        for _ in range(12)
    ]
    assert statuses[:10] == [401] * 10
    assert statuses[-1] == 429


def test_missing_fields_is_400(tenant):
    response = APIClient().post("/api/v1/auth/login", {"username": "x"}, format="json")
    assert response.status_code == 400
    assert response.json()["success"] is False
    assert "password" in response.json()["message"]


def test_refresh_and_me(admin_client, tenant):
    me = admin_client.get("/api/v1/auth/me").json()["data"]
    assert me["tenant"]["id"] == str(tenant.pk)
    login = APIClient().post("/api/v1/auth/login", {"username": admin_client.user.username, "password": "pass-word-123"}, format="json")
    refreshed = APIClient().post("/api/v1/auth/refresh", {"refresh": login.json()["data"]["refresh_token"]}, format="json")
    assert refreshed.status_code == 200 and refreshed.json()["data"]["access_token"]


def test_garbage_token_is_401():
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION="Bearer not-a-jwt")
    response = client.get("/api/v1/auth/me")
    assert response.status_code == 401
    assert response.json()["success"] is False


def test_no_token_is_401():
    response = APIClient().get("/api/v1/auth/me")
    assert response.status_code == 401
