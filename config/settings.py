"""runclub settings: one module, driven by environment variables.

Profiles (RUNCLUB_PROFILE):
- ``embedded`` (default): SQLite and a private Redis under ``var/``; what ``make run`` starts.
- ``production``: every secret and address comes from the environment; HTTPS hardening on.

DATABASE_URL and REDIS_URL switch either profile to real servers (the scale-out mode).
"""

from __future__ import annotations

import secrets
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from config import limits
from config.env import env_bool, env_choice, env_int, env_list, env_str, redis_broker_url

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(env_str("RUNCLUB_VAR_DIR", str(BASE_DIR / "var"))).resolve()
PROFILE = env_choice("RUNCLUB_PROFILE", "embedded", ("embedded", "production"))
PRODUCTION = PROFILE == "production"


def _embedded_secret_key() -> str:
    """Generate the key once and keep it, so sessions survive a restart of `make run`."""
    path = VAR_DIR / "secret_key"
    if not path.exists():
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        path.write_text(secrets.token_urlsafe(64))
        path.chmod(0o600)
    return path.read_text().strip()


SECRET_KEY = (
    env_str("SECRET_KEY") if PRODUCTION else env_str("SECRET_KEY", "") or _embedded_secret_key()
)
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", [] if PRODUCTION else ["localhost", "127.0.0.1", "[::1]"])
if PRODUCTION and not ALLOWED_HOSTS:
    raise ImproperlyConfigured("ALLOWED_HOSTS must list the site's host names in production.")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "channels",
    "club",
    "coaching",
    "analysis",
    "club.life.apps.ClubLifeConfig",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "config.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "config.urls"
ASGI_APPLICATION = "config.asgi.application"
WSGI_APPLICATION = None

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
                "club.context_processors.unread_notifications",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------------
_database_url = env_str("DATABASE_URL", "")
if _database_url:
    DATABASES = {"default": dj_database_url.parse(_database_url, conn_max_age=60)}
elif PRODUCTION:
    raise ImproperlyConfigured("DATABASE_URL is required in production (a PostgreSQL server).")
else:
    # The web server and the worker share this file: WAL lets readers run beside the writer,
    # IMMEDIATE transactions queue writers instead of failing with "database is locked".
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": VAR_DIR / "runclub.sqlite3",
            "CONN_MAX_AGE": 60,  # as for PostgreSQL: live pushes would reopen the file each time
            "OPTIONS": {
                "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
            },
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "club.User"

# --- Redis: channel layer and Celery broker ---------------------------------------------------
# Without REDIS_URL the embedded Redis that `manage.py runclub` starts listens on this socket.
EMBEDDED_REDIS_SOCKET = VAR_DIR / "redis.sock"
_redis_url = env_str("REDIS_URL", "")
if not _redis_url and PRODUCTION:
    raise ImproperlyConfigured("REDIS_URL is required in production.")
REDIS_URL = _redis_url or f"unix://{EMBEDDED_REDIS_SOCKET}"
EMBEDDED_REDIS = not _redis_url

# config/channel_layer.py says why each connection option is what it is.
CHANNEL_LAYERS = {
    "default": {
        "BACKEND": "config.channel_layer.LiveChannelLayer",
        "CONFIG": {
            "hosts": [
                {
                    "address": REDIS_URL,
                    "socket_timeout": 15,  # > channels_redis's 5 s blocking receive
                    "socket_connect_timeout": 5,
                    "max_connections": env_int("CHANNELS_MAX_CONNECTIONS", 200, minimum=10),
                    "timeout": 20,  # how long a burst waits for a free connection
                }
            ],
            "prefix": env_str("CHANNELS_PREFIX", "runclub"),
            # Per socket: what one page may have waiting before the oldest is dropped.
            "capacity": 500,
            # All sockets of one web process share one Redis list; a reconnect storm or a
            # club-wide push queues a message per socket there, so its bound is per process.
            "channel_capacity": {"specific.*": 20_000},
            "expiry": 30,
            # An open socket re-joins its groups 4 times as often (club/consumers.py), so only
            # members left behind by a killed process ever reach this age.
            "group_expiry": 3600,
        },
    }
}

# --- Celery: the broker only rings the bell; job state lives in analysis.Job -----------------
JOB_SOFT_TIME_LIMIT_S = env_int("JOB_SOFT_TIME_LIMIT_S", 900, minimum=1)
JOB_TIME_LIMIT_S = env_int("JOB_TIME_LIMIT_S", JOB_SOFT_TIME_LIMIT_S + 60, minimum=2)
if JOB_TIME_LIMIT_S <= JOB_SOFT_TIME_LIMIT_S:
    raise ImproperlyConfigured("JOB_TIME_LIMIT_S must be greater than JOB_SOFT_TIME_LIMIT_S.")
JOB_MAX_ATTEMPTS = env_int("JOB_MAX_ATTEMPTS", 3, minimum=1)
# A running job's lease, renewed by its process every quarter of it (analysis.job_runner); a
# job whose lease ran out, or whose process on this machine has ended, is put back in the queue
# by the sweep every worker runs this often.
JOB_LEASE_S = env_int("JOB_LEASE_S", 60, minimum=4)
JOB_SWEEP_INTERVAL_S = env_int("JOB_SWEEP_INTERVAL_S", 15, minimum=1)

CELERY_BROKER_URL = redis_broker_url(REDIS_URL)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Unacked messages come back after this; it must outlast the longest job.
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": env_int("CELERY_VISIBILITY_TIMEOUT_S", JOB_TIME_LIMIT_S * 2, minimum=1)
}
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = JOB_SOFT_TIME_LIMIT_S
CELERY_TASK_TIME_LIMIT = JOB_TIME_LIMIT_S
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"analysis.tasks.run_video_job": {"queue": "video"}}
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

# --- Files ---------------------------------------------------------------------------------
# Uploads live under var/ with server-made names and are only ever served by views that check
# access; they are never part of STATIC_ROOT or any URL of their own.
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "uploads")))
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = Path(env_str("STATIC_ROOT", str(VAR_DIR / "static")))
# Serve /static/ from the ASGI app itself (fine for a club; put a proxy in front to scale).
SERVE_STATIC = env_bool("SERVE_STATIC", True)
FILE_UPLOAD_PERMISSIONS = 0o600
# Request bodies are bounded before they are read (config.bodyguard, limits in config.limits);
# what passes is spooled to disk past a small buffer, and uploaded files always go to disk.
DATA_UPLOAD_MAX_MEMORY_SIZE = limits.FORM_BODY.max_bytes
FILE_UPLOAD_MAX_MEMORY_SIZE = limits.IN_MEMORY_BODY_BYTES
FILE_UPLOAD_HANDLERS = ["django.core.files.uploadhandler.TemporaryFileUploadHandler"]
# Clips longer or larger than this are refused before any analysis.
VIDEO_MAX_DURATION_S = env_int("VIDEO_MAX_DURATION_S", 120, minimum=5)
VIDEO_MAX_PIXELS = env_int("VIDEO_MAX_PIXELS", 3840 * 2160, minimum=320 * 240)

# --- Cache: Redis in every mode, so all web processes share it (sign-in throttling) --------
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": REDIS_URL,
        "KEY_PREFIX": env_str("CACHE_PREFIX", "runclub"),
    }
}

# --- Auth, i18n ----------------------------------------------------------------------------
# Every password check is throttled (club/throttle.py): this many failures per account or per
# address within the window refuse sign-in for the window.
AUTHENTICATION_BACKENDS = ["club.auth.ThrottledModelBackend"]
SIGNIN_FAILURES_PER_ACCOUNT = env_int("SIGNIN_FAILURES_PER_ACCOUNT", 10, minimum=1)
SIGNIN_FAILURES_PER_ADDRESS = env_int("SIGNIN_FAILURES_PER_ADDRESS", 30, minimum=1)
SIGNIN_WINDOW_S = env_int("SIGNIN_WINDOW_S", 15 * 60, minimum=1)
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "dashboard"
LOGOUT_REDIRECT_URL = "login"
LANGUAGE_CODE = "en-gb"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

# --- REST API ------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "rest_framework.authentication.SessionAuthentication",
        "club.auth.ApiTokenAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticated"],
    # JSON nested beyond a bound, or not an object, is a 400 with a JSON error (config.parsers).
    "DEFAULT_PARSER_CLASSES": [
        "config.parsers.BoundedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    # Domain errors (ClubActionError and friends) become 400/403 here, nowhere else.
    "EXCEPTION_HANDLER": "club.api_errors.exception_handler",
    "DEFAULT_PAGINATION_CLASS": "config.pagination.BoundedLimitOffsetPagination",
    "PAGE_SIZE": 50,
}
SPECTACULAR_SETTINGS = {
    "TITLE": "runclub API",
    "DESCRIPTION": "Everything the runclub pages do: clubs, runs, analyses, coaching.",
    "VERSION": "0.1.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "ENUM_NAME_OVERRIDES": {
        "VisibilityEnum": "club.models.people.Visibility",
        "CoachLinkStatusEnum": "club.models.people.CoachLink.Status",
        "SuggestionStatusEnum": "coaching.models.Suggestion.Status",
        "RunStatusEnum": "club.models.runs.Run.Status",
    },
}

# --- Security ------------------------------------------------------------------------------
SESSION_COOKIE_HTTPONLY = True
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
if PRODUCTION:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000, minimum=0)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    "loggers": {"django.channels.server": {"level": "WARNING"}},
}
