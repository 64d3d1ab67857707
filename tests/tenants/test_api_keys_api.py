import pytest
from rest_framework.test import APIClient

from tenants.models import ApiKey
from tenants.scoping import scopes_disabled
from tenants.services import api_key_create

pytestmark = pytest.mark.django_db


def test_create_shows_key_once_and_stores_only_hash(admin_client):
    response = admin_client.post("/api/v1/api-keys", {"name": "ATS"}, format="json")
    assert response.status_code == 201
    raw = response.json()["data"]["api_key"]
    assert raw.startswith("cvk_")
    with scopes_disabled():
        key = ApiKey.objects.get(pk=response.json()["data"]["id"])
    assert raw not in (key.hashed_key, key.prefix) and key.matches(raw)
    listed = admin_client.get("/api/v1/api-keys").json()["data"]["items"]
    assert "api_key" not in listed[0]


def test_revoke_and_cross_tenant(admin_client, other_tenant):
    foreign = api_key_create(tenant=other_tenant, name="theirs").key
    assert admin_client.get(f"/api/v1/api-keys/{foreign.pk}").status_code == 404
    assert admin_client.delete(f"/api/v1/api-keys/{foreign.pk}").status_code == 404
    with scopes_disabled():
        foreign.refresh_from_db()
    assert not foreign.is_revoked
    mine = admin_client.post("/api/v1/api-keys", {"name": "mine"}, format="json").json()["data"]
    assert admin_client.delete(f"/api/v1/api-keys/{mine['id']}").json()["data"]["is_revoked"] is True


def test_viewer_and_hr_cannot_manage_keys(viewer_client, hr_client):
    assert viewer_client.get("/api/v1/api-keys").status_code == 403
    assert hr_client.post("/api/v1/api-keys", {"name": "x"}, format="json").status_code == 403


def test_api_key_is_not_a_jwt(api_key):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    assert client.get("/api/v1/auth/me").status_code == 401
