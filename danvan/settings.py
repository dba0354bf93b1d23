"""Settings for the Dân vận khéo portal, read from the environment."""

import os
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
    "models_registry.middleware.ScopeCheckMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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
