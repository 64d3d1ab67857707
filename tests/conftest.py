"""Shared fixtures: tenants, authenticated clients, and real Celery worker/beat processes."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from tenants.models import Role
from tenants.services import api_key_create
from tests.factories import EndpointFactory, MembershipFactory, TenantFactory

REPO = Path(__file__).resolve().parent.parent
CORPUS = (REPO.parent / "shared" / "corpus" / "dev").resolve()


@pytest.fixture
def tenant(db):
    return TenantFactory()


@pytest.fixture
def other_tenant(db):
    return TenantFactory()


@pytest.fixture
def make_client(db) -> Callable[..., APIClient]:
    """``make_client(tenant, role)`` → an APIClient logged in through /api/v1/auth/login."""

    def _make(tenant: Any, role: str = Role.ADMIN) -> APIClient:
        membership = MembershipFactory(tenant=tenant, role=role)
        client = APIClient()
        response = client.post(
            "/api/v1/auth/login", {"username": membership.user.username, "password": "pass-word-123"}, format="json"
        )
        assert response.status_code == 200, response.content
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {response.json()['data']['access_token']}")
        client.user = membership.user
        client.tenant = tenant
        client.access_token = response.json()["data"]["access_token"]
        return client

    return _make


@pytest.fixture
def admin_client(make_client, tenant) -> APIClient:
    return make_client(tenant, Role.ADMIN)


@pytest.fixture
def hr_client(make_client, tenant) -> APIClient:
    return make_client(tenant, Role.HR)


@pytest.fixture
def viewer_client(make_client, tenant) -> APIClient:
    return make_client(tenant, Role.VIEWER)


@pytest.fixture
def endpoint(tenant):
    return EndpointFactory(tenant=tenant)


@pytest.fixture
def receiver() -> Iterator[Any]:
    """A client system's webhook receiver: a real HTTP server on loopback."""
    from tests.webhooks.receiver import Receiver

    server = Receiver()
    yield server
    server.close()


@pytest.fixture
def hook_endpoint(tenant, receiver):
    return EndpointFactory(tenant=tenant, callback_url=receiver.url())


@pytest.fixture
def api_key(tenant) -> str:
    return api_key_create(tenant=tenant, name="test").raw


@pytest.fixture
def key_client(api_key) -> APIClient:
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {api_key}")
    return client


WORKER_TMPDIR = Path(f"/tmp/cvplatform-worker-tmp-{os.getpid()}")


def worker_env(**overrides: str) -> dict[str, str]:
    """Environment for child processes: same settings, pointed at the test database.

    Workers get their own TMPDIR so tests can prove that no temporary file is left behind.
    """
    import dj_database_url

    db = settings.DATABASES["default"]
    url = dj_database_url.parse(os.environ["DATABASE_URL"])
    env = dict(os.environ)
    env["DATABASE_URL"] = (
        f"postgres://{url['USER']}@{url['HOST']}:{url['PORT']}/{db['NAME']}"
    )
    env.pop("TEST_DATABASE_NAME", None)
    WORKER_TMPDIR.mkdir(exist_ok=True)
    env["TMPDIR"] = str(WORKER_TMPDIR)
    env.update(overrides)
    return env


class CeleryProcess:
    """A real ``celery worker`` (or beat) child process, killable for crash tests."""

    def __init__(self, args: list[str], log_path: Path, env: dict[str, str] | None = None, wrapper: list[str] | None = None):
        self.args = args
        self.wrapper = wrapper or []  # e.g. ["ip", "netns", "exec", "host1"]: it execs, so the pid stays the worker's
        self.log_path = log_path
        self.env = env or {}
        self.proc: subprocess.Popen | None = None

    def start(self, ready_timeout: float = 60.0) -> CeleryProcess:
        log = open(self.log_path, "a")  # noqa: SIM115 - the child owns it until it exits
        self.proc = subprocess.Popen(
            [*self.wrapper, sys.executable, "-m", "celery", "-A", "config", *self.args],
            cwd=REPO, env=worker_env(**self.env), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        if self.args[0] == "worker":
            self._wait_ready(ready_timeout)
        return self

    def _wait_ready(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if "ready." in self.log_path.read_text(errors="replace"):
                return
            if self.proc.poll() is not None:
                break
            time.sleep(0.2)
        raise RuntimeError(f"celery {self.args[0]} did not start:\n{self.log_path.read_text()[-3000:]}")

    def kill(self) -> None:
        """SIGKILL the whole process group: the worker dies as it would on a power cut."""
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)

    def stop(self) -> None:
        if self.proc and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                self.kill()
        if self.proc:
            # The main process may end before a pool child stuck on a dead connection (a host cut off):
            # nothing of the group may outlive the test.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.proc.pid, signal.SIGKILL)


ALL_QUEUES = ",".join(settings.CELERY_QUEUES)


@pytest.fixture(scope="session")
def celery_worker_factory(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Callable[..., CeleryProcess]]:
    """Start real workers against the test database; all are stopped at session end."""
    started: list[CeleryProcess] = []
    log_dir = tmp_path_factory.mktemp("celery")

    def _start(queues: str = ALL_QUEUES, concurrency: int = 2, name: str = "w", env: dict[str, str] | None = None) -> CeleryProcess:
        log_path = log_dir / f"{name}-{len(started)}.log"
        worker = CeleryProcess(
            ["worker", "-Q", queues, "-P", "prefork", "-c", str(concurrency), "-n", f"{name}{len(started)}-{os.getpid()}@%h",
             "--without-mingle", "--without-gossip", "-l", "INFO"],
            log_path,
            env,
        )
        started.append(worker)
        return worker.start()

    yield _start
    for worker in started:
        worker.stop()


@pytest.fixture(scope="session")
def celery_worker(celery_worker_factory) -> CeleryProcess:
    """One shared worker on every queue. Tests using it need ``transactional_db``."""
    return celery_worker_factory(name="shared")


@pytest.fixture(scope="session")
def celery_beat(django_db_setup, tmp_path_factory) -> Iterator[CeleryProcess]:
    log_dir = tmp_path_factory.mktemp("beat")
    beat = CeleryProcess(["beat", "-l", "INFO", "-s", str(log_dir / "schedule")], log_dir / "beat.log").start()
    yield beat
    beat.stop()


@pytest.fixture
def asgi_server(transactional_db, tmp_path) -> Iterator[str]:
    """uvicorn serving config.asgi (HTTP and WebSockets) against the test database; yields "host:port".

    Its log is ``tmp_path / "uvicorn.log"``.
    """
    from tests.services import free_port, wait_for_port

    port = free_port()
    with open(tmp_path / "uvicorn.log", "w") as log:
        proc = subprocess.Popen(
            [sys.executable, "-m", "uvicorn", "config.asgi:application", "--host", "127.0.0.1", "--port", str(port),
             # Info: request lines and WebSocket handshakes are logged, as under bin/run (tests read the log).
             "--ws", "websockets-sansio", "--log-level", "info"],
            cwd=REPO, env=worker_env(), stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )
        try:
            wait_for_port(port, timeout=60)
            yield f"127.0.0.1:{port}"
        finally:
            # As CeleryProcess.stop: a server still closing a WebSocket on a loaded machine is killed, group and all.
            proc.terminate()
            try:
                proc.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(10)


def wait_until(predicate: Callable[[], Any], timeout: float = 60.0, interval: float = 0.2) -> Any:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = predicate()
        if value:
            return value
        time.sleep(interval)
    raise AssertionError(f"condition not met within {timeout}s")


def pytest_configure(config: Any) -> None:
    """Drop test databases left by sessions that were killed (their pid is gone)."""
    import psycopg

    from tests.services import SESSION_TAG

    url = os.environ.get("DATABASE_URL", "")
    if "127.0.0.1:" not in url:
        return  # only tidy the embedded server, never a shared one
    admin_url = url.rsplit("/", 1)[0] + "/postgres"
    try:
        with psycopg.connect(admin_url, autocommit=True, connect_timeout=3) as conn:
            names = [row[0] for row in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'test_cvplatform_%'")]
            for name in names:
                pid = name.rsplit("_", 1)[-1]
                if pid.isdigit() and pid != SESSION_TAG and not Path(f"/proc/{pid}").exists():
                    conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg.Error:
        pass


@pytest.fixture(autouse=True)
def _seeded_reference_data(request: Any) -> None:
    """Transactional tests flush every table, the school list seeded by a data migration included;
    put it back for whichever database test comes next, so no test depends on the order they run in."""
    marker = request.node.get_closest_marker("django_db")
    if not marker and not {"db", "transactional_db"} & set(request.fixturenames):
        return
    transactional = "transactional_db" in request.fixturenames or (marker is not None and marker.kwargs.get("transaction"))
    request.getfixturevalue("transactional_db" if transactional else "db")
    from screening.models import School
    from screening.schools import seed_rows

    if not School.objects.exists():
        School.objects.bulk_create(
            School(name=row["name"], aliases=row["aliases"], tiers=row["tiers"], country=row.get("country", ""))
            for row in seed_rows()
        )


@pytest.fixture(autouse=True)
def _fresh_channel_layers() -> None:
    """Each test gets new channel layer instances.

    A layer instance keeps asyncio locks that bind to the event loop in which two receivers first
    contended for them; tests run their own loops (asyncio.run, async_to_sync), so a layer reused from
    an earlier test can fail with "bound to a different event loop" depending on timing.
    """
    from channels.layers import channel_layers

    channel_layers.backends.clear()


@pytest.fixture(autouse=True)
def _idle_workers_before_flush(request: Any) -> Iterator[None]:
    """Let the real workers finish what a test started before its tables are flushed.

    The flush (TRUNCATE) of a transactional test takes exclusive locks; a worker still writing the
    test's rows (an embedding, a webhook attempt) would deadlock with it. Depending on
    transactional_db makes this teardown run before the flush.
    """
    if "celery_worker" not in request.fixturenames:
        yield
        return
    request.getfixturevalue("transactional_db")
    yield
    from config.celery import app

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        inspector = app.control.inspect(timeout=0.5)
        busy = [tasks for replies in (inspector.active() or {}, inspector.reserved() or {}) for tasks in replies.values() if tasks]
        if not busy:
            return
        time.sleep(0.2)


# The fast tier (`bin/test -m unit`): modules that need no database, Redis, S3 or worker. A module
# can also mark itself with `pytestmark = pytest.mark.unit`. Add a module here only if it passes with
# every service stopped.
UNIT_MODULES = {
    "tests/analytics/test_questions.py",
    "tests/documents/test_rendering.py",
    "tests/extraction/test_bad_inputs.py",
    "tests/extraction/test_dates.py",
    "tests/extraction/test_llm_providers.py",
    "tests/extraction/test_real_layouts.py",
    "tests/extraction/test_rules.py",
    "tests/extraction/test_schema.py",
    "tests/extraction/test_skills.py",
    "tests/extraction/test_sniff.py",
    "tests/extraction/test_text_extraction.py",
    "tests/formats/test_readers.py",
    "tests/screening/test_engine.py",
}


def pytest_collection_modifyitems(config: Any, items: list[Any]) -> None:
    for item in items:
        if Path(str(item.fspath)).resolve().relative_to(REPO).as_posix() in UNIT_MODULES:
            item.add_marker(pytest.mark.unit)
