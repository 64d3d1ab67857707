"""Helpers for reliability tests that run the whole service on private servers (PostgreSQL, Redis)."""

from __future__ import annotations

import subprocess
import sys

import psycopg

from tests.conftest import REPO, worker_env


def manage(env: dict[str, str], *args: str) -> str:
    """``manage.py <args>`` in a child process with ``env`` (e.g. DATABASE_URL of a private server)."""
    result = subprocess.run([sys.executable, "manage.py", *args], cwd=REPO, env=worker_env(**env),
                            capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout


def job_rows(url: str, ids: list[str]) -> list[tuple[str, str, str | None]]:
    """(id, status, candidate id) of each job, read with psycopg; empty while the server is down."""
    try:
        with psycopg.connect(url, connect_timeout=2) as conn:
            rows = conn.execute("SELECT id::text, status, candidate_id::text FROM cvs_cvjob WHERE id::text = ANY(%s)", [ids])
            return rows.fetchall()
    except psycopg.OperationalError:
        return []


def completed(url: str, ids: list[str]) -> int:
    return sum(status == "completed" for _, status, _ in job_rows(url, ids))


def all_ended(url: str, ids: list[str]) -> bool:
    rows = job_rows(url, ids)
    return len(rows) == len(ids) and all(status in ("completed", "failed") for _, status, _ in rows)


def cv_text(number: int) -> bytes:
    """A small text CV of a distinct person (own e-mail, so one candidate each)."""
    return f"Person Number{number}\nperson{number}@example.com\n\nExperience\nEngineer at Example Ltd, 2019 - 2024\n".encode()
