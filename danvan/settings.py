"""Settings for the Dân vận khéo portal, read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("DANVAN_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DJANGO_DEBUG", False)

SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured("Set DJANGO_SECRET_KEY (or DJANGO_DEBUG=1 for a development default).")
    SECRET_KEY = "django-insecure-development-only-key-do-not-use-in-production"

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "127.0.0.1,localhost" if DEBUG else "")
CSRF_TRUSTED_ORIGINS = env_list("DJANGO_CSRF_TRUSTED_ORIGINS")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django_filters",
    "import_export",
    "axes",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "models_registry",
    "evaluations",
    "awards",
    "reports",
    "portal",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",  # static files under gunicorn, where DEBUG is off
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "models_registry.middleware.ScopeCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "portal.security.IdleSessionMiddleware",
    "portal.security.TwoFactorMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    # Last, as django-axes asks: it turns a locked-out log-in into the lockout page.
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "danvan.urls"

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
                "danvan.context_processors.portal",
                "csp.context_processors.nonce",
            ],
        },
    },
]

WSGI_APPLICATION = "danvan.wsgi.application"

DATABASE_URL = os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'db.sqlite3'}"
# CONN_HEALTH_CHECKS: a connection kept between requests is tested before reuse, so after a database restart
# the portal reconnects by itself instead of failing one request per process.
DATABASES = {"default": dj_database_url.parse(DATABASE_URL, conn_max_age=60, conn_health_checks=True)}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # A longer busy timeout keeps the embedded database usable while a seed runs beside the server.
    DATABASES["default"].setdefault("OPTIONS", {})["timeout"] = 20
    DATABASES["default"]["CONN_MAX_AGE"] = 0
# A read replica for the reports' figures (reports/replica.py); tests mirror it onto the primary.
if os.environ.get("DANVAN_REPORTS_DATABASE_URL"):
    DATABASES["reports"] = dj_database_url.parse(os.environ["DANVAN_REPORTS_DATABASE_URL"], conn_max_age=60,
                                                 conn_health_checks=True)
    DATABASES["reports"]["TEST"] = {"MIRROR": "default"}
DATABASE_ROUTERS = ["reports.replica.ReportsReplicaRouter"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

LANGUAGE_CODE = "vi"
LANGUAGES = [("vi", "Tiếng Việt")]
TIME_ZONE = "Asia/Ho_Chi_Minh"
USE_I18N = True
USE_TZ = True
LOCALE_PATHS = [BASE_DIR / "locale"]
FORMAT_MODULE_PATH = ["danvan.formats"]

STATIC_URL = "static/"
STATICFILES_DIRS = [BASE_DIR / "static"]
STATIC_ROOT = VAR_DIR / "staticfiles"
# Under gunicorn WhiteNoise serves the collected files; collectstatic also writes gzip/brotli copies of them.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# Uploaded attachments are private: they live outside the static root and are served only through
# views that check the viewer's scope, never by the web server directly.
PRIVATE_MEDIA_ROOT = VAR_DIR / "private"
MEDIA_ROOT = VAR_DIR / "media"
MEDIA_URL = "media/"
ATTACHMENT_MAX_BYTES = int(os.environ.get("DANVAN_ATTACHMENT_MAX_BYTES", 10 * 1024 * 1024))
# Files coming in (models_registry.files): an import file's size; an .xlsx/.docx zip's declared unpacked size
# and compression ratio (beyond either it is refused as a zip bomb, unopened); the rows an import may hold.
DANVAN_IMPORT_MAX_BYTES = int(os.environ.get("DANVAN_IMPORT_MAX_BYTES", 20 * 1024 * 1024))
DANVAN_ZIP_MAX_UNPACKED_BYTES = int(os.environ.get("DANVAN_ZIP_MAX_UNPACKED_BYTES", 200 * 1024 * 1024))
DANVAN_ZIP_MAX_RATIO = int(os.environ.get("DANVAN_ZIP_MAX_RATIO", 100))
DANVAN_IMPORT_MAX_ROWS = int(os.environ.get("DANVAN_IMPORT_MAX_ROWS", 50_000))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# django-axes checks every log-in first (lockout), then Django's own backend checks the password.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "/"
LOGOUT_REDIRECT_URL = "/"

EMAIL_BACKEND = os.environ.get("DJANGO_EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = os.environ.get("DJANGO_EMAIL_HOST", "localhost")
EMAIL_PORT = int(os.environ.get("DJANGO_EMAIL_PORT", 25))
EMAIL_HOST_USER = os.environ.get("DJANGO_EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("DJANGO_EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = os.environ.get("DJANGO_DEFAULT_FROM_EMAIL", "Cổng Dân vận khéo <no-reply@localhost>")

# The board's name changed with the 2025 reform and may change again: never a literal in code.
DANVAN_BOARD_NAME = os.environ.get("DANVAN_BOARD_NAME", "Ban Tuyên giáo và Dân vận")
DANVAN_SITE_NAME = os.environ.get("DANVAN_SITE_NAME", "Dân vận khéo")
# The address people reach the portal at, for the links in e-mails (no request exists when they are sent).
DANVAN_SITE_URL = os.environ.get("DANVAN_SITE_URL", "http://127.0.0.1:8000").rstrip("/")
# The province the demo data and the public home page speak of by default (today's Quảng Ngãi).
DANVAN_DEFAULT_PROVINCE_CODE = os.environ.get("DANVAN_DEFAULT_PROVINCE_CODE", "51")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "danvan"}}
# Public statistics (home page figures and charts) may be this many seconds old.
DANVAN_STATISTICS_CACHE_SECONDS = int(os.environ.get("DANVAN_STATISTICS_CACHE_SECONDS", 300))
# `make bench` serves a trivial floor page and a cache flush under /_bench/ (danvan.bench); never set it otherwise.
DANVAN_BENCH_FLOOR = env_bool("DANVAN_BENCH_FLOOR", False)

# --- Several application servers -------------------------------------------------------------------------
# Behind a load balancer every process must be stateless: whatever one process knows that another needs
# (sessions, cached figures and the public catalogue's version, uploaded files) lives in a shared service.
# Without these variables the portal keeps today's single-machine behaviour (a memory cache per process,
# sessions in the database, files under PRIVATE_MEDIA_ROOT).
REDIS_URL = os.environ.get("REDIS_URL", "").strip()
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            # Several portals (or a test run) may share one Redis server.
            "KEY_PREFIX": os.environ.get("DANVAN_CACHE_KEY_PREFIX", "danvan"),
            # A Redis that does not answer slows a request by seconds, never hangs it.
            "OPTIONS": {"socket_connect_timeout": 2, "socket_timeout": 2},
        }
    }
    # Read from Redis, written through to the database: a restarted Redis (which keeps nothing on disk)
    # logs nobody out.
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"

# Uploaded attachments (and any other private file) go through the "private" storage. With a bucket set it
# is S3-compatible object storage, private: files are read by the portal's views after the scope check and
# streamed to the viewer; no bucket address is ever handed out.
DANVAN_S3_BUCKET = os.environ.get("DANVAN_S3_BUCKET", "").strip()
if DANVAN_S3_BUCKET:
    STORAGES["private"] = {
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            "bucket_name": DANVAN_S3_BUCKET,
            "endpoint_url": os.environ.get("DANVAN_S3_ENDPOINT_URL") or None,
            "region_name": os.environ.get("DANVAN_S3_REGION") or None,
            # Unset: boto3's own chain (AWS_ACCESS_KEY_ID…, an instance role).
            "access_key": os.environ.get("DANVAN_S3_ACCESS_KEY_ID") or None,
            "secret_key": os.environ.get("DANVAN_S3_SECRET_ACCESS_KEY") or None,
            "location": os.environ.get("DANVAN_S3_PREFIX", "private"),
            "default_acl": "private",
            "file_overwrite": False,
            "addressing_style": os.environ.get("DANVAN_S3_ADDRESSING_STYLE") or None,
        },
    }
else:
    STORAGES["private"] = {
        "BACKEND": "django.core.files.storage.FileSystemStorage",
        "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
    }

IMPORT_EXPORT_IMPORT_PERMISSION_CODE = "import"
IMPORT_EXPORT_EXPORT_PERMISSION_CODE = "export"
# The library's escaping deletes a leading "=" (changing the data) and turns numbers into text; our formats
# (models_registry.scoped_admin.SafeCSV/SafeXLSX, writing through models_registry.workbook) do it instead.
IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT = False
IMPORT_EXPORT_SKIP_ADMIN_LOG = True
IMPORT_EXPORT_USE_TRANSACTIONS = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("DJANGO_LOG_LEVEL", "WARNING")},
}

# Production hardening; `manage.py check --deploy` is clean when DJANGO_DEBUG is off and HTTPS is in front.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env_bool("DJANGO_SECURE_SSL_REDIRECT", not DEBUG)
SESSION_COOKIE_SECURE = env_bool("DJANGO_SECURE_COOKIES", not DEBUG)
CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
SECURE_HSTS_SECONDS = int(os.environ.get("DJANGO_SECURE_HSTS_SECONDS", 0 if DEBUG else 31536000))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = env_bool("DJANGO_SECURE_HSTS_PRELOAD", False)
if not SECURE_HSTS_PRELOAD:
    # Preloading is a one-way commitment each deployment decides on (DJANGO_SECURE_HSTS_PRELOAD=1).
    SILENCED_SYSTEM_CHECKS = ["security.W021"]
SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"

# --- Log-in throttling (django-axes) ------------------------------------------------------------------------
# DANVAN_LOGIN_FAILURE_LIMIT failed log-ins lock that username, and as many from one address lock that address,
# for DANVAN_LOGIN_LOCKOUT_MINUTES, on the portal's log-in and the admin's alike (the page says so in
# Vietnamese). A successful log-in clears the counters of its username and address: colleagues behind one
# office address who mistype and then get in do not lock each other out. The address is REMOTE_ADDR unless
# DANVAN_PROXY_COUNT says how many trusted proxies (each adding itself to X-Forwarded-For) stand in front.
# Unlock by hand: `manage.py axes_reset_username NAME` or `manage.py axes_reset_ip ADDRESS`.
AXES_FAILURE_LIMIT = int(os.environ.get("DANVAN_LOGIN_FAILURE_LIMIT", 5))
AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("DANVAN_LOGIN_LOCKOUT_MINUTES", 15)))
AXES_LOCKOUT_PARAMETERS = [["username"], ["ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "portal.security.lockout_response"
AXES_ENABLE_ADMIN = False  # its English screens; the commands above are enough
AXES_CLIENT_IP_CALLABLE = "portal.security.client_ip"
DANVAN_PROXY_COUNT = int(os.environ.get("DANVAN_PROXY_COUNT", 0))

# --- Idle sessions ------------------------------------------------------------------------------------------
# A signed-in person who makes no request for this many minutes is signed out (portal.security); the public
# has no session. The session cookie lasts a working day at most whatever happens.
DANVAN_IDLE_MINUTES = int(os.environ.get("DANVAN_IDLE_MINUTES", 30))
SESSION_COOKIE_AGE = 12 * 60 * 60

# --- Two-step sign-in (django-otp) ---------------------------------------------------------------------------
# Anyone may add a code from an authenticator app (TOTP) at /tai-khoan/xac-thuc-hai-buoc/ and gets 10
# one-time recovery codes; whoever has one is asked for a code after the password. With DANVAN_REQUIRE_2FA on
# (the default in production, off by default when DJANGO_DEBUG=1 so that the demo accounts and the tests log
# in with a password only) the provincial board, system administrators and superusers must set it up before
# they can use the admin.
DANVAN_REQUIRE_2FA = env_bool("DANVAN_REQUIRE_2FA", not DEBUG)
OTP_TOTP_ISSUER = DANVAN_SITE_NAME
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# --- Content Security Policy (django-csp) -------------------------------------------------------------------
# Scripts and styles only from the portal's own static files (no CDN, no inline code); the few inline blocks
# that must stay carry the per-request nonce ({{ CSP_NONCE }}).
from csp.constants import NONCE, NONE, SELF  # noqa: E402 - kept with the block it serves

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    },
}
