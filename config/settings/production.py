"""Production: every secret and host comes from the environment, and unsafe values stop the start.

Refused with ImproperlyConfigured: a missing, weak or publicly known DJANGO_SECRET_KEY (or JWT_SIGNING_KEY),
DJANGO_DEBUG=true, a missing DATABASE_URL, and a missing or `*` DJANGO_ALLOWED_HOSTS. HTTPS settings default
to secure (redirect, secure cookies, HSTS); docs/security.md explains each and `manage.py check --deploy`.
"""

from django.core.exceptions import ImproperlyConfigured

from config.secret_keys import read_secret_key, require_strong_key

from .base import *  # noqa: F403
from .base import DEBUG, SIMPLE_JWT, env

SECRET_KEY = require_strong_key(
    read_secret_key(env.str("DJANGO_SECRET_KEY", default=""), env.str("DJANGO_SECRET_KEY_FILE", default="")),
    "DJANGO_SECRET_KEY",
)
_jwt_key = env.str("JWT_SIGNING_KEY", default="")
SIMPLE_JWT["SIGNING_KEY"] = require_strong_key(_jwt_key, "JWT_SIGNING_KEY") if _jwt_key else SECRET_KEY

if DEBUG:
    raise ImproperlyConfigured("DJANGO_DEBUG must be false in production: debug pages leak settings and data.")

if not env.str("DATABASE_URL", default=""):
    raise ImproperlyConfigured("DATABASE_URL is required in production (the embedded PostgreSQL is for local use).")

ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=[])
if not ALLOWED_HOSTS or "*" in ALLOWED_HOSTS:
    raise ImproperlyConfigured("DJANGO_ALLOWED_HOSTS must list this service's host names (no `*`).")

# --- HTTPS -----------------------------------------------------------------------
# Behind a TLS-terminating proxy that sets X-Forwarded-Proto, set DJANGO_SECURE_PROXY_SSL_HEADER=true;
# trusting that header without such a proxy would let clients claim HTTPS.
if env.bool("DJANGO_SECURE_PROXY_SSL_HEADER", default=False):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
# Load-balancer health probes often speak plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
SESSION_COOKIE_SECURE = env.bool("DJANGO_SESSION_COOKIE_SECURE", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_CSRF_COOKIE_SECURE", default=True)
# Start small and raise (e.g. to 31536000) once HTTPS is known to work on every subdomain.
SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=3600)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("DJANGO_SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
SECURE_HSTS_PRELOAD = env.bool("DJANGO_SECURE_HSTS_PRELOAD", default=False)
