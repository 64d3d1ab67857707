"""SSRF guard for callback URLs: http(s) to public addresses only, checked again at send time."""

from __future__ import annotations

import ipaddress
import socket
from functools import lru_cache
from urllib.parse import urlsplit

from django.conf import settings

from config.errors import ApplicationError

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network

# NAT64 (RFC 6052) embeds an IPv4 address in the low 32 bits; judge the embedded one.
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
# Deprecated IPv4-compatible form (::a.b.c.d, RFC 4291 2.5.5.1): stacks still route it to the IPv4
# address, and Python counts e.g. ::7f00:1 as global, so judge the embedded address.
_IPV4_COMPATIBLE = ipaddress.IPv6Network("::/96")


class UnsafeTarget(ApplicationError):
    def __init__(self, message: str):
        super().__init__(message, code="unsafe_callback_url", status=400)


@lru_cache(maxsize=16)
def _networks(spec: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(item, strict=False) for item in spec)


def _embedded_ipv4(ip: IPAddress) -> IPAddress:
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:
            return ip.ipv4_mapped
        if ip in _NAT64 or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
            return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if ip.sixtofour:
            return ip.sixtofour
    return ip


def _is_public(ip: IPAddress) -> bool:
    ip = _embedded_ipv4(ip)
    return ip.is_global and not ip.is_multicast


def check_address(address: str) -> None:
    """Refuse one resolved address unless the deployment's policy allows it.

    Order: always-blocked networks (cloud metadata) first, then explicitly allowed
    networks, then the public-only rule unless private targets are allowed.
    """
    ip = ipaddress.ip_address(address.split("%")[0])
    candidates = {ip, _embedded_ipv4(ip)}
    if any(c in net for c in candidates for net in _networks(tuple(settings.WEBHOOK_BLOCKED_NETWORKS))):
        raise UnsafeTarget(f"Callback address {address} is in a blocked network.")
    if settings.WEBHOOK_ALLOW_PRIVATE_TARGETS or _is_public(ip):
        return
    if any(c in net for c in candidates for net in _networks(tuple(settings.WEBHOOK_ALLOWED_NETWORKS))):
        return
    raise UnsafeTarget(f"Callback address {address} is not public.")


def resolve_public_addresses(host: str, port: int) -> list[str]:
    """Resolve ``host`` and refuse it unless every address passes ``check_address``."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise UnsafeTarget(f"Cannot resolve callback host '{host}'.") from exc
    addresses = sorted({str(info[4][0]) for info in infos})  # str already: typeshed allows int for exotic families
    for address in addresses:
        try:
            check_address(address)
        except UnsafeTarget as exc:
            raise UnsafeTarget(f"Callback host '{host}' resolves to a refused address: {exc.message}") from None
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
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise UnsafeTarget("Callback URL has an invalid port.") from exc
    if resolve:
        resolve_public_addresses(parts.hostname, port)
    return parts.hostname, port
