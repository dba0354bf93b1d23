"""`make loadtest`: the portal under gunicorn on 127.0.0.1 with the demo data, a bounded load, its figures.

Prepares a dedicated PostgreSQL database (LOADTEST_DATABASE_URL, default `danvan_loadtest` on the local
server: migrate, the units of province 51, the demo data once, the demo accounts), collects the static files,
starts gunicorn with production settings (DJANGO_DEBUG=0) on a free loopback port, runs locust headless
(scripts/locustfile.py: LOADTEST_USERS simulated users, default 50, for LOADTEST_SECONDS, default 60) and
stops the server. Prints requests per second, p50/p95/p99 and the error count, writes
var/loadtest/results.json. Exit status 1 when a request failed.

`--faults` (`make loadtest-faults`): PostgreSQL is restarted LOADTEST_FAULT_AT seconds into the run (default
20); the run reports how many requests failed from then on and how many seconds passed until the portal
answered normally again (var/loadtest/results-faults.json). Exit status 1 when it has not recovered within
LOADTEST_RECOVERY_LIMIT seconds (default 15) of the restart command, or when a request failed before it.

Only 127.0.0.1 is ever contacted; the run is bounded in time and in requests (LOADTEST_MAX_REQUESTS).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import secrets
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections import defaultdict
from pathlib import Path

import dj_database_url
import psycopg

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT_DIR = ROOT / "var" / "loadtest"
LOG_DIR = ROOT / "var" / "log"
DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/danvan_loadtest"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", ""}


def say(text: str) -> None:
    print(f"» {text}", flush=True)


def fail(text: str, log: Path | None = None) -> None:
    print(f"  Lỗi: {text}", file=sys.stderr)
    if log is not None and log.exists():
        print(f"  Phần cuối của {log.relative_to(ROOT)}:", file=sys.stderr)
        print("\n".join(log.read_text(errors="replace").splitlines()[-30:]), file=sys.stderr)
    sys.exit(1)


def env_int(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


# --- The database -----------------------------------------------------------------------------------------


def prepare_database(url: str, env: dict) -> None:
    config = dj_database_url.parse(url)
    if config["ENGINE"] != "django.db.backends.postgresql":
        fail("phép thử tải cần PostgreSQL (LOADTEST_DATABASE_URL=postgres://…)")
    if config.get("HOST", "") not in LOCAL_HOSTS:
        fail("phép thử tải chỉ chạy trên máy chủ PostgreSQL của máy này (127.0.0.1)")
    name = config["NAME"]
    server = {"host": config.get("HOST") or "127.0.0.1", "port": config.get("PORT") or 5432,
              "user": config.get("USER") or "postgres", "password": config.get("PASSWORD") or None}
    log = LOG_DIR / "loadtest-setup.log"
    log.write_text("")

    def exists() -> bool:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            return conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone() is not None

    def create(drop: bool = False) -> None:
        with psycopg.connect(dbname="postgres", autocommit=True, **server) as conn:
            if drop:
                conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')

    try:
        if not exists():
            say(f"Tạo cơ sở dữ liệu {name} cho phép thử tải")
            create()
    except psycopg.Error as error:
        fail(f"không kết nối được PostgreSQL: {error}")
    if manage(env, log, "check_database").returncode != 0:
        # A dedicated database that holds only seeded rows: built by older migrations, it is simply rebuilt.
        say(f"Cơ sở dữ liệu {name} do phiên bản cũ tạo ra: tạo lại")
        create(drop=True)
    for text, args in [
        ("Cập nhật cấu trúc cơ sở dữ liệu", ["migrate", "--no-input"]),
        ("Nạp đơn vị hành chính của tỉnh 51", ["load_units", "--province", "51"]),
        ("Tạo dữ liệu mẫu (lần đầu)", ["seed_demo", "--province", "51", "--if-empty"]),
        ("Tạo tài khoản mẫu", ["create_demo_accounts"]),
        ("Thu thập tệp tĩnh", ["collectstatic", "--no-input"]),
    ]:
        say(f"{text} (nhật ký: {log.relative_to(ROOT)})")
        if manage(env, log, *args).returncode != 0:
            fail(f"bước “{text}” không thành công", log)


def manage(env: dict, log: Path, *args: str) -> subprocess.CompletedProcess:
    with log.open("a") as out:
        out.write(f"\n$ manage.py {' '.join(args)}\n")
        out.flush()
        return subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, stdout=out,
                              stderr=subprocess.STDOUT, check=False)


# --- The server -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, timeout: float = 5) -> int:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 – loopback only
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (urllib.error.URLError, OSError):
        return 0


def start_server(env: dict, port: int) -> subprocess.Popen:
    log = LOG_DIR / "loadtest-gunicorn.log"
    say(f"Khởi động gunicorn tại http://127.0.0.1:{port}/ (nhật ký: {log.relative_to(ROOT)})")
    out = log.open("w")
    server = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                              stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            fail("gunicorn đã dừng khi khởi động", log)
        if get(f"http://127.0.0.1:{port}/") == 200:
            break
        time.sleep(0.3)
    else:
        stop_server(server)
        fail("cổng không trả lời sau 60 giây", log)
    # Static files come from WhiteNoise now that DEBUG is off: one must answer, or the pages would be bare.
    if get(f"http://127.0.0.1:{port}/static/js/portal.js") != 200:
        stop_server(server)
        fail("tệp tĩnh không được phục vụ (/static/js/portal.js)", log)
    return server


def stop_server(server: subprocess.Popen) -> None:
    if server.poll() is not None:
        return
    os.killpg(server.pid, signal.SIGTERM)
    try:
        server.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(server.pid, signal.SIGKILL)
        server.wait()


# --- The fault --------------------------------------------------------------------------------------------


def restart_command() -> list[str]:
    command = os.environ.get("LOADTEST_PG_RESTART")
    if command:
        return shlex.split(command)
    versions = sorted(os.listdir("/etc/postgresql")) if os.path.isdir("/etc/postgresql") else []
    if not versions:
        fail("không tìm thấy cụm PostgreSQL trong /etc/postgresql; đặt LOADTEST_PG_RESTART")
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main", "restart"]


class Fault(threading.Thread):
    """Restarts PostgreSQL once, `delay` seconds after it starts, and keeps when it began and ended."""

    def __init__(self, delay: float, command: list[str]):
        super().__init__(daemon=True)
        self.delay, self.command = delay, command
        self.started_at = self.ended_at = None
        self.returncode = None
        self.cancelled = threading.Event()

    def run(self):
        if self.cancelled.wait(self.delay):
            return
        self.started_at = time.time()
        result = subprocess.run(self.command, capture_output=True, text=True, check=False)
        self.ended_at = time.time()
        self.returncode = result.returncode
        self.output = (result.stdout + result.stderr).strip()


# --- The load ---------------------------------------------------------------------------------------------


def run_locust(port: int, users: int, seconds: int, events_path: Path, faults: bool) -> None:
    log = LOG_DIR / ("loadtest-faults-locust.log" if faults else "loadtest-locust.log")
    env = dict(os.environ, LOADTEST_EVENTS=str(events_path),
               LOADTEST_MAX_REQUESTS=str(env_int("LOADTEST_MAX_REQUESTS", 100_000)))
    command = [str(BIN / "locust"), "-f", str(ROOT / "scripts" / "locustfile.py"), "--headless",
               "--users", str(users), "--spawn-rate", str(env_int("LOADTEST_SPAWN_RATE", 10)),
               "--run-time", f"{seconds}s", "--host", f"http://127.0.0.1:{port}", "--only-summary",
               "--stop-timeout", "5", "--exit-code-on-error", "0",
               "--csv", str(OUT_DIR / ("locust-faults" if faults else "locust"))]
    say(f"Chạy tải: {users} người dùng mô phỏng trong {seconds} giây (nhật ký: {log.relative_to(ROOT)})")
    with log.open("w") as out:
        locust = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT,
                                  start_new_session=True)
        try:
            locust.wait(timeout=seconds + 60)
        except subprocess.TimeoutExpired:
            os.killpg(locust.pid, signal.SIGKILL)
            locust.wait()
            fail("locust không tự dừng", log)
        finally:
            if locust.poll() is None:
                os.killpg(locust.pid, signal.SIGKILL)
    if locust.returncode != 0:
        fail(f"locust kết thúc với mã {locust.returncode}", log)


def percentile(sorted_values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    if not sorted_values:
        return 0.0
    return sorted_values[max(0, math.ceil(p / 100 * len(sorted_values)) - 1)]


def read_events(path: Path) -> list[tuple[float, float, str, bool, int]]:
    rows = []
    for line in path.read_text().splitlines():
        start, ms, rest = line.split(",", 2)
        name, ok, status = rest.rsplit(",", 2)
        rows.append((float(start), float(ms), name, ok == "1", int(status)))
    return sorted(rows)


def summarise(rows) -> dict:
    times = sorted(ms for _s, ms, _n, _ok, _st in rows)
    if not rows:
        return {"requests": 0, "errors": 0, "rps": 0.0, "p50_ms": 0, "p95_ms": 0, "p99_ms": 0}
    first = rows[0][0]
    last = max(start + ms / 1000 for start, ms, *_rest in rows)
    return {
        "requests": len(rows),
        "errors": sum(1 for row in rows if not row[3]),
        "rps": round(len(rows) / max(last - first, 0.001), 1),
        "p50_ms": round(percentile(times, 50), 1),
        "p95_ms": round(percentile(times, 95), 1),
        "p99_ms": round(percentile(times, 99), 1),
        "max_ms": round(times[-1], 1),
    }


def fault_figures(rows, fault: Fault) -> dict:
    """What the users saw from the restart on: the failed answers, and how many seconds after the restart
    began the last one came (from then on every answer was normal). Times are when an answer arrived: a
    request that started before the restart may fail after it."""
    t0 = fault.started_at
    answered = [(start + ms / 1000, ok, status) for start, ms, _name, ok, status in rows]
    after = [row for row in answered if row[0] >= t0]
    failed = [row for row in after if not row[1]]
    statuses = defaultdict(int)
    for _end, _ok, status in failed:
        statuses[str(status)] += 1
    last_failure = max((end for end, _ok, _status in failed), default=None)
    first_failure = min((end for end, _ok, _status in failed), default=None)
    return {
        "restart_at_s": round(t0 - rows[0][0], 1) if rows else None,
        "restart_command_s": round(fault.ended_at - t0, 2),
        "answers_after_restart": len(after),
        "failed_requests": len(failed),
        "failed_by_status": dict(statuses),
        "first_failure_after_s": round(first_failure - t0, 2) if failed else None,
        "recovery_s": round(last_failure - t0, 2) if failed else 0.0,
        "answers_after_recovery": sum(1 for end, _ok, _status in after if last_failure is None or end > last_failure),
        "errors_before_restart": sum(1 for end, ok, _status in answered if not ok and end < t0),
    }


def per_page(rows) -> dict:
    groups = defaultdict(list)
    for row in rows:
        groups[row[2]].append(row)
    return {name: summarise(group) for name, group in sorted(groups.items())}


def number(value: float, digits: int = 0) -> str:
    """Vietnamese number: dot for thousands, comma for decimals."""
    text = f"{value:,.{digits}f}"
    return text.replace(",", " ").replace(".", ",").replace(" ", ".")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--faults", action="store_true", help="restart PostgreSQL midway")
    args = parser.parse_args()
    faults = args.faults or os.environ.get("FAULTS", "") not in ("", "0")
    users = env_int("LOADTEST_USERS", 50)
    seconds = env_int("LOADTEST_SECONDS", 60)
    fault_at = env_int("LOADTEST_FAULT_AT", 20)
    recovery_limit = env_int("LOADTEST_RECOVERY_LIMIT", 15)
    url = os.environ.get("LOADTEST_DATABASE_URL", DEFAULT_URL)
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    LOG_DIR.mkdir(parents=True, exist_ok=True)
    command = restart_command() if faults else None

    env = dict(os.environ, DATABASE_URL=url, DJANGO_DEBUG="1")
    prepare_database(url, env)

    port = free_port()
    # Production settings, less what needs HTTPS in front (there is none on the loopback address). Two-factor
    # log-in and lockouts are switched off for the simulated staff, who log in many times with one password.
    server_env = dict(
        os.environ, DATABASE_URL=url, DJANGO_DEBUG="0", DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_SECURE_COOKIES="0",
        DJANGO_SECURE_HSTS_SECONDS="0", DANVAN_REQUIRE_2FA="0", AXES_ENABLED="0",
        GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_ACCESS_LOG="",
    )
    server = start_server(server_env, port)
    load_before = os.getloadavg()[0]  # the machine's own load: other work on it weighs on the figures
    events_path = OUT_DIR / ("requests-faults.csv" if faults else "requests.csv")
    fault = Fault(fault_at, command) if faults else None
    try:
        if fault:
            say(f"PostgreSQL sẽ được khởi động lại ở giây thứ {fault_at}: {' '.join(command)}")
            fault.start()
        run_locust(port, users, seconds, events_path, faults)
    finally:
        if fault:
            fault.cancelled.set()
            fault.join(timeout=60)
        say("Dừng gunicorn")
        stop_server(server)

    rows = read_events(events_path)
    result = {
        "mode": "faults" if faults else "normal",
        "users": users, "seconds": seconds, "database": url.rsplit("/", 1)[-1],
        "workers": env_int("GUNICORN_WORKERS", os.cpu_count() * 2 + 1),
        "cpus": os.cpu_count(), "load_average_before": round(load_before, 2),
        **summarise(rows),
        "pages": per_page(rows),
    }
    ok = result["errors"] == 0
    if fault:
        if fault.started_at is None:
            fail("PostgreSQL chưa được khởi động lại: tăng LOADTEST_SECONDS hoặc giảm LOADTEST_FAULT_AT")
        if fault.returncode != 0:
            fail(f"lệnh khởi động lại PostgreSQL không thành công: {fault.output}")
        result["fault"] = fault_figures(rows, fault)
        figures = result["fault"]
        # Recovered: the last failure came within the limit after the restart, and answers followed it.
        ok = (figures["recovery_s"] <= figures["restart_command_s"] + recovery_limit
              and figures["answers_after_recovery"] > 0 and figures["errors_before_restart"] == 0)
    out = OUT_DIR / ("results-faults.json" if faults else "results.json")
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n")

    print()
    print(f"{'page':<36} {'requests':>9} {'errors':>7} {'p50 ms':>8} {'p95 ms':>8} {'p99 ms':>8}")
    for name, page in result["pages"].items():
        print(f"{name:<36} {page['requests']:>9} {page['errors']:>7} {page['p50_ms']:>8.0f} "
              f"{page['p95_ms']:>8.0f} {page['p99_ms']:>8.0f}")
    print()
    say(f"Kết quả: {number(result['requests'])} yêu cầu, {number(result['rps'], 1)} yêu cầu/giây; "
        f"p50 {number(result['p50_ms'])} ms, p95 {number(result['p95_ms'])} ms, p99 {number(result['p99_ms'])} ms; "
        f"lỗi: {number(result['errors'])}")
    if fault:
        figures = result["fault"]
        say(f"Khởi động lại PostgreSQL ở giây {number(figures['restart_at_s'], 1)} "
            f"(lệnh chạy {number(figures['restart_command_s'], 1)} giây): {number(figures['failed_requests'])} "
            f"yêu cầu lỗi trong {number(figures['answers_after_restart'])} câu trả lời từ lúc đó")
        if figures["answers_after_recovery"] == 0:
            say("Cổng chưa trả lời bình thường trở lại trước khi hết giờ thử")
        else:
            say(f"Cổng trả lời bình thường trở lại sau {number(figures['recovery_s'], 1)} giây kể từ lúc khởi "
                f"động lại ({number(figures['answers_after_recovery'])} câu trả lời đúng sau đó, không lỗi nào)")
    say(f"Đã ghi {out.relative_to(ROOT)}")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
