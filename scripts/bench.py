"""`make bench`: the pages that must stay fast with a whole country's data, timed over HTTP beside a floor.

Runs against a dedicated PostgreSQL database (BENCH_DATABASE_URL, default `danvan_bench` on the local server),
seeds it the first time up to BENCH_INITIATIVES initiatives (default 100,000) spread over every province
(BENCH_PROVINCE, default `all`) and reuses it afterwards; a database built by older migrations is rebuilt.

The portal is then served by gunicorn with production settings (DJANGO_DEBUG=0, BENCH_WORKERS workers,
default 2) on a free port of 127.0.0.1, with DANVAN_BENCH_FLOOR=1, which routes two extra addresses
(danvan.bench): a trivial floor page through the same middleware, and a cache flush. Every page is requested
BENCH_RUNS times (default 7) after one warm-up, each request followed by one to the floor with the same
cookies, so that both medians see the same load on this shared machine; the ratio page/floor is the figure
to compare between runs and machines. Staff pages are requested with a session cookie made in the database
for the demo account (the same signing key is given to the server).

SQL queries are counted in this process, not in the server: the same address through Django's test client
under CaptureQueriesContext (the server runs with DEBUG off and keeps no query log). A first visit ("cold")
is measured after the cache of every worker has been flushed (the flush answers with its process id; it is
repeated until each worker has answered).

Prints a table and writes var/bench/results.json. Nothing here asserts a time: the targets of the issue are
shown beside the figures (⚠ where one is missed), for people to read and compare between changes.
"""

from __future__ import annotations

import datetime
import http.client
import io
import json
import os
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import time
import warnings
from dataclasses import asdict, dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
OUT_DIR = ROOT / "var" / "bench"
LOG_DIR = ROOT / "var" / "log"

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/danvan_bench")
RUNS = int(os.environ.get("BENCH_RUNS", 7))
TARGET = int(os.environ.get("BENCH_INITIATIVES", 100_000))
PROVINCE = os.environ.get("BENCH_PROVINCE", "all")
WORKERS = int(os.environ.get("BENCH_WORKERS", 2))
ONLY = os.environ.get("BENCH_ONLY", "")  # a word: only the pages whose name contains it

# One environment for this process and the server: production settings less what needs HTTPS in front, the
# same signing key (the sessions made here are read there), two-factor log-in and lockouts off (sessions are
# made directly, no password is typed).
SERVER_ENV = {
    "DATABASE_URL": BENCH_URL, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
    "DJANGO_ALLOWED_HOSTS": "127.0.0.1", "DJANGO_SECURE_SSL_REDIRECT": "0", "DJANGO_SECURE_COOKIES": "0",
    "DJANGO_SECURE_HSTS_SECONDS": "0", "DANVAN_REQUIRE_2FA": "0", "AXES_ENABLED": "0", "DANVAN_BENCH_FLOOR": "1",
}
os.environ.update(SERVER_ENV)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

warnings.filterwarnings("ignore", message="No directory at")  # static files are not collected: not measured
setup_test_environment()  # the test client's responses carry their template context (an admin list's pages)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from models_registry.database import stale_migrations  # noqa: E402
from models_registry.models import AdministrativeUnit, Initiative, InitiativeStatus  # noqa: E402
from models_registry.scope import UserScope  # noqa: E402

# Targets of the issue (at 1,000,000 initiatives), as a multiple of the floor; first visits in milliseconds.
LIST_TARGET, DETAIL_TARGET, STATISTICS_TARGET, COLD_LIMIT_MS, QUERY_LIMIT = 40, 20, 100, 500, 10


def say(text: str) -> None:
    print(f"» {text}", flush=True)


# --- The database -----------------------------------------------------------------------------------------


def ensure_database() -> None:
    if connection.vendor != "postgresql":
        raise SystemExit("make bench needs PostgreSQL (BENCH_DATABASE_URL=postgres://…)")
    name = settings.DATABASES["default"]["NAME"]
    with connections["default"]._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        exists = cursor.fetchone()
    if exists and stale_migrations():
        # A benchmark database built by an older set of migrations: it holds only seeded rows, rebuild it.
        say(f"{name} was built by older migrations: recreating it")
        connection.close()
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        exists = False
    if not exists:
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    if PROVINCE == "all":
        call_command("load_units", verbosity=0, stdout=io.StringIO())
    else:
        call_command("load_units", province=PROVINCE, verbosity=0, stdout=io.StringIO())
    missing = TARGET - Initiative.unscoped.count()
    if missing > 0:
        say(f"Seeding {missing:,} initiatives, province {PROVINCE} (once)")
        started = time.monotonic()
        call_command("seed_demo", province=PROVINCE, initiatives=missing, seed=1, verbosity=0)
        elapsed = time.monotonic() - started
        say(f"seed_demo: {elapsed:.0f} s ({missing / elapsed:,.0f} initiatives/s, with conferences and awards)")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    call_command("create_demo_accounts", verbosity=0, stdout=io.StringIO())


# --- The server -------------------------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Server:
    def __init__(self):
        self.port = free_port()
        LOG_DIR.mkdir(parents=True, exist_ok=True)
        self.log = LOG_DIR / "bench-gunicorn.log"
        env = dict(os.environ, **SERVER_ENV, GUNICORN_BIND=f"127.0.0.1:{self.port}",
                   GUNICORN_WORKERS=str(WORKERS), GUNICORN_THREADS="1", GUNICORN_ACCESS_LOG="",
                   GUNICORN_MAX_REQUESTS="0")  # no recycling midway: a fresh worker would time its warm-up
        say(f"gunicorn, {WORKERS} workers, on http://127.0.0.1:{self.port}/ (log: {self.log.relative_to(ROOT)})")
        self.process = subprocess.Popen([str(BIN / "gunicorn"), "-c", "gunicorn.conf.py"], cwd=ROOT, env=env,
                                        stdout=self.log.open("w"), stderr=subprocess.STDOUT,
                                        start_new_session=True)
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn stopped while starting: see {self.log}")
            try:
                if self.get("/_bench/floor/")[0] == 200:
                    return
            except OSError:
                pass
            time.sleep(0.3)
        self.stop()
        raise SystemExit(f"gunicorn did not answer within 60 s: see {self.log}")

    def get(self, path: str, cookie: str = "") -> tuple[int, float, bytes]:
        """Status, milliseconds from sending the request to the last byte of the answer, body."""
        conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        headers = {"Cookie": cookie} if cookie else {}
        try:
            started = time.perf_counter()
            conn.request("GET", path, headers=headers)
            response = conn.getresponse()
            body = response.read()
            return response.status, (time.perf_counter() - started) * 1000, body
        finally:
            conn.close()

    def flush_every_worker(self) -> None:
        """Until every worker has answered: a worker busy computing (statistics recomputed in the background
        after the previous flush) answers late, and the other takes the requests meanwhile."""
        seen = set()
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            seen.add(self.get("/_bench/flush/")[2])
            if len(seen) >= WORKERS:
                return
            time.sleep(0.05)
        raise SystemExit("could not reach every worker to flush its cache")

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


# --- The pages --------------------------------------------------------------------------------------------


@dataclass
class Page:
    name: str
    url: str
    user: str = ""  # demo account, or "" for a visitor
    kind: str = "list"  # list, detail, statistics, cold: which target applies
    note: str = ""


@dataclass
class Result:
    name: str
    url: str
    user: str
    median_ms: float
    floor_ms: float
    ratio: float
    queries: int
    target: str
    ok: bool
    timings_ms: list[float] = field(default_factory=list)
    note: str = ""


def url_or_none(name: str, *args, **kwargs) -> str | None:
    try:
        return reverse(name, args=args, kwargs=kwargs)
    except NoReverseMatch:
        return None


def with_query(url: str, **params) -> str:
    return f"{url}?{urlencode(params)}" if params else url


class Clients:
    """A test client per account (query counts) and its session cookie (the same session over HTTP)."""

    def __init__(self):
        self.clients: dict[str, Client] = {}

    def client(self, username: str) -> Client:
        if username not in self.clients:
            client = Client(HTTP_HOST="127.0.0.1")
            if username:
                client.force_login(get_user_model().objects.get(username=username))
            self.clients[username] = client
        return self.clients[username]

    def cookie(self, username: str) -> str:
        if not username:
            return ""
        session = self.client(username).cookies[settings.SESSION_COOKIE_NAME].value
        return f"{settings.SESSION_COOKIE_NAME}={session}"


def last_page(clients: Clients, username: str, url: str, wanted: int) -> tuple[int, str]:
    """Page `wanted` of an admin list, or its last page when it has fewer (noted)."""
    response = clients.client(username).get(url)
    pages = response.context["cl"].paginator.num_pages if response.status_code == 200 else 1
    return (wanted, "") if pages >= wanted else (pages, f"only {pages} pages: the last one")


# The big admin lists: two filters and a search each (filters that every scope offers). A reviewer's
# initiative list opens on what waits for them (a redirect): the whole list is its explicit "All" choice.
ADMIN_LISTS = [
    ("initiatives", "models_registry_initiative", {"awaiting": "all"},
     {"status": InitiativeStatus.ACCEPTED, "registration_year": "2024"}),
    ("yearly results", "models_registry_yearlyresult", {}, {"year": "2024", "is_running__exact": "1"}),
    ("transitions", "models_registry_initiativetransition", {},
     {"to_status": InitiativeStatus.ACCEPTED, "unit_scope": None}),
    ("nominations", "evaluations_nomination", {}, {"conference__status__exact": "closed", "recognised__exact": "1"}),
    ("score sheets", "evaluations_scoresheet", {}, {"status": "submitted"}),
    ("commendations", "awards_commendation", {}, {"status": "approved", "year": "2024"}),
]
SMALL_ADMIN_LISTS = [("conferences", "evaluations_conference"), ("decisions", "awards_decision")]
SEARCH = "hu gao"


def admin_pages(clients: Clients) -> list[Page]:
    pages = []
    User = get_user_model()
    province = AdministrativeUnit.objects.current().get(code=settings.DANVAN_DEFAULT_PROVINCE_CODE, level=1)
    for username in ("admin", "bantinh", "thamdinh.xa"):
        scope_unit = UserScope.of(User.objects.get(username=username)).unit or province
        for label, model, base, filters in ADMIN_LISTS:
            url = url_or_none(f"admin:{model}_changelist")
            if url is None:
                continue
            filters = {key: (value if value is not None else scope_unit.pk) for key, value in filters.items()}
            number, note = last_page(clients, username, with_query(url, **base), 200)
            described = "filter" if len(filters) == 1 else "two filters"
            pages += [
                Page(f"admin {label} as {username}", with_query(url, **base), username),
                Page(f"admin {label} as {username}, {described}", with_query(url, **base, **filters), username),
                Page(f"admin {label} as {username}, search '{SEARCH}'", with_query(url, **base, q=SEARCH),
                     username),
                Page(f"admin {label} as {username}, page 200", with_query(url, **base, p=number), username,
                     note=note),
            ]
            if model == "models_registry_initiative" and username != "admin":
                pages.append(Page(f"admin {label} as {username}, waiting for my review",
                                  with_query(url, awaiting="me"), username))
        if username != "thamdinh.xa":
            for label, model in SMALL_ADMIN_LISTS:
                url = url_or_none(f"admin:{model}_changelist")
                if url:
                    pages.append(Page(f"admin {label} as {username}", url, username))
    return pages


def public_pages() -> list[Page]:
    catalogue = reverse("portal:catalogue")
    province = AdministrativeUnit.objects.current().get(code=settings.DANVAN_DEFAULT_PROVINCE_CODE, level=1)
    accepted = Initiative.objects.public().order_by("-pk").values_list("code", flat=True).first()
    pages = [
        Page("home page (warm)", reverse("portal:home"), kind="list"),
        Page("home page, first visit (caches flushed)", reverse("portal:home"), kind="cold"),
        Page("catalogue", catalogue),
        Page("catalogue, first visit (caches flushed)", catalogue, kind="cold"),
        Page("catalogue, province and year", with_query(catalogue, province=province.pk, year="2024")),
        Page("catalogue, search 'hũ gạo' (diacritics)", with_query(catalogue, q="hũ gạo")),
        Page("catalogue, search 'hu gao' (no diacritics)", with_query(catalogue, q="hu gao")),
        Page("catalogue, page 200", with_query(catalogue, page=200)),
    ]
    if accepted:
        pages.append(Page("initiative detail page", reverse("portal:initiative_detail", args=[accepted]),
                          kind="detail"))
    return pages


def staff_and_scoring_pages() -> list[Page]:
    from evaluations.models import Conference, ConferenceStatus, Nomination

    pages = [Page("staff area list (canbo.donvi)", reverse("portal:staff_list"), "canbo.donvi")]
    home = url_or_none("evaluations:my_conferences")
    if home is None:
        return pages
    pages.append(Page("scoring: my conferences (hoidong)", home, "hoidong"))
    conference = (Conference.unscoped.filter(status=ConferenceStatus.SCORING, members__user__username="hoidong")
                  .order_by("-year_to", "-pk").first())
    if conference is not None:
        pages.append(Page("scoring: a conference page (hoidong)", reverse("evaluations:conference",
                                                                          args=[conference.pk]), "hoidong"))
        nomination = Nomination.unscoped.filter(conference=conference).order_by("rank", "pk").first()
        if nomination is not None:
            pages.append(Page("scoring: a sheet page (hoidong)",
                              reverse("evaluations:sheet", args=[conference.pk, nomination.pk]), "hoidong",
                              kind="detail"))
    return pages


# The reports app's pages, when its addresses exist (a name that does not resolve is noted and skipped).
REPORT_PAGES = [
    ("statistics: national overview", "reports:statistics", "admin", "statistics"),
    ("statistics: province overview", "reports:statistics", "bantinh", "statistics"),
]


def report_pages(skipped: list[str]) -> list[Page]:
    pages = []
    for label, name, username, kind in REPORT_PAGES:
        url = url_or_none(name)
        if url is None:
            skipped.append(f"{label}: no address named {name} yet")
            continue
        pages.append(Page(label, url, username, kind=kind))
        pages.append(Page(f"{label}, first visit (caches flushed)", url, username, kind="cold"))
    return pages


# --- Measuring --------------------------------------------------------------------------------------------


def count_queries(clients: Clients, page: Page) -> int:
    client = clients.client(page.user)
    if page.kind == "cold":
        cache.clear()
    else:
        client.get(page.url)  # as warm as the server's worker
    with CaptureQueriesContext(connection) as captured:
        response = client.get(page.url)
    if response.status_code != 200:
        raise SystemExit(f"{page.url} as {page.user or 'a visitor'} answered {response.status_code}")
    return len(captured.captured_queries)


def target_of(page: Page) -> tuple[str, float | None]:
    return {
        "list": (f"≤ {LIST_TARGET}×", LIST_TARGET), "detail": (f"≤ {DETAIL_TARGET}×", DETAIL_TARGET),
        "statistics": (f"≤ {STATISTICS_TARGET}×", STATISTICS_TARGET), "cold": (f"≤ {COLD_LIMIT_MS} ms", None),
    }[page.kind]


def measure(server: Server, clients: Clients, page: Page) -> Result:
    cookie = clients.cookie(page.user)
    queries = count_queries(clients, page)
    if page.kind != "cold":
        status = server.get(page.url, cookie)[0]  # warm-up
        if status != 200:
            raise SystemExit(f"{page.url} answered {status} over HTTP")
    timings, floors = [], []
    for _ in range(RUNS):
        if page.kind == "cold":
            server.flush_every_worker()
        status, ms, _body = server.get(page.url, cookie)
        if status != 200:
            raise SystemExit(f"{page.url} answered {status} over HTTP")
        timings.append(ms)
        floors.append(server.get("/_bench/floor/", cookie)[1])
    median, floor = statistics.median(timings), statistics.median(floors)
    ratio = median / floor
    target, limit = target_of(page)
    within_queries = queries <= QUERY_LIMIT or page.kind != "list"
    ok = (median <= COLD_LIMIT_MS if page.kind == "cold" else ratio <= limit) and within_queries
    return Result(page.name, page.url, page.user, round(median, 1), round(floor, 2), round(ratio, 1), queries,
                  target, ok, [round(t, 1) for t in timings], page.note)


# --- The workbook ------------------------------------------------------------------------------------------

WORKBOOK_TARGET_SECONDS, WORKBOOK_TARGET_RATIO, WORKBOOK_TARGET_MIB = 2.0, 1.25, 250


def measure_workbooks() -> list[dict]:
    """The yearly workbook of the largest province and of the whole country for last year, each built by
    scripts.report_speed in a process of its own (its peak memory is the workbook's), beside openpyxl
    write-only writing the same list rows from memory in the same process."""
    year = datetime.date.today().year - 1
    largest = (AdministrativeUnit.objects.current().filter(level=1).annotate(children_count=Count("children"))
               .order_by("-children_count", "code").values_list("code", flat=True).first())
    rows = []
    for label, scope in ((f"workbook, one province-year ({year})", largest),
                         (f"workbook, whole country-year ({year})", "all")):
        completed = subprocess.run([str(BIN / "python"), "-m", "scripts.report_speed", "--scope", scope, "--year",
                                    str(year), "--json"], cwd=ROOT, capture_output=True, text=True,
                                   env={**os.environ, "DATABASE_URL": BENCH_URL}, timeout=1800)
        if completed.returncode != 0:
            raise SystemExit(f"{label}: {completed.stderr[-2000:]}")
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        ratio = figures["seconds"] / figures["floor_seconds"]
        if scope == "all":
            target = f"≤ {WORKBOOK_TARGET_RATIO}× and ≤ {WORKBOOK_TARGET_MIB} MB"
            ok = ratio <= WORKBOOK_TARGET_RATIO and figures["peak_rss_mib"] <= WORKBOOK_TARGET_MIB
        else:
            target, ok = f"≤ {WORKBOOK_TARGET_SECONDS:.0f} s", figures["seconds"] <= WORKBOOK_TARGET_SECONDS
        rows.append({"name": f"{label}: {figures['scope']}", **figures, "ratio": round(ratio, 2), "target": target,
                     "ok": ok})
        print(f"{rows[-1]['name']:<66} {figures['seconds']:7.2f} s {figures['floor_seconds']:5.2f} s {ratio:6.2f}× "
              f"{figures['rows']:>9,} rows, peak {figures['peak_rss_mib']:.0f} MiB  {target}{'' if ok else ' ⚠'}",
              flush=True)
    return rows


# --- The import ---------------------------------------------------------------------------------------------

IMPORT_TARGET_ROWS_PER_SECOND = 2000


def measure_import() -> list[dict]:
    """An import of a 10,000-row initiatives file as the provincial board (preview, then confirm), timed by
    scripts.import_bench in a process of its own beside bulk_create of the same rows; it rolls everything back."""
    completed = subprocess.run([str(BIN / "python"), "-m", "scripts.import_bench", "--json"], cwd=ROOT,
                               capture_output=True, text=True, env={**os.environ, "DATABASE_URL": BENCH_URL},
                               timeout=1800)
    if completed.returncode != 0:
        raise SystemExit(f"import: {completed.stderr[-2000:]}")
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    floor = figures["floor"]
    rows = []
    for step, label in (("preview", "preview"), ("run", "confirm, checked again and written")):
        measured = figures[step]
        ok = measured["rows_per_second"] >= IMPORT_TARGET_ROWS_PER_SECOND
        rows.append({"name": f"import, {figures['rows']:,} initiatives ({figures['user']}): {label}",
                     "rows": figures["rows"], "seconds": measured["seconds"], "rows_per_second": measured[
                         "rows_per_second"], "queries": measured["queries"], "floor_seconds": floor["seconds"],
                     "floor_rows_per_second": floor["rows_per_second"],
                     "ratio": round(measured["seconds"] / floor["seconds"], 2),
                     "target": f"≥ {IMPORT_TARGET_ROWS_PER_SECOND:,} rows/s", "ok": ok})
        print(f"{rows[-1]['name']:<66} {measured['seconds']:7.2f} s {floor['seconds']:5.2f} s "
              f"{rows[-1]['ratio']:6.2f}× {measured['rows_per_second']:>6,} rows/s (bulk_create "
              f"{floor['rows_per_second']:,}), {measured['queries']} SQL  {rows[-1]['target']}{'' if ok else ' ⚠'}",
              flush=True)
    return rows


def main() -> int:
    ensure_database()
    total = Initiative.unscoped.count()
    clients = Clients()
    skipped: list[str] = []
    pages = admin_pages(clients) + public_pages() + staff_and_scoring_pages() + report_pages(skipped)
    if ONLY:
        pages = [page for page in pages if ONLY in page.name]
    OUT_DIR.mkdir(parents=True, exist_ok=True)
    load_before = os.getloadavg()[0]
    server = Server()
    results = []
    started = time.monotonic()
    try:
        say(f"{total:,} initiatives; {len(pages)} pages, median of {RUNS} requests each, beside the floor")
        print(f"\n{'page':<66} {'median':>9} {'floor':>7} {'ratio':>7} {'SQL':>4}  target")
        for page in pages:
            result = measure(server, clients, page)
            results.append(result)
            flag = "" if result.ok else " ⚠"
            print(f"{result.name:<66} {result.median_ms:7.1f}ms {result.floor_ms:5.2f}ms {result.ratio:6.1f}× "
                  f"{result.queries:4d}  {result.target}{flag}{'  (' + result.note + ')' if result.note else ''}",
                  flush=True)
    finally:
        server.stop()
    workbooks = [] if ONLY and "workbook" not in ONLY else measure_workbooks()
    imports = [] if ONLY and "import" not in ONLY else measure_import()
    for line in skipped:
        print(f"  not measured: {line}")
    missed = [result.name for result in results if not result.ok] + [row["name"] for row in workbooks + imports
                                                                      if not row["ok"]]
    out = OUT_DIR / "results.json"
    out.write_text(json.dumps({
        "date": datetime.datetime.now().isoformat(timespec="seconds"), "initiatives": total,
        "database": BENCH_URL.rsplit("/", 1)[-1], "workers": WORKERS, "runs": RUNS, "cpus": os.cpu_count(),
        "load_average_before": round(load_before, 2), "load_average_after": round(os.getloadavg()[0], 2),
        "seconds": round(time.monotonic() - started, 1), "queries_counted": "in-process, Django test client",
        "pages": [asdict(result) for result in results], "workbooks": workbooks, "imports": imports,
        "not_measured": skipped,
        "missed_targets": missed,
    }, ensure_ascii=False, indent=2) + "\n")
    measured = len(results) + len(workbooks) + len(imports)
    say(f"{measured - len(missed)} of {measured} figures within the targets; wrote {out.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
