"""/api/v1/webhooks/deliveries…, /api/v1/endpoints/{id}/test-webhook and enable-webhooks."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone

from tenants.models import Role
from tenants.scoping import tenant_scope
from tests.factories import EndpointFactory
from webhooks.models import WebhookDelivery
from webhooks.services import webhook_delivery_attempt, webhook_event_emit

pytestmark = pytest.mark.django_db

Status = WebhookDelivery.Status


def _emit(endpoint, event_type="cv.completed", attempt=False):
    with tenant_scope(endpoint.tenant_id):
        delivery = webhook_event_emit(endpoint=endpoint, event_type=event_type, payload={"status": "completed", "名": "é"})
        if attempt:
            delivery = webhook_delivery_attempt(delivery_id=delivery.pk)
    return delivery


@pytest.fixture
def foreign(other_tenant, receiver):
    endpoint = EndpointFactory(tenant=other_tenant, callback_url=receiver.url())
    return endpoint, _emit(endpoint)


def test_list_filters_and_envelope(viewer_client, tenant, hook_endpoint, receiver, foreign):
    second = EndpointFactory(tenant=tenant, callback_url=receiver.url())
    receiver.script = [500]
    failed_once = _emit(hook_endpoint, attempt=True)
    _emit(hook_endpoint, "cv.failed")
    _emit(second)
    body = viewer_client.get("/api/v1/webhooks/deliveries", {"page_size": 2}).json()
    assert body["success"] is True
    assert body["data"]["total"] == 3 and body["data"]["pages"] == 2 and len(body["data"]["items"]) == 2
    items = viewer_client.get("/api/v1/webhooks/deliveries", {"endpoint": str(hook_endpoint.pk)}).json()["data"]["items"]
    assert len(items) == 2
    items = viewer_client.get("/api/v1/webhooks/deliveries", {"event_type": "cv.failed"}).json()["data"]["items"]
    assert [i["event_type"] for i in items] == ["cv.failed"]
    items = viewer_client.get("/api/v1/webhooks/deliveries", {"status": "pending", "endpoint": str(hook_endpoint.pk)}).json()
    row = next(i for i in items["data"]["items"] if i["id"] == str(failed_once.pk))
    # Viewers get no response excerpt (a receiver may echo contacts): tests/security/test_viewer_masking.py.
    assert row["attempts"] == 1 and row["last_status_code"] == 500 and row["response_excerpt"] is None
    assert row["next_attempt_at"] and row["endpoint_name"] == hook_endpoint.name
    foreign_endpoint, _ = foreign
    assert viewer_client.get("/api/v1/webhooks/deliveries", {"endpoint": str(foreign_endpoint.pk)}).json()["data"]["total"] == 0


@pytest.mark.parametrize("params", [{"status": "exploded"}, {"event_type": "nope"}, {"endpoint": "not-a-uuid"}, {"page": "x"}])
def test_list_validation(viewer_client, params):
    response = viewer_client.get("/api/v1/webhooks/deliveries", params)
    assert response.status_code == 400 and response.json()["success"] is False


def test_detail_has_payload_and_attempt_log(viewer_client, hook_endpoint, receiver):
    receiver.script = [503]
    delivery = _emit(hook_endpoint, attempt=True)
    with tenant_scope(hook_endpoint.tenant_id):
        webhook_delivery_attempt(delivery_id=delivery.pk)
    data = viewer_client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").json()["data"]
    assert data["event_id"] == delivery.event_id and data["status"] == "delivered"
    assert data["payload"] == delivery.payload and "名" in data["payload"]
    assert [(a["number"], a["status_code"]) for a in data["attempt_log"]] == [(1, 503), (2, 200)]
    assert all(a["duration_ms"] >= 0 and a["started_at"] for a in data["attempt_log"])


def test_replay_one(hr_client, hook_endpoint, receiver):
    delivery = _emit(hook_endpoint, attempt=True)
    response = hr_client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay")
    assert response.status_code == 202, response.content
    assert response.json()["data"]["status"] == "pending"
    with tenant_scope(hook_endpoint.tenant_id):
        again = webhook_delivery_attempt(delivery_id=delivery.pk, attempt=2)
    assert again.status == Status.DELIVERED
    assert [r.headers["webhook-id"] for r in receiver.requests] == [delivery.event_id] * 2


def test_replay_disabled_endpoint_is_409(hr_client, tenant, receiver):
    endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url(), webhooks_disabled_at=timezone.now())
    delivery = _emit(endpoint)
    response = hr_client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay")
    assert response.status_code == 409 and response.json()["error_code"] == "webhooks_disabled"


def test_replay_many(hr_client, tenant, hook_endpoint, receiver):
    disabled = EndpointFactory(tenant=tenant, callback_url=receiver.url(), webhooks_disabled_at=timezone.now())
    one, two, held = _emit(hook_endpoint, attempt=True), _emit(hook_endpoint, attempt=True), _emit(disabled)
    ids = [str(one.pk), str(two.pk).upper(), str(held.pk)]
    response = hr_client.post("/api/v1/webhooks/deliveries/replay", {"ids": ids}, format="json")
    assert response.status_code == 202, response.content
    data = response.json()["data"]
    assert sorted(data["replayed"]) == sorted([str(one.pk), str(two.pk)])
    assert data["skipped"] == [{"id": str(held.pk), "error_code": "webhooks_disabled", "message": data["skipped"][0]["message"]}]


@pytest.mark.parametrize("body", [{}, {"ids": []}, {"ids": ["not-a-uuid"]}, {"ids": "x"}, {"ids": [str(uuid.uuid4())] * 501}])
def test_replay_many_validation(hr_client, body):
    response = hr_client.post("/api/v1/webhooks/deliveries/replay", body, format="json")
    assert response.status_code == 400 and response.json()["error_code"] == "invalid"


def test_test_webhook(hr_client, hook_endpoint, tenant):
    response = hr_client.post(f"/api/v1/endpoints/{hook_endpoint.pk}/test-webhook")
    assert response.status_code == 202, response.content
    assert response.json()["data"]["event_type"] == "webhook.test"
    no_url = EndpointFactory(tenant=tenant, callback_url="")
    response = hr_client.post(f"/api/v1/endpoints/{no_url.pk}/test-webhook")
    assert response.status_code == 400 and response.json()["error_code"] == "no_callback_url"


def test_enable_webhooks(admin_client, tenant, receiver):
    endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url(), webhooks_disabled_at=timezone.now(),
                               webhooks_disabled_reason="The receiver answered 410 Gone.")
    held = _emit(endpoint)
    assert held.status == Status.HELD
    response = admin_client.post(f"/api/v1/endpoints/{endpoint.pk}/enable-webhooks")
    assert response.status_code == 200 and response.json()["data"] == {"replayed": 1}
    endpoint_data = admin_client.get(f"/api/v1/endpoints/{endpoint.pk}").json()["data"]
    assert endpoint_data["webhooks_disabled_at"] is None


def test_other_tenant_is_404_everywhere(admin_client, foreign):
    endpoint, delivery = foreign
    assert admin_client.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").status_code == 404
    assert admin_client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay").status_code == 404
    response = admin_client.post("/api/v1/webhooks/deliveries/replay", {"ids": [str(delivery.pk)]}, format="json")
    assert response.status_code == 404 and str(delivery.pk) in response.json()["message"]
    assert admin_client.post(f"/api/v1/endpoints/{endpoint.pk}/test-webhook").status_code == 404
    assert admin_client.post(f"/api/v1/endpoints/{endpoint.pk}/enable-webhooks").status_code == 404
    assert admin_client.get("/api/v1/webhooks/deliveries").json()["data"]["total"] == 0
    assert admin_client.get("/api/v1/webhooks/deliveries/not-a-uuid").status_code == 404
    with tenant_scope(endpoint.tenant_id):
        delivery.refresh_from_db()
    assert delivery.attempts == 0 and delivery.status == Status.PENDING


def test_roles(make_client, tenant, hook_endpoint):
    delivery = _emit(hook_endpoint)
    viewer, hr = make_client(tenant, Role.VIEWER), make_client(tenant, Role.HR)
    assert viewer.get("/api/v1/webhooks/deliveries").status_code == 200
    assert viewer.get(f"/api/v1/webhooks/deliveries/{delivery.pk}").status_code == 200
    for client in (viewer,):
        assert client.post(f"/api/v1/webhooks/deliveries/{delivery.pk}/replay").status_code == 403
        assert client.post("/api/v1/webhooks/deliveries/replay", {"ids": [str(delivery.pk)]}, format="json").status_code == 403
        assert client.post(f"/api/v1/endpoints/{hook_endpoint.pk}/test-webhook").status_code == 403
    for client in (viewer, hr):
        response = client.post(f"/api/v1/endpoints/{hook_endpoint.pk}/enable-webhooks")
        assert response.status_code == 403 and response.json()["error_code"] == "permission_denied"


def test_unauthenticated_is_401(client, hook_endpoint):
    assert client.get("/api/v1/webhooks/deliveries").status_code == 401
