import pytest

from tenants.scoping import scopes_disabled
from tests.factories import EndpointFactory

pytestmark = pytest.mark.django_db


def test_admin_creates_endpoint_and_sees_secret(admin_client):
    response = admin_client.post("/api/v1/endpoints", {"name": "ATS", "callback_url": "http://127.0.0.1:9/hook"}, format="json")
    assert response.status_code == 201, response.content
    data = response.json()["data"]
    assert data["secret"].startswith("whsec_")
    listed = admin_client.get("/api/v1/endpoints").json()["data"]
    assert listed["total"] == 1 and listed["items"][0]["id"] == data["id"]
    assert "secret" not in listed["items"][0]


def test_other_tenants_endpoint_is_404(admin_client, other_tenant):
    foreign = EndpointFactory(tenant=other_tenant)
    assert admin_client.get(f"/api/v1/endpoints/{foreign.pk}").status_code == 404
    assert admin_client.patch(f"/api/v1/endpoints/{foreign.pk}", {"name": "x"}, format="json").status_code == 404
    assert admin_client.delete(f"/api/v1/endpoints/{foreign.pk}").status_code == 404
    assert admin_client.post(f"/api/v1/endpoints/{foreign.pk}/rotate-secret").status_code == 404
    assert admin_client.get("/api/v1/endpoints/not-a-uuid").status_code == 404
    listed = admin_client.get("/api/v1/endpoints").json()["data"]
    assert listed["total"] == 0


def test_rotate_secret_keeps_previous_for_overlap(admin_client, tenant):
    endpoint = EndpointFactory(tenant=tenant)
    old = endpoint.secret
    data = admin_client.post(f"/api/v1/endpoints/{endpoint.pk}/rotate-secret").json()["data"]
    assert data["secret"] != old
    with scopes_disabled():
        endpoint.refresh_from_db()
    assert endpoint.signing_secrets() == [data["secret"], old]


def test_hr_cannot_create_endpoints(hr_client):
    response = hr_client.post("/api/v1/endpoints", {"name": "x"}, format="json")
    assert response.status_code == 403
    assert response.json()["error_code"] == "permission_denied"


def test_private_callback_refused_when_not_allowed(admin_client, settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    response = admin_client.post("/api/v1/endpoints", {"name": "x", "callback_url": "http://169.254.169.254/latest"}, format="json")
    assert response.status_code == 400
    assert response.json()["error_code"] == "unsafe_callback_url"
