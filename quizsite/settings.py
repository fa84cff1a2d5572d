"""Settings for quizsite: one module, every value from the environment.

The defaults run the site on SQLite with nothing set. Production is this same module with
variables set (see README, "Deployment"); it refuses to start without a real secret key.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent


def envbool(name: str, default: str) -> bool:
    return os.environ.get(name, default).strip().lower() in ("1", "true", "yes", "on")


def envint(name: str, default: str) -> int:
    value = os.environ.get(name, default)
    try:
        return int(value)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, got {value!r}") from None


def envlist(name: str, default: str) -> list[str]:
    return [part.strip() for part in os.environ.get(name, default).split(",") if part.strip()]


DEBUG = envbool("DJANGO_DEBUG", "true")

_DEV_SECRET_KEY = "dev-only-insecure-key-set-DJANGO_SECRET_KEY-in-production"
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", _DEV_SECRET_KEY)
if not DEBUG and (SECRET_KEY == _DEV_SECRET_KEY or len(SECRET_KEY) < 32):
    raise ImproperlyConfigured(
        "DJANGO_DEBUG is off but DJANGO_SECRET_KEY is not set to a real secret. "
        "Set DJANGO_SECRET_KEY to a random string of at least 32 characters, e.g. "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'."
    )

# Rotating the key: set the new one and list the old one here until sessions, password
# reset links and the choice ids of pages already shown have been replaced (a day or two).
SECRET_KEY_FALLBACKS = envlist("DJANGO_SECRET_KEY_FALLBACKS", "")

ALLOWED_HOSTS = envlist("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = envlist("DJANGO_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    # django.contrib.admin, its default site throttling log-ins (questions/accounts/admin_site.py)
    "questions.apps.SiteAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "rest_framework",
    "rest_framework.authtoken",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "questions",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    # Above the two that answer early (413s, static files), so their answers carry the
    # Content-Security-Policy and X-Frame-Options headers too.
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "questions.web.middleware.BodySizeLimit",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "questions.web.text_guard.RefuseUnstorableQuery",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "quizsite.urls"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "quizsite" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "questions.web.context_processors.roles",
            ],
        },
    },
]

# Every form renders through the same two templates (questions/templates/forms/).
FORM_RENDERER = "questions.web.forms.SiteFormRenderer"

WSGI_APPLICATION = "quizsite.wsgi.application"

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
        conn_max_age=envint("DATABASE_CONN_MAX_AGE", "0"),
        # A kept connection that the server closed (a restart, a failover, an operator's
        # pg_terminate_backend) is found at the start of the next request and replaced,
        # instead of failing that request with a 500 (on PostgreSQL by a poll of its socket,
        # then "SELECT 1" only if the server sent something).
        conn_health_checks=envbool("DATABASE_CONN_HEALTH_CHECKS", "true"),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # Django's backend with a health check that polls the socket before it asks the server
    # (quizsite/postgresql/base.py says why).
    DATABASES["default"]["ENGINE"] = "quizsite.postgresql"
    # An unreachable database fails a request (and /readyz) in seconds, not after the
    # operating system's TCP timeout of minutes. libpq's smallest useful value is 2.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = envint(
        "DATABASE_CONNECT_TIMEOUT", "3"
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Writers queue for the lock instead of failing with "database is locked" halfway
    # through a transaction; quizzes rely on this when two tabs finish at once.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
    DATABASES["default"]["OPTIONS"].setdefault("timeout", 20)

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en"
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "UTC")
USE_I18N = False
USE_TZ = True

STATIC_URL = "static/"
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

# Request bodies: forms and JSON up to 1 MB (the largest real one, a set file, is 256 KB);
# bigger bodies are refused before they are parsed.
DATA_UPLOAD_MAX_MEMORY_SIZE = envint("DJANGO_MAX_BODY_BYTES", str(1024 * 1024))
FILE_UPLOAD_MAX_MEMORY_SIZE = DATA_UPLOAD_MAX_MEMORY_SIZE
DATA_UPLOAD_MAX_NUMBER_FIELDS = envint("DJANGO_MAX_FORM_FIELDS", "1000")

# Where load_content and check_content look when no folder is given.
CONTENT_DIR = Path(os.environ.get("QUIZSITE_CONTENT_DIR", BASE_DIR / "content"))

QUESTIONS_PER_PAGE = envint("QUIZSITE_QUESTIONS_PER_PAGE", "25")

# Proxies in front of the app servers that append the client's address to X-Forwarded-For
# (README, "Deployment": 1 behind one load balancer). 0 ignores the header, which any client
# can write. Every per-address limit reads the client from here (questions/clients.py).
TRUSTED_PROXY_HOPS = envint("TRUSTED_PROXY_HOPS", "0")

REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": [
        # DRF's, with the CSRF check for anonymous sessions too (questions/api/authentication.py).
        "questions.api.authentication.SessionAuthentication",
        "rest_framework.authentication.TokenAuthentication",
    ],
    "DEFAULT_PAGINATION_CLASS": "questions.api.pagination.Pages",
    "PAGE_SIZE": 25,
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "EXCEPTION_HANDLER": "questions.api.errors.error_response",
    # DRF's three, with a JSON parser that refuses bodies nested more than 32 levels deep.
    "DEFAULT_PARSER_CLASSES": [
        "questions.api.parsers.JSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    # Per client address (anonymous) or per account; a class of 100 candidates behind one
    # school address shares the anonymous budget, hence the generous default.
    "DEFAULT_THROTTLE_CLASSES": [
        "questions.api.throttles.AnonThrottle",
        "questions.api.throttles.UserThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": os.environ.get("API_THROTTLE_ANON", "600/minute"),
        "user": os.environ.get("API_THROTTLE_USER", "1200/minute"),
        # The DICOM inspector, page and API together, per address even when logged in: each
        # upload may cost up to two seconds of parsing (questions/live_exercises/throttle.py).
        "dicom_inspect": os.environ.get("DICOM_INSPECT_THROTTLE", "20/minute"),
    },
    # Throttles count per client address, found as questions/clients.py finds it. Unset, DRF
    # would take the whole X-Forwarded-For header, which any client can write: one client
    # could pose as many. TRUSTED_PROXY_HOPS says how many proxies append to it.
    "NUM_PROXIES": TRUSTED_PROXY_HOPS,
}

SPECTACULAR_SETTINGS = {
    "TITLE": "ImagingPrep API",
    "DESCRIPTION": (
        "Quizzes, exercises, a candidate's own progress and review queue, and interviewers' "
        "question sets. Log in on the site (session) or send `Authorization: Token <key>`."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # Choice sets that several serializers share get one name each in the schema.
    "ENUM_NAME_OVERRIDES": {
        "LevelEnum": ["easy", "medium", "hard"],
        "AttemptKindEnum": "questions.models.attempts.Attempt.Kind",
    },
    "POSTPROCESSING_HOOKS": [
        "drf_spectacular.hooks.postprocess_schema_enums",
        "questions.api.schema_hooks.document_errors",
    ],
}

# Caches and sessions. App servers keep no state of their own: with REDIS_URL the cache
# (log-in throttles, API throttles, rendered figures) and sessions live in Redis; without it,
# production uses a table in the database, and development a per-process memory cache.
# Redis failing or hanging must not take pages down: ResilientRedisCache treats connection
# errors and timeouts as misses (sessions then come from the database), gives up on a call
# after these timeouts (redis-py's own default is 5 s), and leaves Redis alone for the pause.
REDIS_URL = os.environ.get("REDIS_URL", "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "questions.web.cache.ResilientRedisCache",
            "LOCATION": REDIS_URL,
            "OPTIONS": {
                "socket_connect_timeout": envint("REDIS_CONNECT_TIMEOUT_MS", "250") / 1000,
                "socket_timeout": envint("REDIS_TIMEOUT_MS", "500") / 1000,
            },
            "FAILURE_PAUSE_SECONDS": envint("REDIS_FAILURE_PAUSE_SECONDS", "5"),
        }
    }
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"
elif not DEBUG:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.db.DatabaseCache",
            "LOCATION": "quizsite_cache",
        }
    }

# Anonymous visitors' content pages are cached whole for this long (questions/web/page_cache.py);
# load_content retires them at once. Off in development so edits show on reload.
PAGE_CACHE_SECONDS = envint("PAGE_CACHE_SECONDS", "0" if DEBUG else "600")
# Pages with a query string (searches, filters) are endless, one cache entry each: at most this
# many are stored per PAGE_CACHE_SECONDS; past that they are rendered fresh.
PAGE_CACHE_MAX_QUERY_PAGES = envint("PAGE_CACHE_MAX_QUERY_PAGES", "300")

# Live exercises: each new seed's figure or .dcm file costs a render (a figure about 140 ms)
# and a week in the cache. A client address may cause this many renders per window; figures
# and files already in the cache are free.
EXERCISE_RENDER_LIMIT = envint("EXERCISE_RENDER_LIMIT", "30")
EXERCISE_RENDER_WINDOW_SECONDS = envint("EXERCISE_RENDER_WINDOW_SECONDS", "60")

# Question flags (questions/quality/): a client address may send this many per window, new or
# updated, so a script cannot bury the staff's list; a person flags a handful.
FLAG_LIMIT = envint("FLAG_LIMIT", "20")
FLAG_WINDOW_SECONDS = envint("FLAG_WINDOW_SECONDS", "3600")

# HTTPS. Off in development; on by default once DEBUG is off (check --deploy passes).
# Behind a proxy that ends TLS, set DJANGO_PROXY_SSL_HEADER=1 so Django trusts its
# X-Forwarded-Proto header (only do this if the proxy always sets or strips it).
SECURE_SSL_REDIRECT = envbool("DJANGO_SECURE_SSL_REDIRECT", str(not DEBUG))
# The load balancer probes hosts over plain HTTP: a redirect would read as "down".
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
if envbool("DJANGO_PROXY_SSL_HEADER", "false"):
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SESSION_COOKIE_SECURE = envbool("DJANGO_SECURE_COOKIES", str(not DEBUG))
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
# Forms carry the token in a hidden field (quiz.js posts the form's own FormData), so
# no script needs to read the cookie.
CSRF_COOKIE_HTTPONLY = True
SECURE_HSTS_SECONDS = envint("DJANGO_HSTS_SECONDS", "0" if DEBUG else "31536000")
SECURE_HSTS_INCLUDE_SUBDOMAINS = envbool("DJANGO_HSTS_INCLUDE_SUBDOMAINS", "true")
SECURE_HSTS_PRELOAD = envbool("DJANGO_HSTS_PRELOAD", "true")
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CSRF_FAILURE_VIEW = "questions.web.errors.csrf_failure"

# Content-Security-Policy (django-csp): everything from this site, no inline script, no
# inline style, nothing framed. The API docs page loosens style-src for itself only.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

# One handler on the root logger. Django's own "django" logger would otherwise keep the console
# handler of its default config and also pass each record up to ours: every line twice.
LOG_LEVEL = os.environ.get("DJANGO_LOG_LEVEL", "INFO")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {
        "django.server": {
            "()": "django.utils.log.ServerFormatter",
            "format": "[{server_time}] {message}",
            "style": "{",
        }
    },
    "handlers": {
        "console": {"class": "logging.StreamHandler"},
        "django.server": {"class": "logging.StreamHandler", "formatter": "django.server"},
    },
    "root": {"handlers": ["console"], "level": LOG_LEVEL},
    "loggers": {
        # Django's own INFO lines (404s, security notes) stay; DEBUG would print every query.
        "django": {"handlers": [], "level": "INFO", "propagate": True},
        # runserver's request lines, with their time stamp, once.
        "django.server": {"handlers": ["django.server"], "level": "INFO", "propagate": False},
    },
}

# Quizzes: answers arriving this long after the deadline still count (network delay).
QUIZ_GRACE_SECONDS = envint("QUIZ_GRACE_SECONDS", "5")
# A quiz longer than this many questions is refused (a request cannot build a huge attempt).
QUIZ_MAX_QUESTIONS = envint("QUIZ_MAX_QUESTIONS", "50")

# Accounts.
# ModelBackend's rules, the user's interviewer role loaded in the user's own query (one query
# fewer on every logged-in page); ModelBackend stays for sessions made before it was added.
AUTHENTICATION_BACKENDS = [
    "questions.accounts.backends.RoleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "progress:dashboard"
LOGOUT_REDIRECT_URL = "questions:home"
# Password-reset mail goes to the console unless SMTP is configured.
EMAIL_BACKEND = os.environ.get(
    "DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend"
)
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = envint("DJANGO_EMAIL_PORT", "25")
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = envbool("DJANGO_EMAIL_USE_TLS", "false")
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "ImagingPrep <noreply@localhost>")
# Password checks (log-in, admin log-in, password change, account deletion), see
# questions/accounts/throttle.py. Per account: this many free, then each further check waits
# LOGIN_FIRST_DELAY_SECONDS, doubling, at most LOGIN_FAILURE_WINDOW_SECONDS; a correct password
# clears it, and it is forgotten LOGIN_FAILURE_MEMORY_SECONDS after the last check.
LOGIN_FAILURE_LIMIT = envint("LOGIN_FAILURE_LIMIT", "5")
LOGIN_FIRST_DELAY_SECONDS = envint("LOGIN_FIRST_DELAY_SECONDS", "30")
LOGIN_FAILURE_WINDOW_SECONDS = envint("LOGIN_FAILURE_WINDOW_SECONDS", "900")
LOGIN_FAILURE_MEMORY_SECONDS = envint("LOGIN_FAILURE_MEMORY_SECONDS", "86400")
# Per client address: this many failures within the window, and it waits for the window's end.
LOGIN_ADDRESS_FAILURE_LIMIT = envint("LOGIN_ADDRESS_FAILURE_LIMIT", "20")
# Password-reset mail: at most this many requests per email address, and per client address,
# within the window (counted whether or not an account has the email address).
PASSWORD_RESET_EMAIL_LIMIT = envint("PASSWORD_RESET_EMAIL_LIMIT", "3")
PASSWORD_RESET_ADDRESS_LIMIT = envint("PASSWORD_RESET_ADDRESS_LIMIT", "10")
PASSWORD_RESET_WINDOW_SECONDS = envint("PASSWORD_RESET_WINDOW_SECONDS", "3600")
