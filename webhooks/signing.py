"""Standard Webhooks signatures (https://www.standardwebhooks.com/)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

SECRET_PREFIX = "whsec_"


def secret_key(secret: str) -> bytes:
    """The HMAC key: the base64 part of a ``whsec_…`` secret, decoded."""
    return base64.b64decode(secret.removeprefix(SECRET_PREFIX))


def signature(*, secrets: list[str], event_id: str, timestamp: int, body: bytes) -> str:
    """``v1,<b64 HMAC-SHA256("{id}.{timestamp}.{body}")>``, one per secret, space-separated."""
    signed = f"{event_id}.{timestamp}.".encode() + body
    return " ".join(
        "v1," + base64.b64encode(hmac.new(secret_key(secret), signed, hashlib.sha256).digest()).decode()
        for secret in secrets
    )


def signed_headers(*, secrets: list[str], event_id: str, body: bytes, timestamp: int | None = None) -> dict[str, str]:
    timestamp = int(time.time()) if timestamp is None else timestamp
    return {
        "webhook-id": event_id,
        "webhook-timestamp": str(timestamp),
        "webhook-signature": signature(secrets=secrets, event_id=event_id, timestamp=timestamp, body=body),
    }
