"""What a local or test process needs before Django reads its settings, done explicitly by entry points.

manage.py, config/celery.py, config/asgi.py, config/wsgi.py and the test plugin call ``prepare()``.
For the local and test settings it starts the embedded PostgreSQL when DATABASE_URL is unset and, for
local, creates the random secret key file. For any other settings module (production) it does nothing:
production gets its database and key from the environment. Settings modules never do this themselves,
so importing them has no side effects.
"""

from __future__ import annotations

import os
import secrets
from pathlib import Path

DEFAULT_SETTINGS = "config.settings.local"
LOCAL_SETTINGS = ("config.settings.local", "config.settings.test")
BASE_DIR = Path(__file__).resolve().parent.parent
SECRET_KEY_FILE_NAME = "secret_key"


def data_dir() -> Path:
    return Path(os.environ.get("DATA_DIR") or BASE_DIR / ".data")


def ensure_secret_key_file(path: Path) -> str:
    """Return the key kept in ``path``, creating it (random, mode 0600) on first use."""
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        # O_EXCL: two processes starting together never overwrite each other's key.
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        if path.stat().st_mode & 0o077:
            path.chmod(0o600)
        key = path.read_text().strip()
        if key:
            return key
        raise RuntimeError(f"{path} is empty: delete it to have a new key generated.") from None
    key = secrets.token_urlsafe(64)
    with os.fdopen(fd, "w") as file:
        file.write(key + "\n")
    return key


def ensure_embedded_database() -> str:
    """Start the embedded PostgreSQL if it is not answering; export and return its DATABASE_URL."""
    from config.embedded import ensure_embedded_postgres

    url = ensure_embedded_postgres(
        data_dir(),
        int(os.environ.get("EMBEDDED_PG_PORT") or 54329),
        os.environ.get("EMBEDDED_PG_DATABASE") or "cvplatform",
    )
    os.environ["DATABASE_URL"] = url  # child processes (workers, tests' subprocesses) inherit it
    return url


def prepare(settings_module: str | None = None) -> None:
    settings_module = settings_module or os.environ.setdefault("DJANGO_SETTINGS_MODULE", DEFAULT_SETTINGS)
    if settings_module not in LOCAL_SETTINGS:
        return
    if not os.environ.get("DATABASE_URL"):
        ensure_embedded_database()
    if settings_module == "config.settings.local" and not (
        os.environ.get("DJANGO_SECRET_KEY") or os.environ.get("DJANGO_SECRET_KEY_FILE")
    ):
        ensure_secret_key_file(data_dir() / SECRET_KEY_FILE_NAME)
