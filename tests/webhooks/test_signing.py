"""Signatures verify with the standardwebhooks package, on the bytes actually received."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from tenants.services import endpoint_rotate_secret
from webhooks.services import webhook_delivery_attempt, webhook_event_emit

pytestmark = pytest.mark.django_db

PAYLOAD = {
    "request_id": "5f0c1d9e-0000-4000-8000-000000000001",
    "status": "completed",
    "data": {
        "contact_info": {"name": "王小明 · José Núñez-Çelik", "email": "xiaoming@example.com"},
        "summary": "资深后端工程师，熟悉 Python。Développeur expérimenté à Zürich — «über» café.",
        "skills": ["Python", "数据分析", "Gestión de proyectos"],
    },
    "error": None,
}


def _deliver(endpoint, receiver, payload=PAYLOAD):
    delivery = webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload=payload)
    return webhook_delivery_attempt(delivery_id=delivery.pk), receiver.requests[-1]


def test_non_ascii_payload_verifies_with_standardwebhooks(hook_endpoint, receiver, in_scope):
    delivery, got = _deliver(hook_endpoint, receiver)
    assert got.headers["webhook-id"] == delivery.event_id and delivery.event_id.startswith("msg_")
    assert got.headers["content-type"] == "application/json"
    assert "资深后端工程师".encode() in got.body and "Núñez".encode() in got.body  # raw UTF-8, not \u-escaped
    assert got.body == delivery.payload.encode("utf-8")
    assert Webhook(hook_endpoint.secret).verify(got.body, got.headers) == json.loads(json.dumps(PAYLOAD))


def test_tampered_body_or_wrong_secret_fails(hook_endpoint, receiver, in_scope):
    _, got = _deliver(hook_endpoint, receiver)
    with pytest.raises(WebhookVerificationError):
        Webhook(hook_endpoint.secret).verify(got.body.replace("王".encode(), "汪".encode()), got.headers)
    with pytest.raises(WebhookVerificationError):
        Webhook("whsec_" + "QUJDREVGR0hJSktMTU5PUFFSU1RVVldYWVo=").verify(got.body, got.headers)


def test_both_secrets_verify_during_rotation(hook_endpoint, receiver, in_scope):
    old_secret = hook_endpoint.secret
    endpoint = endpoint_rotate_secret(endpoint=hook_endpoint)
    _, got = _deliver(endpoint, receiver)
    assert len(got.headers["webhook-signature"].split(" ")) == 2
    assert Webhook(endpoint.secret).verify(got.body, got.headers)
    assert Webhook(old_secret).verify(got.body, got.headers)


def test_expired_previous_secret_no_longer_signs(hook_endpoint, receiver, in_scope):
    old_secret = hook_endpoint.secret
    endpoint = endpoint_rotate_secret(endpoint=hook_endpoint, overlap=timedelta(seconds=-1))
    assert endpoint.previous_secret_expires_at < timezone.now()
    _, got = _deliver(endpoint, receiver)
    assert len(got.headers["webhook-signature"].split(" ")) == 1
    with pytest.raises(WebhookVerificationError):
        Webhook(old_secret).verify(got.body, got.headers)


def test_lone_surrogate_text_is_still_deliverable(hook_endpoint, receiver, in_scope):
    """Text extracted from broken PDFs can hold lone surrogates; the body falls back to \\u escapes."""
    payload = {"data": {"summary": "bad \udcff text 名字"}}
    delivery, got = _deliver(hook_endpoint, receiver, payload)
    assert delivery.status == "delivered"
    assert Webhook(hook_endpoint.secret).verify(got.body, got.headers) == {"data": {"summary": "bad \udcff text 名字"}}
