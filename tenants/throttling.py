"""Login throttling, shared by the API login and the admin login.

Attempts are counted per client address and username. The address comes from `X-Forwarded-For` only
when ``TRUSTED_PROXY_COUNT`` proxies are in front of the service: otherwise a client could send a new
header on every try and never be counted twice. The username is normalised the way the login compares
it, so padding it with spaces or changing its case does not open a new count.
"""

from __future__ import annotations

import math
import unicodedata
from typing import Any

from django.conf import settings
from django.contrib import admin
from django.http import HttpRequest, HttpResponse
from rest_framework.throttling import SimpleRateThrottle


def client_address(request: HttpRequest) -> str:
    """The address of the client as seen by the outermost trusted proxy (or the socket peer without one)."""
    remote_addr = str(request.META.get("REMOTE_ADDR", ""))
    trusted = settings.TRUSTED_PROXY_COUNT
    forwarded = str(request.META.get("HTTP_X_FORWARDED_FOR", ""))
    if trusted <= 0 or not forwarded:
        return remote_addr
    # Each trusted proxy appends the address it received from; the entry our outermost proxy appended is the
    # last one anybody outside could not forge. Entries left of it are the client's own claims.
    hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
    if not hops:
        return remote_addr
    return hops[-min(trusted, len(hops))]


def normalise_username(value: Any) -> str:
    """As Django's login form and the API serializer read it (NFKC, stripped), case-folded so `Bob` counts as `bob`."""
    return unicodedata.normalize("NFKC", str(value)).strip().casefold()[:150]


class LoginThrottle(SimpleRateThrottle):
    """Per client address and username, so a guessing run is slowed without locking out others."""

    scope = "login"

    def get_ident(self, request: Any) -> str:
        return client_address(request)

    def get_cache_key(self, request: Any, view: Any) -> str:
        # DRF requests carry the parsed body in .data (JSON or form); the admin's plain request in .POST.
        body = request.data if hasattr(request, "data") else request.POST
        username = normalise_username(body.get("username", "")) if hasattr(body, "get") else ""
        return self.cache_format % {"scope": self.scope, "ident": f"{self.get_ident(request)}:{username}"}


def admin_login(request: HttpRequest, extra_context: dict[str, Any] | None = None) -> HttpResponse:
    """/admin/login/ with the API login's throttle in front of each sign-in attempt."""
    if request.method == "POST":
        throttle = LoginThrottle()
        # DRF types the throttle for its own Request and a view; LoginThrottle reads neither beyond what a plain
        # HttpRequest has (see get_cache_key).
        if not throttle.allow_request(request, None):  # type: ignore[arg-type]
            wait = math.ceil(throttle.wait() or 1)
            response = HttpResponse(
                f"Too many login attempts. Try again in {wait} seconds.", status=429, content_type="text/plain"
            )
            response["Retry-After"] = str(wait)
            return response
    return admin.site.login(request, extra_context)
