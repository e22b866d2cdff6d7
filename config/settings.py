"""Corroborate settings: one module, read from the environment.

With no environment at all this is the *embedded default*: a SQLite file and a local
Celery worker on kombu's filesystem transport (no Redis needed). Setting DATABASE_URL and
CELERY_BROKER_URL switches the same code to PostgreSQL, Redis and any number of workers.
Every variable is listed in .env.example.
"""

import json
import os
import sys
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent


def env(name: str, default: str = "") -> str:
    return os.environ.get(name, default)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name)
    return int(value) if value else default


def env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in env(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", True)
SECRET_KEY = env("SECRET_KEY")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("SECRET_KEY must be set when DEBUG is off.")
    SECRET_KEY = "insecure-local-development-key-only"  # noqa: S105 - DEBUG only

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")
SITE_URL = env("SITE_URL", "http://127.0.0.1:8000")

# Where the embedded default keeps its SQLite file and its filesystem broker.
VAR_DIR = Path(env("VAR_DIR", str(BASE_DIR / "var")))
VAR_DIR.mkdir(parents=True, exist_ok=True)

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django_htmx",
    "axes",
    "claims",
    "verify",
    "ninja",
    "api",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    # Before anything reads a password: one cache increment per log-in POST per address.
    "config.login_limit.LoginRateLimitMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "config.bad_input.RefuseBadParametersMiddleware",  # its process_view runs after the CSRF check
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    # Last, so that a locked-out login never reaches the auth backends.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
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
                "django.template.context_processors.csp",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASE_URL = env("DATABASE_URL")
# Test databases are named per process, so two test runs on one machine never share one.
if DATABASE_URL:
    DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60)}
    DATABASES["default"]["TEST"] = {"NAME": f"test_{DATABASES['default']['NAME']}_{os.getpid()}"}
else:
    # WAL lets the web process read while the worker writes; IMMEDIATE transactions take
    # the write lock up front, so two writers queue on the busy timeout instead of failing
    # with "database is locked" when a read transaction tries to upgrade.
    DATABASES = {
        "default": {
            "ENGINE": "django.db.backends.sqlite3",
            "NAME": env("SQLITE_PATH", str(VAR_DIR / "corroborate.sqlite3")),
            "OPTIONS": {
                "transaction_mode": "IMMEDIATE",
                "timeout": 20,
                "init_command": (
                    "PRAGMA journal_mode=WAL;PRAGMA synchronous=NORMAL;PRAGMA busy_timeout=20000;"
                ),
            },
            # A file, not memory: the worker started by tests/test_worker.py opens it too.
            "TEST": {"NAME": str(VAR_DIR / f"test-{os.getpid()}.sqlite3")},
        }
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when configured (shared by all processes), else this process's memory ---
CACHE_REDIS_URL = env("CACHE_REDIS_URL")
CACHES = {
    "default": (
        {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": CACHE_REDIS_URL,
            "OPTIONS": {"socket_timeout": 2, "socket_connect_timeout": 2},
        }
        if CACHE_REDIS_URL
        else {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}
    )
}

# Sessions stay in the database (Django's default), not in the Redis cache: Django's cached_db
# engine writes the cache outside its error handling when it loads a session, so with Redis
# down every page would fail (tests/claims/test_cache_down.py). Reading sessions from the
# cache would save one query per page (docs/performance.md).

# --- Auth -----------------------------------------------------------------------------
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = [
    "config.hashers.Argon2PasswordHasher",  # explicit parameters, see config/hashers.py
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "review:dashboard"
LOGOUT_REDIRECT_URL = "login"

# django-axes: lock a (user, address) pair after repeated failures.
AXES_FAILURE_LIMIT = env_int("AXES_FAILURE_LIMIT", 5)
AXES_COOLOFF_TIME = env_float("AXES_COOLOFF_HOURS", 0.25)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "registration/locked_out.html"
AXES_ENABLED = env_bool("AXES_ENABLED", True)
AXES_VERBOSE = False  # no banner on every command
# The client address behind the TLS proxy, the same one the attempt limit below counts.
AXES_CLIENT_IP_CALLABLE = "config.login_limit.client_ip"
# Every log-in POST from one address, whatever the user name (config/login_limit.py): a
# team behind one office NAT logs in far less often; a password-guessing script is
# stopped before it costs more than a few seconds of hashing.
LOGIN_ATTEMPTS_PER_ADDRESS = env_int("LOGIN_ATTEMPTS_PER_ADDRESS", 20)
LOGIN_ATTEMPT_WINDOW_SECONDS = env_int("LOGIN_ATTEMPT_WINDOW_SECONDS", 300)

# --- Review ---------------------------------------------------------------------------
# Two-person rule: a reviewer's verdict is only proposed until an editor who did not write
# it approves it. Off, a reviewer's verdict is final at once.
TWO_PERSON_RULE = env_bool("TWO_PERSON_RULE", True)
# How long "Next claim" holds a claim for the reviewer who took it.
CLAIM_LOCK_MINUTES = env_int("CLAIM_LOCK_MINUTES", 5)

# The JSON API (api/): requests per token per window, over which it answers 429 with
# Retry-After. 0 turns the limit off.
API_RATE_LIMIT = env_int("API_RATE_LIMIT", 600)
API_RATE_WINDOW_SECONDS = env_int("API_RATE_WINDOW_SECONDS", 60)
# Webhooks (api/webhooks.py): attempts per delivery before it is marked failed, the first
# retry's wait in seconds (doubling each time, at most the cap), and the receiver's time to
# connect and to answer.
WEBHOOK_MAX_ATTEMPTS = env_int("WEBHOOK_MAX_ATTEMPTS", 6)
WEBHOOK_BACKOFF_SECONDS = env_float("WEBHOOK_BACKOFF_SECONDS", 30.0)
WEBHOOK_BACKOFF_MAX_SECONDS = env_float("WEBHOOK_BACKOFF_MAX_SECONDS", 3600.0)
WEBHOOK_TIMEOUT = env_float("WEBHOOK_TIMEOUT", 10.0)

# --- Internationalisation -------------------------------------------------------------
LANGUAGE_CODE = "en-gb"
TIME_ZONE = env("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static files ---------------------------------------------------------------------
STATIC_URL = "/static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = BASE_DIR / "staticfiles"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}

# --- Security headers -----------------------------------------------------------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", not DEBUG)
SECURE_HSTS_SECONDS = 0 if DEBUG else env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
# Exactly one proxy in front (the documented TLS proxy): it sets X-Forwarded-Proto and
# appends the client's address to X-Forwarded-For (config/login_limit.py reads the last).
BEHIND_TLS_PROXY = env_bool("BEHIND_TLS_PROXY", False)
if BEHIND_TLS_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}

# --- Ingestion ------------------------------------------------------------------------
# Longest article we accept, in characters of cleaned text (a long state-media feature is
# ~3,000 words ≈ 20,000 characters; 200,000 leaves room for transcripts without letting a
# pasted book fill the queue), and the largest upload in bytes.
ARTICLE_MAX_CHARS = env_int("ARTICLE_MAX_CHARS", 200_000)
UPLOAD_MAX_BYTES = env_int("UPLOAD_MAX_BYTES", 2_000_000)
# A request may carry more than an article may hold, so that a too-long paste is refused
# on the form with the limit named, not with a bare "400 Bad Request".
DATA_UPLOAD_MAX_MEMORY_SIZE = env_int("DATA_UPLOAD_MAX_BYTES", 12_000_000)
FILE_UPLOAD_MAX_MEMORY_SIZE = UPLOAD_MAX_BYTES + 500_000

# --- Celery ---------------------------------------------------------------------------
CELERY_BROKER_URL = env("CELERY_BROKER_URL", "filesystem://localhost//")
BROKER_DIR = VAR_DIR / "broker"
# Short socket timeouts: a web request that queues work must never hang on a broker that
# accepts connections but does not answer. The job row is already committed; the
# reconciler queues it again later. (Named on its own so the fault tests use the same.)
REDIS_BROKER_TRANSPORT_OPTIONS: dict = {
    "socket_timeout": env_float("BROKER_SOCKET_TIMEOUT", 2.0),
    "socket_connect_timeout": env_float("BROKER_SOCKET_TIMEOUT", 2.0),
    "visibility_timeout": env_int("BROKER_VISIBILITY_TIMEOUT", 600),
    # One retry, at once: kombu's default 2 s pause before it would put a page with Redis
    # down past its 2 s bound (tests/faults/test_broker_down.py).
    "max_retries": 1,
    "interval_start": 0,
    # Messages a killed worker had taken come back after visibility_timeout; kombu only
    # looks for them every interval × throttle seconds (10 × 10 by default): every 10 s.
    "unacked_restore_throttle": 1,
}
if CELERY_BROKER_URL.startswith("filesystem://"):
    for sub in ("queue", "processed", "control"):
        (BROKER_DIR / sub).mkdir(parents=True, exist_ok=True)
    CELERY_BROKER_TRANSPORT_OPTIONS: dict = {
        "data_folder_in": str(BROKER_DIR / "queue"),
        "data_folder_out": str(BROKER_DIR / "queue"),
        "processed_folder": str(BROKER_DIR / "processed"),
        "control_folder": str(BROKER_DIR / "control"),
        "store_processed": False,
        "polling_interval": 0.2,  # seconds between looks at the folder (default 1)
    }
else:
    CELERY_BROKER_TRANSPORT_OPTIONS = REDIS_BROKER_TRANSPORT_OPTIONS
CELERY_BROKER_CONNECTION_TIMEOUT = env_float("BROKER_SOCKET_TIMEOUT", 2.0)
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_PUBLISH_RETRY = False
CELERY_RESULT_BACKEND = None  # job rows in the database are the record, not results
CELERY_TASK_IGNORE_RESULT = True
CELERY_TASK_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TASK_ROUTES = {"verify.evidence.tasks.*": {"queue": "fetch"}}
CELERY_TASK_ACKS_LATE = True
# Without this a pool process killed mid-task (OOM, SIGKILL) acks the message and loses it.
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_SOFT_TIME_LIMIT = env_int("TASK_SOFT_TIME_LIMIT", 120)
CELERY_TASK_TIME_LIMIT = env_int("TASK_TIME_LIMIT", 150)
CELERY_TASK_ALWAYS_EAGER = env_bool("CELERY_TASK_ALWAYS_EAGER", False)
# Work whose row says "queued" for longer than this (its enqueue failed, or the broker lost
# it) is queued again by the reconciler; a "running" job whose lease ran out likewise.
RECONCILE_AFTER_SECONDS = env_int("RECONCILE_AFTER_SECONDS", 90)
# A notice's e-mail still unsent this long after it was queued is queued again: longer than
# the mail task's own retries last (backing off 30 s to 15 min, six times: about 31 min).
NOTIFICATION_MAIL_RETRY_SECONDS = env_int("NOTIFICATION_MAIL_RETRY_SECONDS", 3600)
# A bug inside extraction (per sentence) or inside a gather job is recorded (on the article,
# on the job) and, when this is on, raised as well: on under pytest, so a test cannot pass
# over a crash that production would only log.
RAISE_PIPELINE_ERRORS = env_bool("RAISE_PIPELINE_ERRORS", "pytest" in sys.modules)
JOB_LEASE_SECONDS = CELERY_TASK_TIME_LIMIT + 30
GATHER_MAX_ATTEMPTS = env_int("GATHER_MAX_ATTEMPTS", 5)
PASSAGE_MAX_CHARS = env_int("PASSAGE_MAX_CHARS", 2000)
# How often beat looks for feeds that are due; each feed keeps its own interval
# (Feed.poll_interval_minutes). A poll that waited longer than this in the queue is dropped:
# the next one is already coming.
FEED_POLL_SECONDS = env_float("FEED_POLL_SECONDS", 60.0)
CELERY_BEAT_SCHEDULE: dict = {
    # Every 30 s: work whose enqueue failed is queued again at most RECONCILE_AFTER_SECONDS
    # + 30 s = 2 minutes later (issue 8, item 3).
    "reconcile-pending-work": {"task": "verify.tasks.reconcile", "schedule": 30.0},
    # Webhook deliveries whose task was lost (broker down, worker killed) are sent again.
    "resend-stuck-deliveries": {"task": "api.tasks.resend_stuck", "schedule": 60.0},
    "poll-due-feeds": {
        "task": "claims.tasks.poll_feeds",
        "schedule": FEED_POLL_SECONDS,
        "options": {"queue": "fetch", "expires": FEED_POLL_SECONDS},
    },
}

# --- Logging --------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}},
}

# --- Outbound HTTP and reference sources (verify/http.py is the one seam) -------------
# API base URLs are operator settings and trusted; tests point them at 127.0.0.1.
WIKIPEDIA_API_URL = env("WIKIPEDIA_API_URL", "https://en.wikipedia.org/w/api.php")
WIKIPEDIA_REST_URL = env("WIKIPEDIA_REST_URL", "https://en.wikipedia.org/api/rest_v1")
WIKIDATA_API_URL = env("WIKIDATA_API_URL", "https://www.wikidata.org/w/api.php")
WDQS_URL = env("WDQS_URL", "https://query.wikidata.org/sparql")
GDELT_DOC_URL = env("GDELT_DOC_URL", "https://api.gdeltproject.org/api/v2/doc/doc")
FACTCHECK_URL = env("FACTCHECK_URL", "https://factchecktools.googleapis.com/v1alpha1/claims:search")
FACTCHECK_API_KEY = env("FACTCHECK_API_KEY")  # the fact-check source is off without it
SOURCES_DISABLED = env_list("SOURCES_DISABLED")  # e.g. "gdelt,factcheck"
HTTP_CONTACT = env("HTTP_CONTACT", "https://github.com/corroborate/corroborate; ops@example.org")
HTTP_USER_AGENT = f"Corroborate/0.1 ({HTTP_CONTACT}) python-requests"
HTTP_CONNECT_TIMEOUT = env_float("HTTP_CONNECT_TIMEOUT", 5.0)
HTTP_READ_TIMEOUT = env_float("HTTP_READ_TIMEOUT", 20.0)
# A whole fetch, retries included; below TASK_SOFT_TIME_LIMIT.
HTTP_DEADLINE = env_float("HTTP_DEADLINE", 60.0)
# A fetch a person waits for in the browser ("Add by URL"): below gunicorn's 30 s timeout.
HTTP_INTERACTIVE_DEADLINE = env_float("HTTP_INTERACTIVE_DEADLINE", 20.0)
HTTP_MAX_BYTES = env_int("HTTP_MAX_BYTES", 5_000_000)  # decoded body, so gzip bombs stop too
HTTP_MAX_RETRIES = env_int("HTTP_MAX_RETRIES", 3)
HTTP_CACHE = env_bool("HTTP_CACHE", True)
# For local evaluations and tests only: let user-supplied URLs and result pages point at
# loopback. Refused when DEBUG is off unless ALLOW_LOOPBACK_FETCH_FORCE is also set.
ALLOW_LOOPBACK_FETCH = env_bool("ALLOW_LOOPBACK_FETCH", False)
if ALLOW_LOOPBACK_FETCH and not DEBUG and not env_bool("ALLOW_LOOPBACK_FETCH_FORCE", False):
    raise ImproperlyConfigured(
        "ALLOW_LOOPBACK_FETCH is for local evaluation; with DEBUG off also set "
        "ALLOW_LOOPBACK_FETCH_FORCE=1 if you really mean it."
    )
# State outlets whose copies never count as independent corroboration (besides every
# Outlet marked is_state_media).
STATE_MEDIA_DOMAINS = env_list(
    "STATE_MEDIA_DOMAINS",
    "kcna.kp,kcnawatch.org,rodong.rep.kp,pyongyangtimes.com.kp,pytimes.com.kp,naenara.com.kp,"
    "tass.com,tass.ru,ria.ru,sputniknews.com,rt.com,xinhuanet.com,news.cn,english.news.cn,"
    "cgtn.com,globaltimes.cn,chinadaily.com.cn,people.cn",
)

# --- Politeness, retries and circuit breaker (verify/politeness.py, http.py, breaker.py) --
# Per host (exact name or any subdomain of it): requests in flight at once across every
# worker process, and the minimum seconds between two request starts. Shared through Redis
# when it is configured, else through file locks under VAR_DIR.
HOST_LIMITS: dict[str, dict[str, float]] = {
    "default": {"in_flight": 2, "interval": 0.5},
    "wikipedia.org": {"in_flight": 1, "interval": 0.0},
    "wikidata.org": {"in_flight": 1, "interval": 0.0},
    "wikimedia.org": {"in_flight": 1, "interval": 0.0},
    "api.gdeltproject.org": {"in_flight": 1, "interval": 5.0},
}
# More or changed limits as JSON, merged over these (a mirror or proxy of a source; the
# gathering benchmark's loopback hosts): '{"wiki.example.org": {"in_flight": 4, "interval": 0}}'
HOST_LIMITS.update(json.loads(env("HOST_LIMITS_JSON", "{}")))
HTTP_RETRY_BACKOFF = env_float("HTTP_RETRY_BACKOFF", 0.5)  # first retry waits ~this, then doubles
HTTP_BREAKER_FAILURES = env_int("HTTP_BREAKER_FAILURES", 5)  # consecutive failures that open it
HTTP_BREAKER_RESET = env_int("HTTP_BREAKER_RESET", 60)  # seconds it stays open

# --- Publishing (claims/publishing.py) -------------------------------------------------
# The fact-checking organisation named as author of every published ClaimReview.
FACTCHECK_ORG_NAME = env("FACTCHECK_ORG_NAME", "Corroborate")
FACTCHECK_ORG_URL = env("FACTCHECK_ORG_URL", SITE_URL)
# Credit reviewers and approvers on public pages by name, or all as one desk (for staff
# whose names should not appear next to verdicts on state media).
PUBLISH_AS_DESK = env_bool("PUBLISH_AS_DESK", False)
DESK_NAME = env("DESK_NAME", "Verification desk")

# --- The desk's clock and mail (verify.review) -----------------------------------------
# Every time on the desk is shown in this zone, named beside it ({{ value|when }},
# verify/templatetags/desk_time.py). An IANA name: Asia/Seoul, Europe/Moscow, UTC.
DESK_TIME_ZONE = env("DESK_TIME_ZONE", "UTC")
try:
    ZoneInfo(DESK_TIME_ZONE)
except (ZoneInfoNotFoundError, ValueError) as exc:
    raise ImproperlyConfigured(
        f"DESK_TIME_ZONE={DESK_TIME_ZONE!r} is no time zone name; write one such as "
        "Asia/Seoul, Europe/Moscow or UTC."
    ) from exc
# Notifications go out through Django's mail (MAILERS, Django 6.1's successor of the EMAIL_*
# settings), read from the variables below. In development (DEBUG=1) they are printed to the
# worker's console by default; with DEBUG=0 the default is SMTP with EMAIL_*, since console
# mail in production is mail nobody gets (Django's deploy check, mail.E001, refuses it).
_MAIL_BACKEND = env(
    "EMAIL_BACKEND",
    "django.core.mail.backends.console.EmailBackend" if DEBUG
    else "django.core.mail.backends.smtp.EmailBackend",
)
_SMTP_OPTIONS = {
    "host": env("EMAIL_HOST", "localhost"),
    "port": env_int("EMAIL_PORT", 25),
    "username": env("EMAIL_HOST_USER"),
    "password": env("EMAIL_HOST_PASSWORD"),
    "use_tls": env_bool("EMAIL_USE_TLS", False),
    "timeout": env_int("EMAIL_TIMEOUT", 10),
}
MAILERS = {
    "default": {
        "BACKEND": _MAIL_BACKEND,
        # Only the SMTP backend takes these; the others refuse options they do not know.
        "OPTIONS": _SMTP_OPTIONS if _MAIL_BACKEND.endswith(".smtp.EmailBackend") else {},
    }
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", "corroborate@localhost")
