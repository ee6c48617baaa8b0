"""Settings, all read from the environment; SQLite by default, PostgreSQL via DATABASE_URL."""

import logging
import os
import re
import warnings
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlparse, urlsplit

import dj_database_url
from celery.schedules import crontab

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("DATA_DIR", BASE_DIR / "data"))

logger = logging.getLogger(__name__)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEV_SECRET_KEY = "dev-only-insecure-secret-key-change-me"
SECRET_KEY = os.environ.get("SECRET_KEY", DEV_SECRET_KEY)
if SECRET_KEY == DEV_SECRET_KEY:
    logger.warning("SECRET_KEY is not set: using the development key. Set it in production.")

DEBUG = env_bool("DEBUG")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1],testserver")

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.staticfiles",
    "corsheaders",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "api",
    "core",
    "users",
    "workspaces",
    "database",
    "jobs",
    "user_files",
    "realtime",
    "trash",
    "actions",
    "webhooks",
]

MIDDLEWARE = [
    "api.fairness.FairShareMiddleware",
    "corsheaders.middleware.CorsMiddleware",
    "api.middleware.RequestLimitsMiddleware",
    "api.middleware.PageSecurityHeadersMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.common.CommonMiddleware",
    "events.context.RequestContextMiddleware",
    "api.concurrency.ConcurrentUserRequestsMiddleware",
    "api.middleware.DatabaseUnavailableMiddleware",
]

ROOT_URLCONF = "baserow_clone.urls"
WSGI_APPLICATION = "baserow_clone.wsgi.application"
ASGI_APPLICATION = "baserow_clone.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {"context_processors": ["django.template.context_processors.request"]},
    }
]

# The embedded SQLite file lives in DATA_DIR, made on first run.
DATA_DIR.mkdir(parents=True, exist_ok=True)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'db.sqlite3'}",
        # 0: under the ASGI server each request runs in a thread of its own, so a kept
        # connection is never reused and only piles up (measured: 64 open after a benchmark).
        # PostgreSQL reuses connections through the pool below instead.
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "0")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # A database that cannot be reached answers a quick 503, not a request hanging for long;
    # a statement running longer than DATABASE_STATEMENT_TIMEOUT ms is cancelled (0: never).
    STATEMENT_TIMEOUT_MS = int(os.environ.get("DATABASE_STATEMENT_TIMEOUT", "60000"))
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        connect_timeout=int(os.environ.get("DATABASE_CONNECT_TIMEOUT", "3")),
        options=f"-c statement_timeout={STATEMENT_TIMEOUT_MS}",
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql" and env_bool(
    "DATABASE_POOL", True
):
    # psycopg 3's pool, shared by the threads of a worker process; a connection is checked
    # before it is handed out, so the pool recovers by itself after a database restart.
    DATABASES["default"]["OPTIONS"]["pool"] = {
        "min_size": int(os.environ.get("DATABASE_POOL_MIN_SIZE", "1")),
        "max_size": int(os.environ.get("DATABASE_POOL_MAX_SIZE", "10")),
        "timeout": float(os.environ.get("DATABASE_POOL_TIMEOUT", "3")),
    }
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Concurrent readers beside one writer, and a wait rather than "database is locked".
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    # Tests: a file, not memory, so a Celery worker started by a test sees the same database.
    DATABASES["default"]["TEST"] = {"NAME": str(DATA_DIR / f"test-{os.getpid()}.sqlite3")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "users.User"

AUTH_PASSWORD_VALIDATORS = [
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 8},
    },
]

LANGUAGE_CODE = "en"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
# WhiteNoise serves the docs' assets; finders let it do so without collectstatic (dev, tests),
# so a STATIC_ROOT not collected yet is expected rather than worth a warning.
WHITENOISE_USE_FINDERS = True
warnings.filterwarnings("ignore", message=f"No directory at: {re.escape(str(STATIC_ROOT))}")

# Where the API's absolute URLs (user files, exports) point: this server as clients reach it.
PUBLIC_BACKEND_URL = os.environ.get("PUBLIC_BACKEND_URL", "http://localhost:8000").rstrip("/")
MEDIA_URL = os.environ.get("MEDIA_URL", f"{PUBLIC_BACKEND_URL}/media/")
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", DATA_DIR / "media"))
# Uploaded files: the local media folder by default; any S3-compatible store when a bucket is
# named (see README, "Files").
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
if os.environ.get("AWS_STORAGE_BUCKET_NAME"):
    STORAGES["default"] = {
        "BACKEND": "user_files.storage.S3Storage",
        "OPTIONS": {
            "bucket_name": os.environ["AWS_STORAGE_BUCKET_NAME"],
            "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
            "access_key": os.environ.get("AWS_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("AWS_SECRET_ACCESS_KEY") or None,
            "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
            "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", True),
            "file_overwrite": False,
        },
    }
BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB = int(os.environ.get("BASEROW_FILE_UPLOAD_SIZE_LIMIT_MB", "1024"))
# Outbound requests to user-given URLs (upload via URL, webhooks) refuse private, loopback,
# link-local and metadata addresses unless allowed here (api/outbound.py).
OUTBOUND_ALLOW_PRIVATE_ADDRESSES = env_bool("BASEROW_WEBHOOKS_ALLOW_PRIVATE_ADDRESS")
OUTBOUND_ALLOWED_NETWORKS = env_list("BASEROW_OUTBOUND_ALLOWED_NETWORKS")
# Webhooks: per table, per call (seconds), retries of a failed call (waiting backoff * 2^n
# seconds), failures in a row before a webhook is deactivated, calls kept and their text size.
WEBHOOKS_MAX_PER_TABLE = int(os.environ.get("BASEROW_WEBHOOKS_MAX_PER_TABLE", "20"))
WEBHOOKS_REQUEST_TIMEOUT_SECONDS = float(
    os.environ.get("BASEROW_WEBHOOKS_REQUEST_TIMEOUT_SECONDS", "5")
)
WEBHOOKS_MAX_RETRIES = int(os.environ.get("BASEROW_WEBHOOKS_MAX_RETRIES_PER_CALL", "8"))
WEBHOOKS_RETRY_BACKOFF_SECONDS = float(os.environ.get("WEBHOOKS_RETRY_BACKOFF_SECONDS", "1"))
WEBHOOKS_MAX_CONSECUTIVE_FAILURES = int(
    os.environ.get("BASEROW_WEBHOOKS_MAX_CONSECUTIVE_TRIGGER_FAILURES", "8")
)
WEBHOOKS_CALL_LOG_ENTRIES = 5
# A rows event of more rows than this is sent in several calls (`batch_id`), at most
# BASEROW_WEBHOOKS_BATCH_LIMIT of them (0: no limit), as Baserow does.
WEBHOOKS_BATCH_SIZE = 200
WEBHOOKS_BATCH_LIMIT = int(os.environ.get("BASEROW_WEBHOOKS_BATCH_LIMIT", "5"))
WEBHOOKS_CALL_LOG_TEXT_LIMIT = 10_000
# The events waiting for a fan-out in Redis (webhooks/queue.py): a queued fan-out task is not
# queued again for this long; a consumer's lease; tries of an event that fails to fan out.
WEBHOOKS_FAN_OUT_KICK_SECONDS = 300
WEBHOOKS_FAN_OUT_LEASE_SECONDS = 120
WEBHOOKS_FAN_OUT_ATTEMPTS = 5
WEBHOOKS_FAN_OUT_RETRY_SECONDS = 5
# Exported files are deleted this many hours after their export (`exports_delete_expired`).
EXPORT_FILES_EXPIRE_HOURS = int(os.environ.get("EXPORT_FILES_EXPIRE_HOURS", "24"))

# The longest URL (path and query string) and the most header bytes a request may bring; past
# them it gets 414 / 431 in the error format. A long `filters` parameter fits well within.
MAX_REQUEST_LINE_SIZE = int(os.environ.get("MAX_REQUEST_LINE_SIZE", str(128 * 1024)))
MAX_REQUEST_HEADERS_SIZE = int(os.environ.get("MAX_REQUEST_HEADERS_SIZE", str(64 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = int(os.environ.get("DATA_UPLOAD_MAX_MEMORY_SIZE", 10 * 1024 * 1024))

# Baserow does not redirect a path without its slash: it answers a JSON 404.
APPEND_SLASH = False

CORS_ALLOW_HEADERS = (
    "accept",
    "authorization",
    "content-type",
    "origin",
    "user-agent",
    "x-requested-with",
    "clientsessionid",
    "clientundoredoactiongroupid",
    "websocketid",
)

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ("api.authentication.JWTAuthentication",),
    "DEFAULT_PERMISSION_CLASSES": ("rest_framework.permissions.IsAuthenticated",),
    "DEFAULT_RENDERER_CLASSES": ("rest_framework.renderers.JSONRenderer",),
    "DEFAULT_PARSER_CLASSES": (
        "api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ),
    "DEFAULT_SCHEMA_CLASS": "api.schema.AutoSchema",
    "EXCEPTION_HANDLER": "api.errors.exception_handler",
    "UNAUTHENTICATED_USER": None,
    "DEFAULT_THROTTLE_CLASSES": (
        "api.concurrency.ConcurrentUserRequestsThrottle",
        "api.throttling.DatabaseTokenThrottle",
    ),
    # X-Forwarded-For entries set by trusted proxies; 0: the client is the peer address.
    "NUM_PROXIES": int(os.environ.get("NUM_PROXIES", "0")),
}

# Throttles (api/throttling.py): "<requests>/<seconds>". Login and password-reset attempts past
# the free ones make each next attempt wait twice as long, up to THROTTLE_MAX_DELAY seconds.
THROTTLE_RATES = {
    "login_ip": os.environ.get("THROTTLE_LOGIN_IP", "20/300"),
    "login_account": os.environ.get("THROTTLE_LOGIN_ACCOUNT", "5/900"),
    "password_reset_ip": os.environ.get("THROTTLE_PASSWORD_RESET_IP", "10/3600"),
    "password_reset_account": os.environ.get("THROTTLE_PASSWORD_RESET_ACCOUNT", "3/3600"),
    "signup_ip": os.environ.get("THROTTLE_SIGNUP_IP", "20/3600"),
    "database_token": os.environ.get("THROTTLE_DATABASE_TOKEN", "6000/60"),
}
THROTTLE_MAX_DELAY = int(os.environ.get("THROTTLE_MAX_DELAY", "300"))
# A login or password-reset attempt a process knows to be blocked is answered after this many
# seconds (api/throttle_gate.py), at most THROTTLE_REFUSALS_HELD of them waiting at once.
THROTTLE_REFUSAL_DELAY = float(os.environ.get("THROTTLE_REFUSAL_DELAY", "1"))
THROTTLE_REFUSALS_HELD = int(os.environ.get("THROTTLE_REFUSALS_HELD", "1000"))
# Fairness between clients (api/fairness.py, baserow_clone/demand.py): before it starts and
# before each SQL statement until its transaction writes, a request of a client keeping over
# FAIR_SHARE_MARGIN times as many requests in flight as another (moving averages
# halving every FAIR_SHARE_HALF_LIFE seconds, shared through Redis every FAIR_SHARE_PUBLISH
# seconds) waits while that lighter client's request runs in the same process: at most
# FAIR_SHARE_MAX_WAIT seconds each time and FAIR_SHARE_MAX_WAIT_TOTAL per request. 0 turns it off.
FAIR_SHARE_MARGIN = float(os.environ.get("FAIR_SHARE_MARGIN", "1.5"))
FAIR_SHARE_HALF_LIFE = float(os.environ.get("FAIR_SHARE_HALF_LIFE", "2"))
FAIR_SHARE_PUBLISH = float(os.environ.get("FAIR_SHARE_PUBLISH", "0.25"))
FAIR_SHARE_MAX_WAIT = float(os.environ.get("FAIR_SHARE_MAX_WAIT", "0.05"))
FAIR_SHARE_MAX_WAIT_TOTAL = float(os.environ.get("FAIR_SHARE_MAX_WAIT_TOTAL", "1"))
# Baserow's limit of one user's requests in flight (staff excepted); -1: no limit.
BASEROW_MAX_CONCURRENT_USER_REQUESTS = int(
    os.environ.get("BASEROW_MAX_CONCURRENT_USER_REQUESTS") or "-1"
)
BASEROW_CONCURRENT_USER_REQUESTS_THROTTLE_TIMEOUT = int(
    os.environ.get("BASEROW_CONCURRENT_USER_REQUESTS_THROTTLE_TIMEOUT", "30")
)

ACCESS_TOKEN_LIFETIME_MINUTES = int(os.environ.get("ACCESS_TOKEN_LIFETIME_MINUTES", "60"))
REFRESH_TOKEN_LIFETIME_HOURS = int(os.environ.get("REFRESH_TOKEN_LIFETIME_HOURS", "168"))
SIMPLE_JWT = {
    "ACCESS_TOKEN_LIFETIME": timedelta(minutes=ACCESS_TOKEN_LIFETIME_MINUTES),
    "REFRESH_TOKEN_LIFETIME": timedelta(hours=REFRESH_TOKEN_LIFETIME_HOURS),
    "ROTATE_REFRESH_TOKENS": False,
    "ALGORITHM": "HS256",
    "SIGNING_KEY": os.environ.get("JWT_SIGNING_KEY", SECRET_KEY),
    "AUTH_HEADER_TYPES": ("JWT", "Bearer"),
    "USER_ID_FIELD": "id",
    "USER_ID_CLAIM": "user_id",
    "UPDATE_LAST_LOGIN": False,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Baserow API spec",
    "DESCRIPTION": "A Baserow-compatible REST API.",
    "VERSION": "1.35.3",
    "OAS_VERSION": "3.0.3",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    "SCHEMA_PATH_PREFIX": "/api/",
    "ENUM_NAME_OVERRIDES": {
        "WebhookEventTypeEnum": "webhooks.models.EVENT_TYPES",
        "JobTypeEnum": "jobs.params.startable_job_types",
        "FieldTypeEnum": "database.fields.registry.field_types.names",
    },
    # The schema and the docs pages are public, whatever Authorization header comes along.
    "SERVE_PERMISSIONS": ["rest_framework.permissions.AllowAny"],
    "SERVE_AUTHENTICATION": [],
    # validatorUrl None: Swagger UI would otherwise load a badge from an external validator.
    "SWAGGER_UI_SETTINGS": {"deepLinking": True, "validatorUrl": None},
}

# Where the web frontend lives: password-reset and invitation links must point there.
PUBLIC_WEB_FRONTEND_URL = os.environ.get("PUBLIC_WEB_FRONTEND_URL", "http://localhost:3000")
EXTRA_ALLOWED_FRONTEND_HOSTNAMES = env_list("EXTRA_ALLOWED_FRONTEND_HOSTNAMES")

# Browsers may call the API from the web frontend's origin and the listed ones; every origin
# (as Baserow allows) only when CORS_ALLOW_ALL_ORIGINS is set.
CORS_ALLOW_ALL_ORIGINS = env_bool("CORS_ALLOW_ALL_ORIGINS", False)
_frontend = urlsplit(PUBLIC_WEB_FRONTEND_URL)
CORS_ALLOWED_ORIGINS = [
    f"{_frontend.scheme}://{_frontend.netloc}",
    *env_list("CORS_ALLOWED_ORIGINS"),
]
RESET_PASSWORD_TOKEN_MAX_AGE_SECONDS = 48 * 3600
ALLOW_NEW_SIGNUPS = env_bool("ALLOW_NEW_SIGNUPS", True)
# 0: no limit on pending invitations per workspace.
MAX_PENDING_WORKSPACE_INVITES = int(os.environ.get("MAX_PENDING_WORKSPACE_INVITES", "0"))

EMAIL_BACKEND = os.environ.get("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
DEFAULT_FROM_EMAIL = os.environ.get("FROM_EMAIL", "no-reply@localhost")
EMAIL_HOST = os.environ.get("EMAIL_SMTP_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_SMTP_PORT", "25"))
EMAIL_HOST_USER = os.environ.get("EMAIL_SMTP_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("EMAIL_SMTP_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_SMTP_USE_TLS")

# Redis (REDIS_URL, e.g. redis://host:6379/0), when set, is the websocket's channel layer, the
# Celery broker and the cache every process shares.
REDIS_URL = os.environ.get("REDIS_URL", "")

# Websockets: the channel layer carries events between the web processes; in memory (one
# process, the embedded default) without Redis.
if REDIS_URL:
    # Pub/sub: an event is published once per group and each process hands it to its own
    # sockets (the list-based layer pops every socket's copy from Redis one at a time). Pub/sub
    # channels ignore the database number, so the prefix carries it.
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {
                "hosts": [REDIS_URL],
                "prefix": f"asgi{urlparse(REDIS_URL).path.strip('/') or '0'}:",
            },
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

# PostgreSQL: how long (ms) a schema change waits for a lock before it answers 409.
SCHEMA_LOCK_TIMEOUT = int(os.environ.get("SCHEMA_LOCK_TIMEOUT", "2000"))
# PostgreSQL: a type change of a table of at least FIELD_CONVERSION_JOB_ROWS rows fills the new
# column in a `convert_field` job, FIELD_CONVERSION_CHUNK_ROWS rows per committed chunk, resting
# FIELD_CONVERSION_PAUSE times a chunk's time after it (3: at most about a quarter of a CPU).
FIELD_CONVERSION_JOB_ROWS = int(os.environ.get("FIELD_CONVERSION_JOB_ROWS", "10000"))
FIELD_CONVERSION_CHUNK_ROWS = int(os.environ.get("FIELD_CONVERSION_CHUNK_ROWS", "5000"))
FIELD_CONVERSION_PAUSE = float(os.environ.get("FIELD_CONVERSION_PAUSE", "3"))
# ... and FIELD_CONVERSION_BUSY_PAUSE times while the web processes serve more than
# FIELD_CONVERSION_BUSY_DEMAND requests at a time on average (baserow_clone/demand.py).
FIELD_CONVERSION_BUSY_PAUSE = float(os.environ.get("FIELD_CONVERSION_BUSY_PAUSE", "9"))
FIELD_CONVERSION_BUSY_DEMAND = float(os.environ.get("FIELD_CONVERSION_BUSY_DEMAND", "1.5"))
# A conversion job no worker has started after this many seconds is failed and the request
# converts inline, so a missing or busy worker never keeps the request waiting for ever.
FIELD_CONVERSION_START_SECONDS = float(os.environ.get("FIELD_CONVERSION_START_SECONDS", "15"))
MAX_FIELDS_PER_TABLE = int(os.environ.get("MAX_FIELDS_PER_TABLE", "600"))
# Filters (and, apart, filter groups) per view; options per single or multiple select field.
MAX_VIEW_FILTERS = int(os.environ.get("MAX_VIEW_FILTERS", "100"))
MAX_SELECT_OPTIONS = int(os.environ.get("MAX_SELECT_OPTIONS", "1000"))
# Days row history entries are kept by `manage.py prune_row_history` (0: kept for ever).
ROW_HISTORY_RETENTION_DAYS = int(os.environ.get("ROW_HISTORY_RETENTION_DAYS", "180"))
# Trashed items are deleted for good this many hours after they went to the trash.
HOURS_UNTIL_TRASH_PERMANENTLY_DELETED = int(
    os.environ.get("HOURS_UNTIL_TRASH_PERMANENTLY_DELETED", "72")
)
# 0: no limit on the rows given to create a table with.
INITIAL_TABLE_DATA_LIMIT = int(os.environ.get("INITIAL_TABLE_DATA_LIMIT") or "0")

# The "jobs" cache holds running jobs' progress; without Redis it is a directory the local
# processes share.
if REDIS_URL:
    REDIS_CACHE = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        # One pool per process: Django's default is a new one (a new connection) per request.
        "OPTIONS": {"pool_class": "baserow_clone.cache.SharedConnectionPool"},
    }
    CACHES = {"default": REDIS_CACHE, "jobs": {**REDIS_CACHE, "KEY_PREFIX": "jobs"}}
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "jobs": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(DATA_DIR / "jobs-cache"),
        },
    }

# Background work: Celery workers fed by the broker; with no broker (the embedded default) the
# same tasks run in this process (jobs in JOB_THREADS threads, so job endpoints answer at once).
CELERY_BROKER_URL = os.environ.get("CELERY_BROKER_URL", REDIS_URL)
CELERY_TASK_ALWAYS_EAGER = not CELERY_BROKER_URL
CELERY_TASK_ACKS_LATE = True  # a job's message is only gone once the job has ended
CELERY_TASK_REJECT_ON_WORKER_LOST = True  # a lost worker process puts its message back
CELERY_WORKER_PREFETCH_MULTIPLIER = 1  # a worker holds no queued jobs it cannot start yet
CELERY_TASK_IGNORE_RESULT = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
CELERY_BEAT_SCHEDULE = {
    "prune-row-history": {
        "task": "database.tasks.prune_row_history",
        "schedule": crontab(hour=3, minute=17),
    },
    "delete-expired-accounts": {
        "task": "workspaces.tasks.delete_expired_accounts",
        "schedule": crontab(hour=3, minute=47),
    },
    "fail-stale-jobs": {"task": "jobs.tasks.fail_stale_jobs", "schedule": 60.0},
    "purge-trash": {"task": "trash.tasks.purge_trash", "schedule": crontab(minute=7)},
    "delete-expired-exports": {
        "task": "database.tasks.delete_expired_exports",
        "schedule": crontab(minute=37),
    },
    "clean-up-actions": {"task": "actions.tasks.clean_up_actions", "schedule": 300.0},
    "resume-stalled-webhooks": {"task": "webhooks.tasks.resume_stalled", "schedule": 60.0},
    "reap-abandoned-conversions": {
        "task": "database.tasks.reap_abandoned_conversions",
        "schedule": 600.0,
    },
}
# Undoable actions untouched this long expire (Baserow's limit).
MINUTES_UNTIL_ACTION_CLEANED_UP = int(os.environ.get("MINUTES_UNTIL_ACTION_CLEANED_UP", "120"))
# With no broker, the server runs CELERY_BEAT_SCHEDULE itself (jobs/beat.py), one process per
# machine; EMBEDDED_BEAT=false leaves the periodic tasks to cron and the manage.py commands.
EMBEDDED_BEAT = env_bool("EMBEDDED_BEAT", True)
JOB_THREADS = int(os.environ.get("JOB_THREADS", "2"))
# A running job's runner beats every JOB_HEARTBEAT_SECONDS; a started job silent for
# JOB_STALE_SECONDS lost its worker and is failed by the `fail_stale_jobs` periodic task.
JOB_HEARTBEAT_SECONDS = float(os.environ.get("JOB_HEARTBEAT_SECONDS", "15"))
JOB_STALE_SECONDS = float(os.environ.get("JOB_STALE_SECONDS", "300"))
# A job still pending after JOB_PENDING_STALE_SECONDS is failed by the same task (Baserow gives
# up on jobs after its 30-minute time limit): one lost never holds up the next of its type.
JOB_PENDING_STALE_SECONDS = float(os.environ.get("JOB_PENDING_STALE_SECONDS", "1800"))
# Extra modules registering job types, imported when the jobs app starts (tests use it).
JOB_TYPE_MODULES = env_list("JOB_TYPE_MODULES")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
}
