"""Settings for Newsroom, read from the environment.

Every writable thing (SQLite database, search index, uploads) lives under one data directory,
``NEWSROOM_DATA_DIR`` (default ``./var``), so a deployment backs up or wipes one folder.
"""

import os
import tempfile
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DATA_DIR = Path(os.environ.get("NEWSROOM_DATA_DIR", BASE_DIR / "var")).resolve()
DATA_DIR.mkdir(parents=True, exist_ok=True)  # SQLite needs its folder before the first connect
# A data dir mounted read-only (a replica, a snapshot) still serves reads: SQLite is opened
# read-only (newsroom/sqlite/base.py), and writes answer 503 (search.operations.unavailable).
# os.access also sees a read-only mount for root, whom file modes do not stop.
DATA_DIR_WRITABLE = os.access(DATA_DIR, os.W_OK)

DEBUG = env_bool("DEBUG", False)


def persistent_secret_key(path: Path) -> str:
    """Without SECRET_KEY in the environment: a random key made once and kept in the data dir."""
    if not path.exists():
        if not DATA_DIR_WRITABLE:
            raise SystemExit(
                f"Newsroom: {path.parent} is read-only and holds no secret_key; "
                "set SECRET_KEY in the environment."
            )
        import secrets

        with tempfile.NamedTemporaryFile("w", dir=path.parent, delete=False) as draft:
            draft.write(secrets.token_urlsafe(50))
        try:
            os.link(draft.name, path)  # atomic; if another process won the race, keep its key
        except FileExistsError:
            pass
        finally:
            os.unlink(draft.name)
    return path.read_text().strip()


SECRET_KEY = os.environ.get("SECRET_KEY") or persistent_secret_key(DATA_DIR / "secret_key")
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")

# Behind TLS (see the README's table): all off by default, so plain http://127.0.0.1 works.
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", False)
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]  # load balancers probe over plain HTTP
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", False)
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", False)
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = env_bool("SECURE_COOKIES", False)
# The header a TLS-terminating proxy sets to "https", e.g. X-Forwarded-Proto. Only set it
# when that proxy always sets (or strips) the header: otherwise clients could forge it.
if os.environ.get("SECURE_PROXY_SSL_HEADER"):
    header = os.environ["SECURE_PROXY_SSL_HEADER"].strip().upper().replace("-", "_")
    SECURE_PROXY_SSL_HEADER = (f"HTTP_{header}", "https")
# Django's defaults already send X-Content-Type-Options: nosniff, Referrer-Policy: same-origin,
# Cross-Origin-Opener-Policy and X-Frame-Options: DENY; said here so a reader sees them.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.syndication",
    "csp",
    "django_htmx",
    "template_partials",
    "search",
    "newsroom",
]

MIDDLEWARE = [
    # First: every error under /api/ is JSON, whichever middleware or view made it.
    "search.operations.json_errors.JsonErrorsMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "search.read_replica.ReadYourWritesMiddleware",
    "search.operations.unavailable.DatabaseUnavailableMiddleware",
    # After authentication: private mode (NEWSROOM_PRIVATE) refuses anonymous visitors.
    "search.accounts.access.PrivateArchiveMiddleware",
]

# No inline script or style anywhere: pages load our own files only (htmx is vendored).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    }
}

ROOT_URLCONF = "newsroom.urls"

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

WSGI_APPLICATION = "newsroom.wsgi.application"

# Behind PgBouncer in transaction pooling mode (docs/scaling.md): no server-side cursors, which
# belong to a session the pooler hands to another client between transactions.
TRANSACTION_POOLING = env_bool("DATABASE_TRANSACTION_POOLING", False)
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{DATA_DIR / 'newsroom.sqlite3'}",
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        disable_server_side_cursors=TRANSACTION_POOLING,
    )
}
# A streaming replica of a PostgreSQL primary takes search reads (search/read_replica.py).
if os.environ.get("DATABASE_REPLICA_URL"):
    DATABASES["replica"] = dj_database_url.parse(
        os.environ["DATABASE_REPLICA_URL"],
        conn_max_age=int(os.environ.get("DATABASE_CONN_MAX_AGE", "0")),
        disable_server_side_cursors=TRANSACTION_POOLING,
    )
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["search.read_replica.ReplicaRouter"]
# `dev.py serve` turns this off once it has migrated: nothing it starts creates the SQLite file,
# so a database deleted while serving answers 503 rather than an empty new one.
SQLITE_CREATE = env_bool("NEWSROOM_SQLITE_CREATE", True)
SQLITE_BUSY_TIMEOUT = float(os.environ.get("NEWSROOM_SQLITE_TIMEOUT", "20"))
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Django's backend, deciding at each connection whether the file may be written: a data
    # dir made read-only while serving goes on serving reads (newsroom/sqlite/base.py).
    DATABASES["default"]["ENGINE"] = "newsroom.sqlite"
    # Web workers, an import and an editor write at once: wait for the lock rather than fail,
    # and let readers go on while one writes (WAL).
    # Tests run on a file, not in memory, so that tests can start writer processes too.
    # One file per test run (pid), so engineers running tests at once never share it.
    DATABASES["default"]["TEST"] = {
        "NAME": str(Path(tempfile.gettempdir()) / f"newsroom-test-{os.getpid()}.sqlite3")
    }
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            # How long a request waits for another writer's lock; then it answers 503.
            "timeout": SQLITE_BUSY_TIMEOUT,
            "transaction_mode": "IMMEDIATE",
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        }
    )

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Accounts (README "Private mode"): our own sign-in pages; failed sign-ins are throttled in the
# authentication backend itself, so the admin's sign-in form is throttled too.
AUTHENTICATION_BACKENDS = ["search.accounts.login_throttle.ThrottledModelBackend"]
LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "search:search"
LOGOUT_REDIRECT_URL = "login"
# A signed-in session ends after this long without a request (search.accounts.access refreshes it).
SESSION_COOKIE_AGE = int(os.environ.get("NEWSROOM_SESSION_IDLE_MINUTES", "480")) * 60
# Password reset mails go through this SMTP server.
EMAIL_HOST = os.environ.get("EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("EMAIL_PORT", "25"))
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
# WhiteNoise serves our own static files (htmx included; no CDN) with or without DEBUG.
# `dev.py run` and the tests serve them straight from the source folders; `dev.py serve`
# collects them into STATIC_ROOT first and sets NEWSROOM_COLLECTED_STATIC, so they are served
# compressed under hashed names that browsers may cache for ever.
COLLECTED_STATIC = env_bool("NEWSROOM_COLLECTED_STATIC", False)
STATIC_ROOT = (
    Path(os.environ.get("NEWSROOM_STATIC_ROOT") or DATA_DIR / "static")
    if COLLECTED_STATIC
    else None
)
WHITENOISE_USE_FINDERS = not COLLECTED_STATIC
WHITENOISE_AUTOREFRESH = DEBUG
if COLLECTED_STATIC:
    STORAGES = {
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
    }
MEDIA_ROOT = DATA_DIR / "uploads"
MEDIA_URL = "media/"

# Newsroom's own settings, with their defaults; read through search.conf.get_setting().
# The search engine: "whoosh" (the embedded default), "postgres", "tantivy" (in progress) or a
# module's dotted path (search.engine).
SEARCH_ENGINE = os.environ.get("SEARCH_ENGINE", "whoosh")

NEWSROOM = {
    "INDEX_DIR": os.environ.get("NEWSROOM_INDEX_DIR", str(DATA_DIR / "index")),
    "MAX_IMPORT_BYTES": int(os.environ.get("NEWSROOM_MAX_IMPORT_BYTES", str(5 * 1024 * 1024))),
    "PDF_MAX_PAGES": int(os.environ.get("NEWSROOM_PDF_MAX_PAGES", "200")),
    "PDF_TIMEOUT_SECONDS": float(os.environ.get("NEWSROOM_PDF_TIMEOUT_SECONDS", "120")),
    "SAVES_PER_CLIENT_PER_HOUR": int(os.environ.get("NEWSROOM_SAVES_PER_CLIENT_PER_HOUR", "10")),
    "TRUSTED_PROXIES": int(os.environ.get("NEWSROOM_TRUSTED_PROXIES", "0")),
    "PRIVATE": env_bool("NEWSROOM_PRIVATE", False),
    "LOGIN_FAILURES_PER_ACCOUNT": int(os.environ.get("NEWSROOM_LOGIN_FAILURES_PER_ACCOUNT", "5")),
    "LOGIN_FAILURES_PER_CLIENT": int(os.environ.get("NEWSROOM_LOGIN_FAILURES_PER_CLIENT", "20")),
    "PASSWORD_RESETS_PER_ADDRESS": int(os.environ.get("NEWSROOM_PASSWORD_RESETS_PER_ADDRESS", "3")),
    "PASSWORD_RESETS_PER_CLIENT": int(os.environ.get("NEWSROOM_PASSWORD_RESETS_PER_CLIENT", "10")),
    "EXPORT_MAX_ARTICLES": int(os.environ.get("NEWSROOM_EXPORT_MAX_ARTICLES", "10000")),
    "EXPORTS_PER_CLIENT_PER_HOUR": int(
        os.environ.get("NEWSROOM_EXPORTS_PER_CLIENT_PER_HOUR", "30")
    ),
    # Alerts on saved searches: the site's address for the links in their mails, and limits.
    "SITE_URL": os.environ.get("NEWSROOM_SITE_URL", "http://127.0.0.1:8000"),
    "ALERTS_PER_USER": int(os.environ.get("NEWSROOM_ALERTS_PER_USER", "20")),
    "ALERT_MAILS_PER_DAY": int(os.environ.get("NEWSROOM_ALERT_MAILS_PER_DAY", "50")),
    "ALERT_MAIL_LIFETIME_DAYS": int(os.environ.get("NEWSROOM_ALERT_MAIL_LIFETIME_DAYS", "5")),
    "PUBLIC_TRIAGE": env_bool("NEWSROOM_PUBLIC_TRIAGE", False),
    "NOTES_PER_USER_PER_HOUR": int(os.environ.get("NEWSROOM_NOTES_PER_USER_PER_HOUR", "60")),
    # Costly searches running at once on this machine (0: half the cores), and how long one
    # waits for its turn (search/engine/costly.py).
    "COSTLY_SEARCH_SLOTS": int(os.environ.get("NEWSROOM_COSTLY_SEARCH_SLOTS", "0")),
    "COSTLY_SEARCH_WAIT": float(os.environ.get("NEWSROOM_COSTLY_SEARCH_WAIT", "5")),
}

# Everything goes to stderr, DEBUG or not: an unhandled error is logged by django.request
# with its traceback. (Django's own default prints only with DEBUG on.)
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["stderr"], "level": "WARNING"},
    "loggers": {
        "django": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "django.server": {"handlers": ["stderr"], "level": "INFO", "propagate": False},
        "search": {
            "handlers": ["stderr"],
            "level": os.environ.get("LOG_LEVEL", "INFO"),
            "propagate": False,
        },
    },
}
