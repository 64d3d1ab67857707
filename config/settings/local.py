"""Local development and the single-machine service that bin/run starts.

Defaults suit one machine: embedded PostgreSQL when DATABASE_URL is unset, loopback hosts only, and
the random secret key that config.bootstrap keeps in DATA_DIR/secret_key (0600).
"""

from django.core.exceptions import ImproperlyConfigured

from config.secret_keys import read_secret_key

from .base import *  # noqa: F403
from .base import DATA_DIR, JWT_SIGNING_KEY, SIMPLE_JWT, env

SECRET_KEY = read_secret_key(
    env.str("DJANGO_SECRET_KEY", default=""),
    env.str("DJANGO_SECRET_KEY_FILE", default="") or (str(DATA_DIR / "secret_key") if (DATA_DIR / "secret_key").exists() else ""),
)
if not SECRET_KEY:
    raise ImproperlyConfigured(
        f"No secret key: set DJANGO_SECRET_KEY, or start through bin/run or manage.py, which create {DATA_DIR / 'secret_key'}."
    )
SIMPLE_JWT["SIGNING_KEY"] = JWT_SIGNING_KEY or SECRET_KEY
# One machine, loopback by default: /metrics answers scrapers without a token unless one is set.
METRICS_ALLOW_ANONYMOUS = env.bool("METRICS_ALLOW_ANONYMOUS", default=True)
