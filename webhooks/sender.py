"""One HTTP POST to a callback URL, safe against SSRF and DNS rebinding.

The host is resolved and every address checked right before connecting; the request then
goes to that checked IP (Host header and TLS SNI keep the real name), so a second DNS
answer can't redirect it. Redirects are not followed automatically: 307/308 (which keep
the method and body) are followed by hand, each hop passing the same checks.
"""

from __future__ import annotations

import ssl
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

import certifi
import httpx
from django.conf import settings

from webhooks.guard import UnsafeTarget, resolve_public_addresses, validate_callback_url

USER_AGENT = "CVPlatform-Webhooks/1.0"
_FOLLOWED_REDIRECTS = (307, 308)


@dataclass(frozen=True)
class SendResult:
    url: str
    status_code: int | None = None
    response_excerpt: str = ""
    error: str = ""
    duration_ms: int = 0

    @property
    def ok(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


@dataclass(frozen=True)
class _Hop:
    status_code: int
    excerpt: str
    location: str | None


def _excerpt(response: httpx.Response) -> str:
    """At most WEBHOOK_RESPONSE_EXCERPT_CHARS of the body, read no further than needed."""
    limit = settings.WEBHOOK_RESPONSE_EXCERPT_CHARS
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit * 4:
            break
    text = b"".join(chunks)[: limit * 4].decode("utf-8", errors="replace")
    return text[:limit].replace("\x00", "")


@lru_cache(maxsize=4)
def _tls_context(cafile: str) -> ssl.SSLContext:
    """Certificates are always verified, against the callback's host name (sent as SNI).

    Built once per process: loading a CA bundle costs far more than the request itself.
    """
    return ssl.create_default_context(cafile=cafile or certifi.where())


def _post_once(url: str, body: bytes, headers: dict[str, str], timeout: float) -> _Hop:
    host, port = validate_callback_url(url, resolve=False)
    target = httpx.URL(url)
    addresses = resolve_public_addresses(target.raw_host.decode("ascii"), port)
    request_headers = {
        **headers,
        "Host": target.netloc.decode("ascii"),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    extensions = {"sni_hostname": target.raw_host.decode("ascii")} if target.scheme == "https" else {}
    # A fresh client per hop: no connection pool may hand a socket made for one name to another.
    tls = _tls_context(settings.WEBHOOK_CA_BUNDLE)
    with httpx.Client(timeout=timeout, follow_redirects=False, trust_env=False, verify=tls) as client:
        for index, address in enumerate(addresses):
            request = client.build_request(
                "POST", target.copy_with(host=address), content=body, headers=request_headers, extensions=extensions
            )
            try:
                response = client.send(request, stream=True)
            except httpx.ConnectError:
                if index == len(addresses) - 1:
                    raise
                continue
            try:
                return _Hop(response.status_code, _excerpt(response), response.headers.get("location"))
            finally:
                response.close()
    raise UnsafeTarget(f"Callback host '{host}' has no address.")


def post_signed(url: str, *, body: bytes, headers: dict[str, str]) -> SendResult:
    """POST ``body``; never raises for network or target problems, it reports them."""
    timeout = float(settings.WEBHOOK_TIMEOUT_SECONDS)
    started = time.monotonic()
    current = url

    def result(**fields: object) -> SendResult:
        return SendResult(url=current, duration_ms=int((time.monotonic() - started) * 1000), **fields)

    for _hop in range(settings.WEBHOOK_MAX_REDIRECTS + 1):
        try:
            hop = _post_once(current, body, headers, timeout)
        except UnsafeTarget as exc:
            return result(error=exc.message)
        except httpx.TimeoutException:
            return result(error=f"Timed out after {timeout:g}s.")
        except httpx.HTTPError as exc:
            return result(error=f"{type(exc).__name__}: {exc}"[:500])
        if 300 <= hop.status_code < 400:
            if hop.status_code in _FOLLOWED_REDIRECTS and hop.location:
                current = urljoin(current, hop.location)
                continue
            return result(status_code=hop.status_code, response_excerpt=hop.excerpt,
                          error=f"Redirect ({hop.status_code}) not followed; point the callback URL at the final address.")
        return result(status_code=hop.status_code, response_excerpt=hop.excerpt)
    return result(error=f"More than {settings.WEBHOOK_MAX_REDIRECTS} redirects.")
