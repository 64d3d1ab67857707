"""Login throttling cannot be side-stepped (issue 16, Why 3): not by a new X-Forwarded-For on each try, not by
padding or re-casing the username, and not by signing in through /admin/login/ instead of the API."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db

# LOGIN_THROTTLE_RATE in the test settings is the default, 10/min.
ALLOWED = 10


def api_login(username: str, password: str = "bad", forwarded_for: str | None = None) -> int:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return APIClient().post(
        "/api/v1/auth/login", {"username": username, "password": password}, format="json", **extra
    ).status_code


def admin_login(username: str, password: str = "bad", forwarded_for: str | None = None) -> int:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded_for} if forwarded_for else {}
    return Client().post("/admin/login/", {"username": username, "password": password}, **extra).status_code


LOGINS = pytest.mark.parametrize("login,failed", [(api_login, 401), (admin_login, 200)], ids=["api", "admin"])


@LOGINS
def test_rotating_forwarded_for_does_not_reset_the_count(tenant, login: Callable[..., int], failed: int):
    username = MembershipFactory(tenant=tenant).user.username
    statuses = [login(username, forwarded_for=f"203.0.113.{i}") for i in range(ALLOWED + 2)]
    assert statuses[:ALLOWED] == [failed] * ALLOWED
    assert statuses[ALLOWED:] == [429, 429]


@LOGINS
def test_padded_and_recased_usernames_share_one_count(tenant, login: Callable[..., int], failed: int):
    username = MembershipFactory(tenant=tenant).user.username
    variants = [username, f" {username}", f"{username}  ", f"\t{username.upper()} ", username.title()]
    statuses = [login(variants[i % len(variants)]) for i in range(ALLOWED + 2)]
    assert statuses[:ALLOWED] == [failed] * ALLOWED
    assert statuses[ALLOWED:] == [429, 429]


@LOGINS
def test_locked_out_even_with_the_right_password_and_others_unaffected(tenant, login: Callable[..., int], failed: int):
    username = MembershipFactory(tenant=tenant).user.username
    for _ in range(ALLOWED):
        assert login(username) == failed
    assert login(username, password="pass-word-123") == 429
    other = MembershipFactory(tenant=tenant).user.username
    assert login(other, password="pass-word-123") in (200, 302)


def test_admin_and_api_logins_share_one_count(tenant):
    username = MembershipFactory(tenant=tenant).user.username
    for _ in range(ALLOWED // 2):
        assert api_login(username) == 401
        assert admin_login(username) == 200
    assert api_login(username) == 429
    assert admin_login(username) == 429


def test_throttled_admin_login_says_when_to_retry(tenant):
    username = MembershipFactory(tenant=tenant).user.username
    for _ in range(ALLOWED):
        admin_login(username)
    response = Client().post("/admin/login/", {"username": username, "password": "bad"})
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60


@LOGINS
def test_behind_trusted_proxies_the_proxy_seen_address_counts(tenant, settings, login: Callable[..., int], failed: int):
    settings.TRUSTED_PROXY_COUNT = 1
    username = MembershipFactory(tenant=tenant).user.username
    # The client forges the left entries; the last one is what our proxy saw, and it stays the same.
    statuses = [login(username, forwarded_for=f"10.9.9.{i}, 198.51.100.7") for i in range(ALLOWED + 1)]
    assert statuses[:ALLOWED] == [failed] * ALLOWED
    assert statuses[ALLOWED] == 429
    # Another real client behind the same proxy has its own count.
    assert login(username, forwarded_for="198.51.100.8") == failed
