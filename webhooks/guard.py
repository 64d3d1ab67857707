"""SSRF guard for callback URLs: http(s) to public addresses only, checked again at send time."""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings

from config.errors import ApplicationError


class UnsafeTarget(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="unsafe_callback_url", status=400)


def _is_public(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def resolve_public_addresses(host: str, port: int) -> list[str]:
    """Resolve ``host`` and refuse it unless every address is public (or private is allowed)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        raise UnsafeTarget(f"Cannot resolve callback host '{host}'.") from exc
    addresses = sorted({info[4][0] for info in infos})
    if not settings.WEBHOOK_ALLOW_PRIVATE_TARGETS:
        for address in addresses:
            if not _is_public(ipaddress.ip_address(address.split("%")[0])):
                raise UnsafeTarget(f"Callback host '{host}' resolves to a non-public address ({address}).")
    return addresses


def validate_callback_url(url: str, *, resolve: bool = True) -> tuple[str, int]:
    """Check scheme and host; return (host, port). Resolution is repeated at send time (DNS rebinding)."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UnsafeTarget("Callback URLs must use http or https.")
    if not parts.hostname:
        raise UnsafeTarget("Callback URL has no host.")
    if parts.username or parts.password:
        raise UnsafeTarget("Callback URLs must not embed credentials.")
    port = parts.port or (443 if parts.scheme == "https" else 80)
    if resolve:
        resolve_public_addresses(parts.hostname, port)
    return parts.hostname, port
