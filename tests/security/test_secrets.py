"""Secret keys: production refuses missing, weak and public keys; the local key is random, private and kept.

Settings modules run at import, so each case imports them in a fresh interpreter with a controlled
environment (the test session's own settings are already loaded and must not be disturbed).
"""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from config.bootstrap import ensure_secret_key_file, prepare
from config.secret_keys import KNOWN_PUBLIC_KEYS, weakness

pytestmark = pytest.mark.unit

REPO = Path(__file__).resolve().parents[2]
OLD_PUBLIC_DEFAULT = "dev-insecure-change-me-" + "x" * 32  # what config/settings.py fell back to before
STRONG = "k3y-" + "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _settings_probe(module: str, code: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Import ``module`` as ``settings`` in a clean interpreter with only ``env`` (plus PATH), then run ``code``."""
    clean = {"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": module, **env}
    script = f"import {module} as settings\n{code}"
    return subprocess.run([sys.executable, "-c", script], cwd=REPO, env=clean, capture_output=True, text=True, timeout=60)


def _production(**overrides: str) -> subprocess.CompletedProcess[str]:
    env = {
        "DJANGO_SECRET_KEY": STRONG,
        "DATABASE_URL": "postgres://app@db.internal:5432/cv",
        "DJANGO_ALLOWED_HOSTS": "cv.example.com",
    }
    env.update(overrides)
    env = {k: v for k, v in env.items() if v != "<unset>"}
    return _settings_probe(
        "config.settings.production", "print(settings.SECRET_KEY == settings.SIMPLE_JWT['SIGNING_KEY'])", **env
    )


@pytest.mark.parametrize(
    ("overrides", "reason"),
    [
        ({"DJANGO_SECRET_KEY": OLD_PUBLIC_DEFAULT}, "public default key"),
        ({"DJANGO_SECRET_KEY": "<unset>"}, "DJANGO_SECRET_KEY is refused because it is not set"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "a1b2c3d4e5" * 5}, "Django placeholder key"),
        ({"DJANGO_SECRET_KEY": "short-but-random-9f8e7d"}, "shorter than 50"),
        ({"JWT_SIGNING_KEY": OLD_PUBLIC_DEFAULT}, "JWT_SIGNING_KEY is refused"),
        ({"DJANGO_ALLOWED_HOSTS": "*"}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "<unset>"}, "DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_DEBUG": "true"}, "DJANGO_DEBUG must be false"),
        ({"DATABASE_URL": "<unset>"}, "DATABASE_URL is required"),
    ],
)
def test_production_refuses_unsafe_configuration(overrides: dict[str, str], reason: str) -> None:
    result = _production(**overrides)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and reason in result.stderr, result.stderr[-2000:]


def test_production_starts_with_a_strong_key_and_signs_jwts_with_it() -> None:
    result = _production()
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.strip() == "True"


def test_production_reads_the_key_from_a_file(tmp_path: Path) -> None:
    key_file = tmp_path / "key"
    key_file.write_text(STRONG + "\n")
    result = _production(DJANGO_SECRET_KEY="<unset>", DJANGO_SECRET_KEY_FILE=str(key_file))
    assert result.returncode == 0, result.stderr[-2000:]


def test_every_public_key_of_this_repository_is_refused() -> None:
    from django.conf import settings

    assert settings.SECRET_KEY in KNOWN_PUBLIC_KEYS  # the test settings' key is public, hence listed
    assert all(weakness(key) for key in KNOWN_PUBLIC_KEYS)


def test_local_key_file_is_random_private_and_reused(tmp_path: Path) -> None:
    first = ensure_secret_key_file(tmp_path / "a" / "secret_key")
    other = ensure_secret_key_file(tmp_path / "b" / "secret_key")
    assert first != other
    assert weakness(first) is None  # strong enough for production too
    assert stat.S_IMODE((tmp_path / "a" / "secret_key").stat().st_mode) == 0o600
    assert ensure_secret_key_file(tmp_path / "a" / "secret_key") == first


def test_bin_run_bootstrap_creates_the_key_once_and_local_settings_use_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # bin/run → bin/services → config.bootstrap.prepare(); DATABASE_URL is set so no server is started.
    monkeypatch.setenv("DATA_DIR", str(tmp_path))
    monkeypatch.delenv("DJANGO_SECRET_KEY", raising=False)
    monkeypatch.delenv("DJANGO_SECRET_KEY_FILE", raising=False)
    prepare("config.settings.local")
    key = (tmp_path / "secret_key").read_text().strip()
    prepare("config.settings.local")
    assert (tmp_path / "secret_key").read_text().strip() == key

    result = _settings_probe(
        "config.settings.local",
        "print(settings.SECRET_KEY); print(settings.SIMPLE_JWT['SIGNING_KEY'])",
        DATA_DIR=str(tmp_path),
        DATABASE_URL=os.environ["DATABASE_URL"],
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == [key, key]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_importing_settings_starts_nothing_and_writes_nothing(tmp_path: Path) -> None:
    port = _free_port()
    env = {"DATA_DIR": str(tmp_path), "EMBEDDED_PG_PORT": str(port)}
    for module in ("config.settings.test", "config.settings.local"):
        subprocess.run(
            [sys.executable, "-c", f"import {module}"],
            cwd=REPO, env={"PATH": os.environ.get("PATH", ""), "DJANGO_SETTINGS_MODULE": module, **env},
            capture_output=True, text=True, timeout=60,
        )  # local fails without a key file: that is fine, it must just not create anything
    assert list(tmp_path.iterdir()) == []
    with socket.socket() as sock:
        assert sock.connect_ex(("127.0.0.1", port)) != 0
