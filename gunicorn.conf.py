"""Gunicorn settings for the portal: `gunicorn danvan.wsgi` reads this file from the working directory.

Every value can be overridden from the environment (GUNICORN_*) or on the command line. The server listens
on the loopback address only: an HTTPS reverse proxy (nginx, Apache) in front of it faces the users and sets
X-Forwarded-Proto.
"""

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Sync workers, one request each at a time: 2 per core plus one is gunicorn's usual rule.
workers = _int("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1)
# Threads > 1 switches to the gthread worker (one database connection per thread).
threads = _int("GUNICORN_THREADS", 1)
# A request still running after this many seconds is killed with its worker: the heaviest pages (yearly
# workbooks) finish well within it; anything slower is a fault to look at, not to wait for.
timeout = _int("GUNICORN_TIMEOUT", 60)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
keepalive = _int("GUNICORN_KEEPALIVE", 5)
# Recycle workers now and then so that slow memory growth never accumulates (jitter spreads the restarts).
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)
# Request headers and lines: gunicorn's defaults, stated so a review sees them.
limit_request_line = 8190
limit_request_fields = 100

accesslog = os.environ.get("GUNICORN_ACCESS_LOG") or None  # "-" for standard output
errorlog = os.environ.get("GUNICORN_ERROR_LOG", "-")
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
proc_name = "danvan"
wsgi_app = "danvan.wsgi:application"
