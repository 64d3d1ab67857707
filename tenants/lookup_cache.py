"""A per-process cache of the rows every client call looks up (the API key with its tenant, the
endpoint), checked against one shared version on each use.

Why cache: those two look-ups are about a third of an upload's cost at intake (docs/benchmarks.md,
"Intake on a quiet machine"). Why a shared version rather than a lifetime: a revoked key, a
deactivated tenant or a disabled endpoint must be refused at once by every web process. Every write
to those tables (``save``, ``delete``, queryset ``update``/``delete``; see ``CredentialsQuerySet``)
replaces the version in Redis, both at once and when its transaction commits; a process whose entry
was filled under another version looks again. The row is cached, never the decision: the key's hash,
revocation, expiry and the tenant's state are checked on every call.

When Redis cannot be read nothing is cached and every look-up goes to the database.
"""

from __future__ import annotations

import copy
import logging
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any, TypeVar

import redis
from django.conf import settings
from django.db import models, transaction

logger = logging.getLogger(__name__)

VERSION_KEY = "credentials-version"
# A safety net for a write that bypasses the ORM (raw SQL in a shell): such a change is seen within this.
MAX_AGE_SECONDS = 60.0
MAX_ENTRIES = 4096
# Written on the hot path itself (at most once a minute per key) and read by nobody from the cache.
BOOKKEEPING_FIELDS = frozenset({"last_used_at"})

_T = TypeVar("_T")
_M = TypeVar("_M", bound=models.Model)
_entries: dict[tuple[str, str], tuple[str, float, Any]] = {}
_entries_lock = threading.Lock()
_clients: dict[str, redis.Redis] = {}


def _redis() -> redis.Redis:
    # A plain client rather than Django's cache API: the version is read twice per upload, and the cache
    # API's key building and pickling cost four times the round trip (docs/benchmarks.md).
    url = settings.REDIS_URL
    client = _clients.get(url)
    if client is None:
        client = _clients[url] = redis.Redis.from_url(url, decode_responses=True, socket_timeout=0.5,
                                                        socket_connect_timeout=0.5)
    return client


def _version_key() -> str:
    return settings.REDIS_KEY_PREFIX + VERSION_KEY


def shared_version() -> str | None:
    """The version every process compares its entries with; None when Redis cannot be read."""
    try:
        version = _redis().get(_version_key())
        if version is None:  # first use, or Redis restarted empty: every process's entries are now stale
            _redis().set(_version_key(), uuid.uuid4().hex, nx=True)
            version = _redis().get(_version_key())
    except redis.RedisError:  # unreachable: fall back to the database, never refuse a call for it
        return None
    return str(version) if version is not None else None


def _private_copy(value: _T) -> _T:
    """A copy of a cached row and of the related rows loaded with it, so that nothing one request sets on
    them reaches another (a shallow copy shares the related instances)."""
    duplicate = copy.copy(value)
    state = getattr(duplicate, "_state", None)
    if state is not None:
        state.fields_cache = {name: copy.copy(related) for name, related in state.fields_cache.items()}
    return duplicate


def cached_lookup(kind: str, key: str, load: Callable[[], _T | None]) -> _T | None:
    """``load()``'s row, from this process's cache while the shared version is unchanged.

    Each caller gets its own copy, so nothing one request sets on it reaches another. Misses are not
    cached: a key or endpoint created a moment ago is found at once.
    """
    version = shared_version()
    if version is None:
        return load()
    now = time.monotonic()
    entry = _entries.get((kind, key))
    if entry is not None and entry[0] == version and now - entry[1] < MAX_AGE_SECONDS:
        return _private_copy(entry[2])
    value = load()
    if value is not None:
        with _entries_lock:
            if len(_entries) >= MAX_ENTRIES:
                _entries.clear()
            _entries[(kind, key)] = (version, now, _private_copy(value))
    return value


def cached_forget(kind: str, key: str) -> None:
    """Drop one entry of this process, for a write that deliberately leaves the version alone."""
    with _entries_lock:
        _entries.pop((kind, key), None)


def credentials_changed() -> None:
    """Make every process look again: now (the writer's own connection already sees the change) and once the
    transaction commits (a process that looked in between read the old row)."""
    _replace_version()
    transaction.on_commit(_replace_version)


def _replace_version() -> None:
    try:
        _redis().set(_version_key(), uuid.uuid4().hex)
    except redis.RedisError:  # the write itself succeeded; caches then refresh within MAX_AGE_SECONDS
        logger.exception("Could not replace the credentials version; web processes see the change within %s s",
                         MAX_AGE_SECONDS)


class CredentialsQuerySet(models.QuerySet[_M]):
    """For the cached tables: bulk writes replace the shared version too."""

    def update(self, **kwargs: Any) -> int:
        rows = super().update(**kwargs)
        if rows and not set(kwargs) <= BOOKKEEPING_FIELDS:
            credentials_changed()
        return rows

    def delete(self) -> tuple[int, dict[str, int]]:
        deleted = super().delete()
        if deleted[0]:
            credentials_changed()
        return deleted


class CredentialsModel(models.Model):
    """For the cached tables: saves and deletes replace the shared version."""

    class Meta:
        abstract = True

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        update_fields = kwargs.get("update_fields")
        if update_fields is None or not set(update_fields) <= BOOKKEEPING_FIELDS:
            credentials_changed()

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        deleted = super().delete(*args, **kwargs)
        credentials_changed()
        return deleted
