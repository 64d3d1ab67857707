"""One HTTP POST to a callback URL, safe against SSRF and DNS rebinding, ended at a total deadline.

The host is resolved and every address checked right before connecting; the request then
goes to that checked IP (Host header and TLS SNI keep the real name), so a second DNS
answer can't redirect it. Redirects are not followed automatically: 307/308 (which keep
the method and body) are followed by hand, each hop passing the same checks.

WEBHOOK_TIMEOUT_SECONDS bounds the whole attempt (every hop: connect, TLS, request, headers
and body together), not each socket read: a receiver that dribbles one byte at a time would
otherwise hold a worker for as long as it likes. Every socket operation gets at most the time
left until the deadline (see _DeadlineStream), so the attempt ends at the deadline whatever
the receiver does.
"""

from __future__ import annotations

import ssl
import time
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urljoin

import certifi
import httpcore
import httpx
from django.conf import settings

from tenants.callback_guard import UnsafeTarget, resolve_public_addresses, validate_callback_url

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


def _excerpt(response: httpcore.Response) -> str:
    """At most WEBHOOK_RESPONSE_EXCERPT_CHARS of the body, read no further than needed."""
    limit = settings.WEBHOOK_RESPONSE_EXCERPT_CHARS
    chunks, size = [], 0
    for chunk in response.iter_stream():
        chunks.append(chunk)
        size += len(chunk)
        if size >= limit * 4:
            break
    text = b"".join(chunks)[: limit * 4].decode("utf-8", errors="replace")
    return text[:limit].replace("\x00", "")


class _DeadlineStream(httpcore.NetworkStream):
    """A socket whose every read and write ends by ``deadline`` (time.monotonic())."""

    def __init__(self, stream: httpcore.NetworkStream, deadline: float):
        self._stream = stream
        self._deadline = deadline

    def _left(self, timeout: float | None, error: type[Exception]) -> float:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise error("The attempt's deadline has passed.")
        return left if timeout is None else min(timeout, left)

    def read(self, max_bytes: int, timeout: float | None = None) -> bytes:
        return self._stream.read(max_bytes, self._left(timeout, httpcore.ReadTimeout))

    def write(self, buffer: bytes, timeout: float | None = None) -> None:
        self._stream.write(buffer, self._left(timeout, httpcore.WriteTimeout))

    def close(self) -> None:
        self._stream.close()

    def start_tls(self, ssl_context: ssl.SSLContext, server_hostname: str | None = None,
                  timeout: float | None = None) -> httpcore.NetworkStream:
        stream = self._stream.start_tls(ssl_context, server_hostname, self._left(timeout, httpcore.ConnectTimeout))
        return _DeadlineStream(stream, self._deadline)

    def get_extra_info(self, info: str) -> object:
        return self._stream.get_extra_info(info)


class _DeadlineBackend(httpcore.NetworkBackend):
    """httpcore's socket backend, with every connection bound to one deadline."""

    def __init__(self, deadline: float):
        self._backend = httpcore.SyncBackend()
        self._deadline = deadline

    def connect_tcp(self, host: str, port: int, timeout: float | None = None, local_address: str | None = None,
                    socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        left = self._deadline - time.monotonic()
        if left <= 0:
            raise httpcore.ConnectTimeout("The attempt's deadline has passed.")
        timeout = left if timeout is None else min(timeout, left)
        stream = self._backend.connect_tcp(host, port, timeout=timeout, local_address=local_address,
                                           socket_options=socket_options)
        return _DeadlineStream(stream, self._deadline)

    def connect_unix_socket(self, path: str, timeout: float | None = None,
                            socket_options: Iterable[httpcore.SOCKET_OPTION] | None = None) -> httpcore.NetworkStream:
        raise httpcore.ConnectError("Callbacks go over TCP only.")

    def sleep(self, seconds: float) -> None:
        time.sleep(seconds)


@lru_cache(maxsize=4)
def _tls_context(cafile: str) -> ssl.SSLContext:
    """Certificates are always verified, against the callback's host name (sent as SNI).

    Built once per process: loading a CA bundle costs far more than the request itself.
    """
    return ssl.create_default_context(cafile=cafile or certifi.where())


def _post_once(url: str, body: bytes, headers: dict[str, str], deadline: float) -> _Hop:
    host, port = validate_callback_url(url, resolve=False)
    target = httpx.URL(url)
    addresses = resolve_public_addresses(target.raw_host.decode("ascii"), port)
    request_headers = {
        **headers,
        "Host": target.netloc.decode("ascii"),
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
    }
    extensions: dict[str, object] = {}
    if target.scheme == "https":
        extensions["sni_hostname"] = target.raw_host.decode("ascii")
    # A fresh pool per hop: no connection pool may hand a socket made for one name to another.
    tls = _tls_context(settings.WEBHOOK_CA_BUNDLE)
    with httpcore.ConnectionPool(ssl_context=tls, network_backend=_DeadlineBackend(deadline), retries=0) as pool:
        for index, address in enumerate(addresses):
            try:
                with pool.stream(
                    "POST", str(target.copy_with(host=address)), headers=list(request_headers.items()),
                    content=body, extensions=extensions,
                ) as response:
                    location = next((value for name, value in response.headers if name.lower() == b"location"), None)
                    return _Hop(response.status, _excerpt(response),
                                location.decode("latin-1") if location is not None else None)
            except httpcore.ConnectError:
                if index == len(addresses) - 1:
                    raise
                continue
    raise UnsafeTarget(f"Callback host '{host}' has no address.")


def post_signed(url: str, *, body: bytes, headers: dict[str, str]) -> SendResult:
    """POST ``body``; never raises for network or target problems, it reports them."""
    timeout = float(settings.WEBHOOK_TIMEOUT_SECONDS)
    started = time.monotonic()
    deadline = started + timeout
    current = url

    def result(*, status_code: int | None = None, response_excerpt: str = "", error: str = "") -> SendResult:
        return SendResult(url=current, status_code=status_code, response_excerpt=response_excerpt, error=error,
                          duration_ms=int((time.monotonic() - started) * 1000))

    for _hop in range(settings.WEBHOOK_MAX_REDIRECTS + 1):
        try:
            hop = _post_once(current, body, headers, deadline)
        except UnsafeTarget as exc:
            return result(error=exc.message)
        except httpcore.TimeoutException:
            return result(error=f"Timed out after {timeout:g}s.")
        except (httpcore.NetworkError, httpcore.ProtocolError, httpcore.UnsupportedProtocol, httpx.InvalidURL) as exc:
            return result(error=f"{type(exc).__name__}: {exc}"[:500])
        if 300 <= hop.status_code < 400:
            if hop.status_code in _FOLLOWED_REDIRECTS and hop.location:
                current = urljoin(current, hop.location)
                continue
            return result(status_code=hop.status_code, response_excerpt=hop.excerpt,
                          error=f"Redirect ({hop.status_code}) not followed; point the callback URL at the final address.")
        return result(status_code=hop.status_code, response_excerpt=hop.excerpt)
    return result(error=f"More than {settings.WEBHOOK_MAX_REDIRECTS} redirects.")
