"""Secret-key handling shared by the environment modules; pure functions, no side effects.

Used by config/settings/*.py; the file that holds the local key is created by
``config.bootstrap.ensure_secret_key_file``.
"""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

# Keys that have been public (shipped as defaults in this repository or its tests): never valid in production.
KNOWN_PUBLIC_KEYS = frozenset(
    {
        "dev-insecure-change-me-" + "x" * 32,
        "test-only-insecure-secret-key-" + "t" * 40,
    }
)
# Django's own weak-key thresholds (security.W009), so `check --deploy` and this check agree.
MIN_LENGTH = 50
MIN_UNIQUE_CHARACTERS = 5


def read_secret_key(value: str, file: str) -> str:
    """The key given directly (DJANGO_SECRET_KEY) or in a file (DJANGO_SECRET_KEY_FILE, e.g. a Docker secret)."""
    if value:
        return value
    if file:
        try:
            return Path(file).read_text().strip()
        except OSError as exc:
            raise ImproperlyConfigured(f"DJANGO_SECRET_KEY_FILE={file} cannot be read: {exc}") from exc
    return ""


def weakness(key: str) -> str | None:
    """Why ``key`` must not sign anything in production, or None when it is acceptable."""
    if not key:
        return "it is not set"
    if key in KNOWN_PUBLIC_KEYS:
        return "it is a public default key from this repository"
    if key.startswith("django-insecure-"):
        return "it is a Django placeholder key"
    if len(key) < MIN_LENGTH or len(set(key)) < MIN_UNIQUE_CHARACTERS:
        return f"it is shorter than {MIN_LENGTH} characters or has fewer than {MIN_UNIQUE_CHARACTERS} distinct ones"
    return None


def require_strong_key(key: str, name: str) -> str:
    reason = weakness(key)
    if reason:
        raise ImproperlyConfigured(
            f"{name} is refused because {reason}. Generate one with "
            "`python -c 'import secrets; print(secrets.token_urlsafe(64))'` and set it (or a file path in "
            f"{name}_FILE for DJANGO_SECRET_KEY). See docs/security.md."
        )
    return key
