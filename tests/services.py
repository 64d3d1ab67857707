"""Real services for the test session, started before Django reads its settings.

Loaded as a pytest plugin (``-p tests.services`` in pytest.ini) so that it runs before
pytest-django configures Django. It gives each session its own test database name
and Redis key prefix, so parallel sessions on one machine never share work, and it
starts a real S3-compatible server (moto's standalone server) on loopback so the
whole suite stores files through django-storages' S3 backend.
"""

from __future__ import annotations

import atexit
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import IO

SESSION_TAG = f"{os.getpid()}"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on 127.0.0.1:{port} after {timeout}s")


def start_redis(port: int, log: IO[str], bind: str = "127.0.0.1") -> subprocess.Popen:
    """A private, empty redis-server keeping nothing on disk (reliability tests kill and restart it)."""
    # Protected mode refuses every address but loopback; a test binding others means them to be reached.
    protected = "yes" if bind == "127.0.0.1" else "no"
    proc = subprocess.Popen(["redis-server", "--port", str(port), "--bind", *bind.split(","), "--protected-mode", protected,
                             "--save", "", "--appendonly", "no"],
                            stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    wait_for_port(port, timeout=20)
    return proc


def _start_s3() -> None:
    if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
        return  # the caller brought its own S3 (MinIO, SeaweedFS, AWS)
    port = free_port()
    moto = Path(sys.executable).with_name("moto_server")
    proc = subprocess.Popen(
        [str(moto), "-H", "127.0.0.1", "-p", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    atexit.register(proc.terminate)
    wait_for_port(port)
    os.environ.update(
        AWS_STORAGE_BUCKET_NAME="cv-test",
        AWS_S3_ENDPOINT_URL=f"http://127.0.0.1:{port}",
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="testing",
        AWS_SECRET_ACCESS_KEY="testing",
    )
    import boto3

    boto3.client(
        "s3",
        endpoint_url=os.environ["AWS_S3_ENDPOINT_URL"],
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    ).create_bucket(Bucket="cv-test")


# Before anything imports the config package (its Celery app reads this); pytest.ini names the same module.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
os.environ.setdefault("REDIS_KEY_PREFIX", f"test{SESSION_TAG}:")
os.environ.setdefault("TEST_DATABASE_NAME", f"test_cvplatform_{SESSION_TAG}")
os.environ.setdefault("WEBHOOK_ALLOW_PRIVATE_TARGETS", "1")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("MEDIA_ROOT", f"/tmp/cvplatform-test-media-{SESSION_TAG}")
_start_s3()

from config.bootstrap import prepare  # noqa: E402 - after DJANGO_SETTINGS_MODULE is set

prepare()  # the embedded PostgreSQL when DATABASE_URL is unset; settings never start it themselves
