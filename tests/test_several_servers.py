"""Two application servers behind one load balancer: nothing a request needs lives in one process only.

Two gunicorn servers on two ports of 127.0.0.1 share the test's PostgreSQL database, one Redis database
(sessions and cache, REDIS_URL) and one folder of private files (the "private" storage). The test plays the
load balancer: each request goes to the server it names.

Needs PostgreSQL and Redis (CI has both); skipped otherwise:
DATABASE_URL=postgres://postgres@127.0.0.1:5432/danvan_multi DJANGO_DEBUG=1 \
    .venv/bin/python -m pytest -q -p no:cacheprovider tests/test_several_servers.py
DANVAN_TEST_REDIS_URL (default redis://127.0.0.1:6379/13) names the Redis database, flushed before and after.
The files go to a temporary folder, or, when the environment configures a bucket (DANVAN_S3_BUCKET,
DANVAN_S3_ENDPOINT_URL, DANVAN_S3_ACCESS_KEY_ID…), to that bucket under a prefix of their own, removed after.
"""

from __future__ import annotations

import http.client
import os
import re
import secrets
import socket
import subprocess
import sys
import time
import uuid
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import quote, urlencode

import gunicorn.config
import pytest
import redis
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.files.storage import FileSystemStorage
from django.db import connection
from django.utils import translation
from storages.backends.s3 import S3Storage

from models_registry.models import Attachment, InitiativeStatus

from .factories import InitiativeFactory

REDIS_TEST_URL = os.environ.get("DANVAN_TEST_REDIS_URL", "redis://127.0.0.1:6379/13")
BASE_DIR = Path(__file__).resolve().parent.parent
STARTUP_SECONDS = 20
REQUEST_SECONDS = 10
PASSWORD = "Mat-khau-2025"
PDF = b"%PDF-1.4\n% ke hoach trien khai mo hinh\n" + secrets.token_bytes(64)


def _redis_problem() -> str | None:
    try:
        redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2, socket_timeout=5).ping()
    except redis.exceptions.RedisError as error:
        return str(error)
    return None


# The test process reads the files the servers store through the same "private" storage settings.
ON_S3 = bool(settings.DANVAN_S3_BUCKET)
S3_PREFIX = f"test-several-servers/{uuid.uuid4().hex}"
ON_POSTGRES = settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
REDIS_PROBLEM = _redis_problem() if ON_POSTGRES else None
pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.skipif(not ON_POSTGRES, reason="needs PostgreSQL (DATABASE_URL=postgres://…): two servers cannot "
                       "share the suite's SQLite test database; CI runs this on PostgreSQL"),
    pytest.mark.skipif(REDIS_PROBLEM is not None,
                       reason=f"needs a Redis server at {REDIS_TEST_URL} ({REDIS_PROBLEM}); CI has one"),
]


# --- A minimal browser: cookies by hand, redirects never followed -------------------------------------------


class Response:
    def __init__(self, status: int, headers: http.client.HTTPMessage, body: bytes):
        self.status, self.headers, self.body = status, headers, body
        self.text = body.decode("utf-8", "replace")

    def csrf_token(self) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', self.text)
        assert match, "no CSRF token in the page"
        return match.group(1)


class Browser:
    """One visitor. `cookies` is what the browser would send to the portal's host, whichever server answers."""

    def __init__(self, cookies: dict[str, str] | None = None):
        self.cookies = dict(cookies or {})

    def request(self, port: int, method: str, path: str, *, body: bytes | None = None,
                content_type: str | None = None) -> Response:
        headers = {"Host": "127.0.0.1"}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{name}={value}" for name, value in self.cookies.items())
        if content_type:
            headers["Content-Type"] = content_type
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_SECONDS)
        try:
            conn.request(method, path, body=body, headers=headers)
            raw = conn.getresponse()
            response = Response(raw.status, raw.headers, raw.read())
        finally:
            conn.close()
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value
        return response

    def get(self, port: int, path: str) -> Response:
        return self.request(port, "GET", path)

    def post(self, port: int, path: str, fields: dict[str, str]) -> Response:
        return self.request(port, "POST", path, body=urlencode(fields).encode(),
                            content_type="application/x-www-form-urlencoded")

    def post_file(self, port: int, path: str, fields: dict[str, str], name: str, filename: str,
                  content: bytes) -> Response:
        boundary = uuid.uuid4().hex
        parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{key}"\r\n\r\n{value}\r\n'.encode()
                 for key, value in fields.items()]
        parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                     f"Content-Type: application/octet-stream\r\n\r\n".encode() + content + b"\r\n")
        parts.append(f"--{boundary}--\r\n".encode())
        return self.request(port, "POST", path, body=b"".join(parts),
                            content_type=f"multipart/form-data; boundary={boundary}")


# --- The servers --------------------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _test_database_url() -> str:
    """The test database pytest-django created (test_…), as the servers' DATABASE_URL."""
    db = settings.DATABASES["default"]
    credentials = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _server_environment(var_dir: Path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTEST", "GUNICORN_"))}
    env.update({
        "DJANGO_SETTINGS_MODULE": "danvan.settings",
        "DJANGO_DEBUG": "1",
        # Both servers sign sessions and tokens with the same key, as every process of one portal must.
        "DJANGO_SECRET_KEY": "several-servers-" + secrets.token_hex(24),
        "DATABASE_URL": _test_database_url(),
        "REDIS_URL": REDIS_TEST_URL,
        # The shared private files: PRIVATE_MEDIA_ROOT is DANVAN_VAR_DIR/private.
        "DANVAN_VAR_DIR": str(var_dir),
        "GUNICORN_WORKERS": "1",
        "GUNICORN_TIMEOUT": "30",
        "GUNICORN_GRACEFUL_TIMEOUT": "3",
    })
    if ON_S3:
        env["DANVAN_S3_PREFIX"] = S3_PREFIX
    return env


def _start(port: int, env: dict[str, str], log: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "gunicorn", "--config", str(BASE_DIR / "gunicorn.conf.py"),
               "--bind", f"127.0.0.1:{port}"]
    if hasattr(gunicorn.config, "ControlSocketDisable"):
        # Newer gunicorn opens a control socket at one path per user: two servers would take each other's.
        command.append("--no-control-socket")
    with log.open("wb") as output:
        return subprocess.Popen(command, cwd=BASE_DIR, env=env, stdout=output, stderr=subprocess.STDOUT)


def _wait_until_serving(process: subprocess.Popen, port: int, log: Path) -> None:
    deadline = time.monotonic() + STARTUP_SECONDS
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"the server on port {port} stopped at start:\n{log.read_text(errors='replace')[-3000:]}")
        try:
            if Browser().get(port, "/tai-khoan/dang-nhap/").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    pytest.fail(f"the server on port {port} did not answer within {STARTUP_SECONDS} s:\n"
                f"{log.read_text(errors='replace')[-3000:]}")


def _stop(processes: list[subprocess.Popen]) -> None:
    for process in processes:
        if process.poll() is None:
            process.terminate()
    for process in processes:
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def _registered(page: Response) -> int:
    """The home page's "models registered" figure."""
    with translation.override(settings.LANGUAGE_CODE):
        label = str(translation.gettext("models registered"))
    match = re.search(r'<span class="num[^"]*">([^<]+)</span><span class="label">' + re.escape(label), page.text)
    assert match, "no registered count on the home page"
    return int(re.sub(r"\D", "", match.group(1)))


# --- The test -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_servers_share_sessions_cache_and_files(units, unit_staff, other_province_staff, tmp_path):
    assert connection.vendor == "postgresql"
    redis_client = redis.Redis.from_url(REDIS_TEST_URL, socket_connect_timeout=2, socket_timeout=5)
    redis_client.flushdb()

    # The servers check passwords with the production hashers, not the suite's fast one (a hash with few
    # iterations: they accept it and strengthen it at the log-in).
    for user in (unit_staff, other_province_staff):
        user.password = PBKDF2PasswordHasher().encode(PASSWORD, PBKDF2PasswordHasher().salt(), iterations=1000)
        user.save(update_fields=["password"])
    organization = unit_staff.staff_profile.organization
    InitiativeFactory(organization=organization)  # submitted: one registration on the home page
    draft = InitiativeFactory(organization=organization, status=InitiativeStatus.DRAFT,
                              title="Mô hình Thắp sáng đường quê")

    var_dir = tmp_path / "var"
    if ON_S3:
        shared_storage = S3Storage(**{**settings.STORAGES["private"]["OPTIONS"], "location": S3_PREFIX})
    else:
        shared_storage = FileSystemStorage(location=var_dir / "private")
    stored = []
    env = _server_environment(var_dir)
    port_a, port_b = _free_port(), _free_port()
    while port_b == port_a:
        port_b = _free_port()
    processes = []
    try:
        for port in (port_a, port_b):
            processes.append((_start(port, env, tmp_path / f"server-{port}.log"), port))
        for process, port in processes:
            _wait_until_serving(process, port, tmp_path / f"server-{port}.log")

        # 1. Logged in through A, the session cookie alone is valid on B.
        staff = Browser()
        login = staff.get(port_a, "/tai-khoan/dang-nhap/")
        answer = staff.post(port_a, "/tai-khoan/dang-nhap/", {
            "csrfmiddlewaretoken": login.csrf_token(), "username": unit_staff.username, "password": PASSWORD})
        assert answer.status == 302, answer.text[-2000:]
        session = {settings.SESSION_COOKIE_NAME: staff.cookies[settings.SESSION_COOKIE_NAME]}
        assert redis_client.keys("*" + session[settings.SESSION_COOKIE_NAME])  # the session is in Redis
        staff_b = Browser(session)
        on_b = staff_b.get(port_b, "/can-bo/mo-hinh/")
        assert on_b.status == 200 and "Mô hình Thắp sáng đường quê" in on_b.text
        assert Browser().get(port_b, "/can-bo/mo-hinh/").status == 302  # without the cookie: the log-in page

        # 2. A file uploaded through A is served by B (after B's scope check), from the shared storage.
        page = staff.get(port_a, f"/can-bo/mo-hinh/{draft.pk}/")
        answer = staff.post_file(port_a, f"/can-bo/mo-hinh/{draft.pk}/tep/",
                                 {"csrfmiddlewaretoken": page.csrf_token(), "kind": "plan"},
                                 "file", "ke-hoach.pdf", PDF)
        assert answer.status == 302, answer.text[-2000:]
        attachment = Attachment.unscoped.get(initiative=draft)
        stored.append(attachment.file.name)
        with shared_storage.open(attachment.file.name, "rb") as handle:  # in the shared storage, not a server's
            assert handle.read() == PDF
        download = staff_b.get(port_b, f"/can-bo/tep/{attachment.pk}/")
        assert download.status == 200 and download.body == PDF
        assert "ke-hoach.pdf" in download.headers["Content-Disposition"]
        outsider = Browser()
        login = outsider.get(port_b, "/tai-khoan/dang-nhap/")
        answer = outsider.post(port_b, "/tai-khoan/dang-nhap/", {"csrfmiddlewaretoken": login.csrf_token(),
                                                                  "username": other_province_staff.username,
                                                                  "password": PASSWORD})
        assert answer.status == 302
        assert outsider.get(port_a, f"/can-bo/tep/{attachment.pk}/").status == 404  # another province's staff
        assert Browser().get(port_b, f"/can-bo/tep/{attachment.pk}/").status == 302  # anonymous: log in first

        # 3. The public figures are cached once for both servers, and a change made through B renews them on A.
        visitor = Browser()
        assert _registered(visitor.get(port_a, "/")) == 1
        # A registration written behind the portal's back renews nothing: both servers show the cached figure,
        # B without ever having computed it.
        InitiativeFactory(organization=organization)
        assert _registered(visitor.get(port_a, "/")) == 1
        assert _registered(visitor.get(port_b, "/")) == 1
        page = staff_b.get(port_b, f"/can-bo/mo-hinh/{draft.pk}/")
        answer = staff_b.post(port_b, f"/can-bo/mo-hinh/{draft.pk}/gui/", {"csrfmiddlewaretoken": page.csrf_token()})
        assert answer.status == 302
        draft.refresh_from_db()
        assert draft.status == InitiativeStatus.SUBMITTED
        assert _registered(visitor.get(port_a, "/")) == 3
    finally:
        _stop([process for process, _port in processes])
        for name in stored:
            shared_storage.delete(name)
        redis_client.flushdb()
