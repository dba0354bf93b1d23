"""`make bench`: figures for the pages and queries that must stay fast with a whole country's data.

Runs against a dedicated database (BENCH_DATABASE_URL, default the local PostgreSQL database
`danvan_bench`), seeds it up to BENCH_INITIATIVES initiatives (default 100,000) the first time, then
prints, for each page or query, the median time over a few runs and the number of SQL queries.
Nothing here asserts a time: the figures are read by people and compared between changes.
"""

import os
import statistics
import sys
import time

BENCH_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/danvan_bench")
os.environ["DATABASE_URL"] = BENCH_URL
os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.urls import NoReverseMatch, reverse  # noqa: E402

from models_registry.database import stale_migrations  # noqa: E402
from models_registry.models import AdministrativeUnit, Initiative  # noqa: E402
from models_registry.text import fold_for_search  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", 5))
TARGET = int(os.environ.get("BENCH_INITIATIVES", 100_000))


def ensure_database():
    if connection.vendor == "postgresql":
        name = settings.DATABASES["default"]["NAME"]
        with connections["default"]._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
            exists = cursor.fetchone()
        if exists and stale_migrations():
            # A benchmark database built by an older set of migrations: it holds only seeded rows, rebuild it.
            print(f"{name} was built by older migrations: recreating it…", flush=True)
            connection.close()
            with connections["default"]._nodb_cursor() as cursor:
                cursor.execute(f'DROP DATABASE "{name}"')
            exists = False
        if not exists:
            with connections["default"]._nodb_cursor() as cursor:
                cursor.execute(f'CREATE DATABASE "{name}"')
    call_command("migrate", verbosity=0)
    call_command("load_units", verbosity=0)
    missing = TARGET - Initiative.objects.count()
    if missing > 0:
        print(f"Seeding {missing:,} initiatives (once)…", flush=True)
        started = time.monotonic()
        call_command("seed_demo", initiatives=missing, seed=1, verbosity=0)
        elapsed = time.monotonic() - started
        print(f"  seed_demo: {missing / elapsed:,.0f} initiatives/s ({elapsed:.1f} s)")
    call_command("create_demo_accounts", verbosity=0)


def measure(label, func):
    timings, queries = [], 0
    for _ in range(RUNS):
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            func()
            timings.append((time.perf_counter() - started) * 1000)
        queries = len(ctx.captured_queries)
    print(f"{label:<62} {statistics.median(timings):8.1f} ms {queries:4d} queries")


def page(client, url):
    def get():
        response = client.get(url)
        if response.status_code != 200:
            raise SystemExit(f"{url} answered {response.status_code}")
    return get


def url_or_none(name, **kwargs):
    try:
        return reverse(name, **kwargs)
    except NoReverseMatch:
        return None


def main():
    ensure_database()
    total = Initiative.objects.count()
    print(f"\nDatabase: {connection.vendor}, {total:,} initiatives; median of {RUNS} runs\n")
    User = get_user_model()
    board = User.objects.get(username="bantinh")
    reviewer = User.objects.get(username="thamdinh.xa")

    measure("scope: initiatives visible to the provincial board (count)",
            lambda: Initiative.objects.visible_to(board).count())
    measure("scope: initiatives visible to a commune reviewer (count)",
            lambda: Initiative.objects.visible_to(reviewer).count())
    term = fold_for_search("hũ gạo")
    measure("search: folded title contains 'hu gao' (first 25)",
            lambda: list(Initiative.objects.filter(search_text__contains=term)[:25]))
    province = AdministrativeUnit.objects.current().get(code=settings.DANVAN_DEFAULT_PROVINCE_CODE, level=1)
    measure("subtree: accepted initiatives of today's province (count)",
            lambda: Initiative.objects.public().filter(
                unit__in=AdministrativeUnit.objects.subtree_of(province).values("pk")).count())

    pages, clients, changelist = [], {}, None
    for username in ("admin", "bantinh", "thamdinh.xa"):
        client = clients[username] = Client()
        client.force_login(User.objects.get(username=username))
        changelist = url_or_none("admin:models_registry_initiative_changelist")
        if changelist:
            pages.append((f"admin initiative list as {username}", client, changelist))
            pages.append((f"admin initiative list as {username}, search 'hu gao'", client,
                          f"{changelist}?q=hu+gao"))
        unit_autocomplete = url_or_none("admin:autocomplete")
        if unit_autocomplete and username == "admin":
            pages.append(("admin unit picker, 'minh long'", client, f"{unit_autocomplete}?term=minh+long"
                          "&app_label=models_registry&model_name=staffprofile&field_name=unit"))
    if changelist:
        pages.append(("admin initiative list as bantinh, search 'xa' (most rows match)", clients["bantinh"],
                      f"{changelist}?q=xa"))
    public = Client()
    for name, label, query in [
        ("portal:home", "public home page", ""),
        ("portal:catalogue", "public catalogue", ""),
        ("portal:catalogue", "public catalogue, search 'dan van'", "?q=dan+van"),
        ("portal:catalogue", "public catalogue, search 'hu gao minh long'", "?q=hu+gao+minh+long"),
        ("portal:catalogue", "public catalogue, province, search 'xa' (most rows match)",
         f"?province={province.pk}&q=xa"),
        ("portal:catalogue", "public catalogue, province, search 'hoi'", f"?province={province.pk}&q=hoi"),
        ("portal:catalogue", "public catalogue, sorted by name (Z-A)", "?sort=-title"),
        ("portal:catalogue", "public catalogue, page 200", "?page=200"),
        ("portal:catalogue_search_json", "replication picker (JSON), 'hu gao'", "?q=hu+gao"),
    ]:
        url = url_or_none(name)
        if url:
            pages.append((label, public, url + query))
    for label, client, url in pages:
        page(client, url)()  # warm up
        measure(label, page(client, url))
        if client is public:  # public lists cache their counts: show a first visit too
            measure(f"{label} (first visit, nothing cached)", lambda c=client, u=url: (cache.clear(), page(c, u)()))


if __name__ == "__main__":
    sys.exit(main())
