"""SSRF guard: refused targets at save time and at send time, pinned connections, redirects."""

from __future__ import annotations

import socket
import ssl
import subprocess

import pytest

from tenants.callback_guard import UnsafeTarget, validate_callback_url
from tests.factories import EndpointFactory
from tests.webhooks.receiver import Receiver
from webhooks.models import WebhookAttempt, WebhookDelivery
from webhooks.services import webhook_delivery_attempt, webhook_event_emit

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_ALLOWED_NETWORKS = []


@pytest.fixture
def fake_dns(monkeypatch):
    """Answers for made-up names, as a hostile DNS server would; real resolution for the rest."""
    answers: dict[str, list[str]] = {}
    real = socket.getaddrinfo

    def getaddrinfo(host, port, *args, **kwargs):
        if host in answers:
            address = answers[host].pop(0) if len(answers[host]) > 1 else answers[host][0]
            family = socket.AF_INET6 if ":" in address else socket.AF_INET
            return [(family, socket.SOCK_STREAM, 6, "", (address, port))]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr("tenants.callback_guard.socket.getaddrinfo", getaddrinfo)
    return answers


def _emit(endpoint):
    return webhook_event_emit(endpoint=endpoint, event_type="cv.completed", payload={"status": "completed"})


@pytest.mark.parametrize(
    "url",
    [
        "http://169.254.169.254/latest/meta-data/",
        "http://10.0.0.1/hook",
        "http://127.0.0.1:8000/hook",
        "http://[::1]:8000/hook",
        "http://localhost:8000/hook",  # a hostname resolving to a private address
        "http://2130706433/hook",  # 127.0.0.1 in decimal
        "http://[::ffff:10.0.0.1]/hook",  # IPv4-mapped IPv6
        "http://[64:ff9b::a9fe:a9fe]/hook",  # NAT64 of 169.254.169.254
        "http://192.168.1.10/hook",
        "http://100.64.0.1/hook",  # carrier-grade NAT
        "http://0.0.0.0/hook",
    ],
)
def test_private_targets_refused(url, private_refused):
    with pytest.raises(UnsafeTarget):
        validate_callback_url(url)


@pytest.mark.parametrize("url", ["ftp://example.com/x", "file:///etc/passwd", "http://user:pw@example.com/", "http:///nohost"])
def test_bad_urls_refused(url):
    with pytest.raises(UnsafeTarget):
        validate_callback_url(url, resolve=False)


def test_public_address_allowed(private_refused):
    assert validate_callback_url("https://93.184.216.34/hook") == ("93.184.216.34", 443)


def test_metadata_blocked_even_when_private_allowed(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = True
    with pytest.raises(UnsafeTarget):
        validate_callback_url("http://169.254.169.254/latest/meta-data/")
    validate_callback_url("http://10.0.0.1/hook")


def test_api_refuses_private_callback(admin_client, private_refused):
    for url in ("http://10.0.0.1/hook", "http://169.254.169.254/", "http://[::1]/", "http://localhost/"):
        response = admin_client.post("/api/v1/endpoints", {"name": "x", "callback_url": url}, format="json")
        assert response.status_code == 400 and response.json()["error_code"] == "unsafe_callback_url", url


def test_checked_again_at_send_time(hook_endpoint, receiver, settings, in_scope):
    """Saved while allowed, refused when sending: the check runs on every attempt."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    assert receiver.requests == []
    assert delivery.status == WebhookDelivery.Status.PENDING and "not public" in delivery.last_error


def test_dns_rebinding_refused_at_send_time(tenant, fake_dns, private_refused, in_scope):
    fake_dns["rebind.test"] = ["93.184.216.34", "127.0.0.1"]  # public when saved, loopback when sending
    validate_callback_url("http://rebind.test:8080/hook")
    endpoint = EndpointFactory(tenant=tenant, callback_url="http://rebind.test:8080/hook")
    delivery = webhook_delivery_attempt(delivery_id=_emit(endpoint).pk)
    assert "127.0.0.1" in delivery.last_error and delivery.last_status_code is None


def test_connection_goes_to_the_checked_address(tenant, receiver, fake_dns, in_scope):
    """The name is resolved once by the guard; the request is sent to that IP with the name as Host."""
    fake_dns["receiver.test"] = ["127.0.0.1"]  # only our resolver knows this name; httpx alone could not reach it
    endpoint = EndpointFactory(tenant=tenant, callback_url=f"http://receiver.test:{receiver.port}/hook?x=1")
    delivery = webhook_delivery_attempt(delivery_id=_emit(endpoint).pk)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    assert receiver.requests[0].headers["host"] == f"receiver.test:{receiver.port}"
    assert receiver.requests[0].path == "/hook?x=1"


def test_redirect_to_private_address_not_followed(tenant, receiver, settings, in_scope):
    """127.0.0.1 is explicitly allowed; the redirect goes to 127.0.0.2, which isn't, and is refused."""
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_ALLOWED_NETWORKS = ["127.0.0.1/32"]
    other = Receiver(host="127.0.0.2")
    try:
        receiver.script = [(307, {"Location": other.url()}, "moved")]
        endpoint = EndpointFactory(tenant=tenant, callback_url=receiver.url())
        delivery = webhook_delivery_attempt(delivery_id=_emit(endpoint).pk)
        assert other.requests == []
        assert len(receiver.requests) == 1
        assert delivery.status == WebhookDelivery.Status.PENDING and "127.0.0.2" in delivery.last_error
        assert WebhookAttempt.objects.get(delivery=delivery).url == other.url()
    finally:
        other.close()


def test_redirect_to_metadata_not_followed(tenant, receiver, in_scope):
    receiver.script = [(308, {"Location": "http://169.254.169.254/latest/meta-data/"}, "")]
    delivery = webhook_delivery_attempt(delivery_id=_emit(EndpointFactory(tenant=tenant, callback_url=receiver.url())).pk)
    assert delivery.status == WebhookDelivery.Status.PENDING and "blocked" in delivery.last_error


def test_allowed_307_redirect_is_followed_with_same_signed_body(hook_endpoint, receiver, in_scope):
    receiver.script = [(307, {"Location": "/final"}, "")]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    assert delivery.status == WebhookDelivery.Status.DELIVERED
    first, second = receiver.requests
    assert second.path == "/final" and first.body == second.body
    assert first.headers["webhook-signature"] == second.headers["webhook-signature"]


def test_302_is_not_followed(hook_endpoint, receiver, in_scope):
    receiver.script = [(302, {"Location": "/elsewhere"}, "")]
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    assert len(receiver.requests) == 1
    assert delivery.status == WebhookDelivery.Status.PENDING and delivery.last_status_code == 302


def test_redirect_loop_is_cut(hook_endpoint, receiver, settings, in_scope):
    settings.WEBHOOK_MAX_REDIRECTS = 2
    receiver.script = [(307, {"Location": "/again"}, "")] * 5
    delivery = webhook_delivery_attempt(delivery_id=_emit(hook_endpoint).pk)
    assert len(receiver.requests) == 3 and "redirects" in delivery.last_error


@pytest.fixture
def tls_receiver(tmp_path):
    """An https receiver with a self-signed certificate for 'receiver.test'; records the SNI it was asked for."""
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=receiver.test",
         "-addext", "subjectAltName=DNS:receiver.test", "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server_names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: server_names.append(name)
    server = Receiver(tls=context)
    server.cert, server.server_names = cert, server_names
    yield server
    server.close()


def test_https_pinned_address_keeps_sni_and_verifies_the_certificate(tenant, tls_receiver, fake_dns, settings, in_scope):
    fake_dns["receiver.test"] = ["127.0.0.1"]
    endpoint = EndpointFactory(tenant=tenant, callback_url=f"https://receiver.test:{tls_receiver.port}/hook")
    refused = webhook_delivery_attempt(delivery_id=_emit(endpoint).pk)
    assert "CERTIFICATE_VERIFY_FAILED" in refused.last_error  # self-signed: not trusted by default
    assert tls_receiver.server_names == ["receiver.test"] and tls_receiver.requests == []

    settings.WEBHOOK_CA_BUNDLE = str(tls_receiver.cert)
    delivered = webhook_delivery_attempt(delivery_id=refused.pk)
    assert delivered.status == WebhookDelivery.Status.DELIVERED
    assert tls_receiver.requests[0].headers["host"] == f"receiver.test:{tls_receiver.port}"
