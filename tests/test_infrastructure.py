"""The suite runs on the real services: PostgreSQL+pgvector, Redis, S3 and Celery processes."""

import pytest
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection

from tests.conftest import wait_until


@pytest.mark.django_db
def test_postgres_has_pgvector():
    with connection.cursor() as cursor:
        cursor.execute("SELECT extversion FROM pg_extension WHERE extname = 'vector'")
        assert cursor.fetchone()[0] >= "0.8"
        cursor.execute("SELECT '[1,2,3]'::vector <=> '[1,2,4]'::vector")
        assert cursor.fetchone()[0] > 0


def test_storage_is_s3_on_a_real_server():
    import requests

    assert default_storage.__class__.__name__ == "S3Storage"
    name = default_storage.save("probe/hello.txt", ContentFile(b"hello"))
    url = default_storage.url(name)
    assert "X-Amz-Signature" in url or "Signature" in url
    assert requests.get(url, timeout=5).content == b"hello"
    default_storage.delete(name)
    assert not default_storage.exists(name)


def test_redis_cache_roundtrip():
    cache.set("probe", {"a": 1}, 10)
    assert cache.get("probe") == {"a": 1}


@pytest.mark.django_db(transaction=True)
def test_real_celery_worker_runs_tasks(celery_worker):
    from analytics.tasks import HEARTBEAT_KEY, record_worker_heartbeat

    cache.delete(HEARTBEAT_KEY)
    record_worker_heartbeat.delay()
    assert wait_until(lambda: cache.get(HEARTBEAT_KEY), timeout=30)


@pytest.mark.django_db(transaction=True)
def test_beat_schedules_periodic_tasks(celery_worker, celery_beat):
    from analytics.tasks import HEARTBEAT_KEY

    cache.delete(HEARTBEAT_KEY)
    assert wait_until(lambda: cache.get(HEARTBEAT_KEY), timeout=60)
