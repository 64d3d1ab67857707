"""Smaller hardening items (issue 16, Why 10): SSRF guard on IPv4-in-IPv6 forms, expired API keys refused."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tenants.callback_guard import UnsafeTarget, check_address, validate_callback_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def private_refused(settings):
    settings.WEBHOOK_ALLOW_PRIVATE_TARGETS = False
    settings.WEBHOOK_ALLOWED_NETWORKS = []


@pytest.mark.parametrize(
    "url",
    [
        "http://[::7f00:1]/",  # IPv4-compatible 127.0.0.1
        "http://[::127.0.0.1]/",
        "http://[::a9fe:a9fe]/",  # IPv4-compatible 169.254.169.254 (metadata)
        "http://[::a00:1]/",  # IPv4-compatible 10.0.0.1
        "http://[::ffff:127.0.0.1]/",  # IPv4-mapped
        "http://[::ffff:7f00:1]/",
    ],
)
def test_guard_refuses_ipv4_embedded_in_ipv6(private_refused, url):
    with pytest.raises(UnsafeTarget):
        validate_callback_url(url)


def test_guard_still_accepts_public_ipv4_compatible_and_unspecified_is_refused(private_refused):
    check_address("::808:808")  # ::8.8.8.8 embeds a public address
    for address in ("::", "::1"):
        with pytest.raises(UnsafeTarget):
            check_address(address)


@pytest.mark.parametrize("delta", [timedelta(days=-1), timedelta(seconds=-1)])
def test_api_key_with_past_expiry_is_refused(admin_client, delta):
    expires_at = (timezone.now() + delta).isoformat()
    response = admin_client.post("/api/v1/api-keys", {"name": "ATS", "expires_at": expires_at}, format="json")
    assert response.status_code == 400
    assert "expires_at" in str(response.json())


def test_api_key_with_future_expiry_is_accepted(admin_client):
    expires_at = (timezone.now() + timedelta(days=30)).isoformat()
    response = admin_client.post("/api/v1/api-keys", {"name": "ATS", "expires_at": expires_at}, format="json")
    assert response.status_code == 201


def test_provision_answers_a_refused_callback_url_with_one_line(private_refused):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError) as refused:
        call_command("provision", tenant="Acme", admin="acme-admin", password="pass-word-123",
                     callback_url="http://169.254.169.254/latest/")
    assert "unsafe_callback_url" in str(refused.value) and "\n" not in str(refused.value)
