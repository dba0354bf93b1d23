"""How long the yearly workbook takes and how much memory it needs: prints figures, asserts nothing.

`python -m scripts.report_speed [--scope 51|all] [--year 2024] [--to-year 2025] [--map current]` runs on the
configured database (seed it first: `manage.py seed_demo --initiatives 20000`). It writes the workbook through
`reports.workbook.build_workbook` (rows streamed from the database), then, in the same run, writes the same
list rows with plain openpyxl write-only mode from a list already in memory (no styles, no queries): the floor
any writer of these rows stands on. The process's peak resident size is read once the workbook is written,
before the floor's rows are read into memory; the workbook is then built again under tracemalloc for its peak
of Python allocations.
`--json` prints one object instead (make bench runs this script in a process of its own for each workbook).
"""

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import tracemalloc

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")

import django  # noqa: E402

django.setup()

from django.db.models import Count  # noqa: E402
from django.utils import translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from models_registry.models import AdministrativeUnit, Initiative, UnitEdition  # noqa: E402
from reports import selectors  # noqa: E402
from reports.selectors import WHOLE_COUNTRY, ReportQuery, WholeCountry  # noqa: E402
from reports.workbook import build_workbook  # noqa: E402


def timed(action):
    started = time.perf_counter()
    result = action()
    return result, time.perf_counter() - started


def traced_peak_mib(action) -> float:
    tracemalloc.start()
    action()
    _current, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def peak_resident_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def memory_rows(query):
    """The list sheets' rows as plain lists in memory: what a writer without streaming would hold."""
    sheets = []
    for rows in (selectors.initiative_rows(query), selectors.evaluation_rows(query),
                 selectors.commendation_rows(query)):
        sheets.append([list(row.values()) for row in rows])
    sheets.append([[body.name, body.category, body.place, ", ".join(map(str, body.years_without))]
                   for body in selectors.silent_bodies(query)])
    return sheets


def plain_write(sheets, path):
    def write():
        workbook = Workbook(write_only=True)
        for number, rows in enumerate(sheets):
            sheet = workbook.create_sheet(f"Sheet {number + 1}")
            for row in rows:
                sheet.append(row)
        workbook.save(path)
    return write


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--scope", default="51")
    parser.add_argument("--year", type=int)
    parser.add_argument("--to-year", type=int)
    parser.add_argument("--map", default="current")
    parser.add_argument("--json", action="store_true", help="Print one JSON object (for make bench).")
    args = parser.parse_args()
    edition = UnitEdition.current()
    scope = (WholeCountry(edition) if args.scope == WHOLE_COUNTRY
             else AdministrativeUnit.objects.get(edition=edition, code=args.scope))
    year = args.year or (Initiative.unscoped.values("registration_year").annotate(n=Count("pk"))
                         .order_by("-n").values_list("registration_year", flat=True).first())
    query = ReportQuery(scope, year, args.to_year or year, args.map)
    say = (lambda *a, **k: None) if args.json else print
    say(f"{scope.name}, {query.years_label}, map {args.map}: {selectors.initiative_count(query):,} registrations, "
        f"{selectors.evaluation_count(query):,} evaluation results, {selectors.commendation_count(query):,} "
        f"commendations; {Initiative.unscoped.count():,} initiatives in the database")
    directory = tempfile.mkdtemp()
    streamed = os.path.join(directory, "streamed.xlsx")
    plain = os.path.join(directory, "plain.xlsx")
    with translation.override("vi"):
        result, seconds = timed(lambda: build_workbook(query, streamed))
        # The process's peak so far: Django, the query layer and the workbook, before anything else is held.
        resident = peak_resident_mib()
        say(f"workbook, six sheets streamed from the database (reports.workbook): {seconds:.2f} s, "
            f"{result.rows:,} rows, {os.path.getsize(streamed) / 2**20:.2f} MiB file; process peak resident size "
            f"{resident:.0f} MiB")
        sheets, reading = timed(lambda: memory_rows(query))
        rows = sum(len(sheet) for sheet in sheets)
        say(f"  reading the list rows into memory (for the comparison): {reading:.2f} s")
        _none, floor = timed(plain_write(sheets, plain))
        say(f"openpyxl write-only, the same {rows:,} list rows from memory, values only: {floor:.2f} s, "
            f"{os.path.getsize(plain) / 2**20:.2f} MiB file")
        say(f"ratio {seconds / floor:.2f}×")
        if not args.json:
            del sheets
            print(f"peak Python allocations while building the workbook: "
                  f"{traced_peak_mib(lambda: build_workbook(query, streamed)):.1f} MiB")
    if args.json:
        print(json.dumps({"scope": scope.name, "years": query.years_label, "rows": result.rows, "seconds": seconds,
                          "floor_seconds": floor, "floor_rows": rows, "peak_rss_mib": resident}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
