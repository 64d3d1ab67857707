"""The test suite (pytest.ini). Real services as in local; each session gets its own database name.

tests/services.py (a pytest plugin loaded before Django) sets TEST_DATABASE_NAME, REDIS_KEY_PREFIX and
the S3 server, and calls config.bootstrap so the embedded PostgreSQL is up when DATABASE_URL is unset.
"""

from .base import *  # noqa: F403
from .base import DATABASES, JWT_SIGNING_KEY, SIMPLE_JWT, env

# A fixed, public, test-only key: tests never serve real users. Production refuses it (config/secret_keys.py).
SECRET_KEY = env.str("DJANGO_SECRET_KEY", default="test-only-insecure-secret-key-" + "t" * 40)
SIMPLE_JWT["SIGNING_KEY"] = JWT_SIGNING_KEY or SECRET_KEY
# As local; tests/security/test_logs_and_metrics.py turns it off to check production's answer.
METRICS_ALLOW_ANONYMOUS = env.bool("METRICS_ALLOW_ANONYMOUS", default=True)
# Live-server tests reach the app by loopback addresses and virtual-network ones (reliability suite).
ALLOWED_HOSTS = ["*"]

if env.str("TEST_DATABASE_NAME", default=""):
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
