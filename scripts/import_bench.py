"""How fast the initiatives import is, beside `bulk_create` of the same rows: prints figures, asserts nothing.

`python -m scripts.import_bench [--rows 10000] [--user bantinh] [--json] [--profile preview|run]` runs on the
configured database (DATABASE_URL; make bench passes its own). As the given account (by default the demo
provincial board, `bantinh`), it builds an xlsx file of ROWS past models of that person's province through the
import's own columns (the headers of its template, in Vietnamese): accepted models recognised in past years,
half of them with an old code and half without (given a code), organisations by number and, for one row in
five, by name, some exemplars, some replicating a model of the public catalogue. It then times, end to end
through the admin's "Nhập dữ liệu" page with the test client:

- the preview (upload, every row checked, the page listing the outcomes; nothing written),
- the confirmation (the file checked again and every row written by the registry's service),
- the preview of the same file once it is in (every row found again, by its code or by its organisation, title
  and year: "không đổi"),

and, in the same run, `Initiative.objects.bulk_create` of the same rows built in memory (the floor: one
INSERT of the finished rows, no check, no log). Everything happens in one transaction that is rolled back at
the end, so the database stays as it was (the commit itself is therefore not timed; the floor's rows are rolled
back before the import starts). `--json` prints one object (make bench runs this script in a process of its own).
"""

import argparse
import cProfile
import datetime
import io
import json
import os
import pstats
import secrets
import sys
import time

os.environ.setdefault("DJANGO_DEBUG", "1")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "danvan.settings")
os.environ.setdefault("DANVAN_REQUIRE_2FA", "0")  # the session is made directly, no code is typed
os.environ.setdefault("AXES_ENABLED", "0")

import django  # noqa: E402

django.setup()

from django.test.utils import setup_test_environment  # noqa: E402

setup_test_environment()  # the test client's responses carry their context (the preview's report and token)

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from models_registry.models import (  # noqa: E402
    ActivityField,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    InitiativeTransition,
    Organization,
)
from models_registry.scope import UserScope  # noqa: E402
from models_registry.services import province_code_of, reviewing_unit_for  # noqa: E402
from models_registry.text import fold_for_search  # noqa: E402
from reports.importing.registry import InitiativeImporter  # noqa: E402

SITUATION = ("Nhiều hộ gia đình còn khó khăn, đường làng chưa được thắp sáng; hội viên chưa quen làm kinh tế tập "
             "thể.")
OBJECTIVES = "100% hộ hội viên tham gia; thắp sáng 3 km đường làng trong năm; giảm 5 hộ nghèo."
TITLE = "Mô hình “Dân vận khéo” nhập lại số"
METHODS = "Vận động hội viên đóng góp ngày công, kinh phí; phân công chi hội phụ trách từng tuyến đường."


class QueryCounter:
    """Counts the SQL statements run on the connection (cheaper than keeping them, as CaptureQueriesContext does)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def say_nothing(*args, **kwargs):
    pass


# --- The file -------------------------------------------------------------------------------------------


def plan_rows(user, count: int) -> list[dict]:
    """The file's rows by column name: past models of the person's area, all distinct."""
    visible = list(Organization.objects.visible_to(user).select_related("unit").order_by("pk"))
    organizations = [organization for organization in visible if organization.is_active]
    if not organizations:
        raise SystemExit(f"{user} sees no organisation: seed the database first (manage.py seed_demo)")
    folded = {}  # a name given in the file must name one organisation of the area
    for organization in visible:
        folded.setdefault(fold_for_search(organization.name), []).append(organization)
    named = [organization for organization in organizations if len(folded[fold_for_search(organization.name)]) == 1]
    fields = list(ActivityField.objects.order_by("order", "pk"))
    sources = list(Initiative.objects.replication_sources().order_by("pk").values_list("code", flat=True)[:50])
    province = province_code_of(UserScope.of(user).unit) if UserScope.of(user).unit else "00"
    accepted, today = str(InitiativeStatus.ACCEPTED.label), timezone.localdate()
    run = secrets.token_hex(2).upper()  # two runs at once (make bench beside this script) never share a code
    rows = []
    for number in range(count):
        year = 2017 + number % 8
        by_name = number % 5 == 4 and named
        organization = named[number % len(named)] if by_name else organizations[number % len(organizations)]
        individual = number % 10 == 3
        replicated = sources and number % 20 == 7
        decided = datetime.date(year, 1 + number % 12, 1 + number % 28)
        rows.append({
            "code": f"CU{run}-{province}-{year}-{number:06d}" if number % 2 == 0 else "",
            "title": f"{TITLE} {run}-{number}",
            "kind": str(InitiativeKind.INDIVIDUAL.label if individual else InitiativeKind.COLLECTIVE.label),
            "person_name": "Nguyễn Thị Hoa" if individual else "",
            "person_position": "Chi hội trưởng" if individual else "",
            "origin": str(InitiativeOrigin.REPLICATED.label if replicated else InitiativeOrigin.NEW.label),
            "replicated_from_code": sources[number % len(sources)] if replicated else "",
            "organization_id": "" if by_name else organization.pk,
            "organization_name": organization.name if by_name else "",
            "field_code": fields[number % len(fields)].name,
            "registration_year": year,
            "start_date": f"01/03/{year}",
            "end_date": f"31/12/{year + 1}" if number % 3 == 0 else "",
            "situation": SITUATION, "objectives": OBJECTIVES, "content_methods": METHODS,
            "budget_amount": f"{(number % 97 + 1) * 1_250_000:,}".replace(",", "."),
            "status": accepted,
            "decided_on": str(year) if number % 4 == 1 else f"{min(decided, today):%d/%m/%Y}",
        })
    return rows


def xlsx_of(importer, rows: list[dict]) -> bytes:
    """The rows under the import's own headers (those of its template)."""
    columns = importer.get_columns()
    workbook = Workbook()  # not write-only: a sheet without its dimensions is read twice by openpyxl
    sheet = workbook.active
    sheet.append([column.label for column in columns])
    for row in rows:
        sheet.append([row.get(column.name, "") for column in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def floor_rows(user, rows: list[dict]) -> list[Initiative]:
    """The same rows as finished initiatives in memory, read through the same names the file gives."""
    organizations = {o.pk: o for o in Organization.objects.visible_to(user).select_related("unit")}
    by_name = {o.name: o for o in organizations.values()}
    fields = {f.name: f for f in ActivityField.objects.all()}
    sources = dict(Initiative.unscoped.filter(code__in={r["replicated_from_code"] for r in rows} - {""})
                   .values_list("code", "pk"))
    decided_at = timezone.make_aware(datetime.datetime(2020, 12, 31, 12))
    instances = []
    for row in rows:
        organization = organizations[row["organization_id"]] if row["organization_id"] else by_name[
            row["organization_name"]]
        instance = Initiative(
            # Codes of their own: the import's rows must not meet the floor's (rolled back) in the unique index.
            code=f"F{row['title'].rsplit(' ', 1)[-1]}", title=row["title"],
            kind=InitiativeKind.INDIVIDUAL if row["person_name"] else InitiativeKind.COLLECTIVE,
            person_name=row["person_name"], person_position=row["person_position"],
            origin=InitiativeOrigin.REPLICATED if row["replicated_from_code"] else InitiativeOrigin.NEW,
            replicated_from_id=sources.get(row["replicated_from_code"]), organization=organization,
            unit=organization.unit, review_unit=reviewing_unit_for(organization),
            field=fields[row["field_code"]], registration_year=row["registration_year"],
            situation=row["situation"], objectives=row["objectives"], content_methods=row["content_methods"],
            budget_amount=int(row["budget_amount"].replace(".", "")), status=InitiativeStatus.ACCEPTED,
            submitted_at=decided_at, decided_at=decided_at, created_by=user,
        )
        instance.search_text = instance.build_search_text()
        instances.append(instance)
    return instances


# --- Timing ---------------------------------------------------------------------------------------------


class Step:
    def __init__(self, name: str, rows: int):
        self.name, self.rows = name, rows
        self.seconds = self.cpu_seconds = 0.0
        self.queries = 0

    def as_dict(self) -> dict:
        return {"seconds": round(self.seconds, 3), "cpu_seconds": round(self.cpu_seconds, 3),
                "rows_per_second": round(self.rows / self.seconds), "queries": self.queries}


def timed(step: Step, action, profile: bool = False):
    counter = QueryCounter()
    profiler = cProfile.Profile() if profile else None
    with connection.execute_wrapper(counter):
        started, cpu = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        result = action()
        if profiler:
            profiler.disable()
        step.seconds, step.cpu_seconds = time.perf_counter() - started, time.process_time() - cpu
    step.queries = counter.count
    if profiler:
        stats = pstats.Stats(profiler, stream=sys.stderr)
        print(f"\n=== {step.name}: cProfile, by own time ===", file=sys.stderr)
        stats.sort_stats("tottime").print_stats(35)
        print(f"\n=== {step.name}: cProfile, by cumulative time ===", file=sys.stderr)
        stats.sort_stats("cumulative").print_stats(45)
    return result


def upload(content: bytes):
    return SimpleUploadedFile("mo-hinh-nam-cu.xlsx", content,
                              content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=int(os.environ.get("IMPORT_BENCH_ROWS", 10_000)))
    parser.add_argument("--user", default="bantinh", help="The account importing (a provincial board).")
    parser.add_argument("--json", action="store_true", help="Print one JSON object (for make bench).")
    parser.add_argument("--profile", choices=("preview", "run", "again"), action="append", default=[],
                        help="Print cProfile statistics of that step on standard error.")
    args = parser.parse_args()
    say = say_nothing if args.json else print
    user = get_user_model().objects.get(username=args.user)
    host = (settings.ALLOWED_HOSTS or ["127.0.0.1"])[0]
    client = Client(HTTP_HOST="127.0.0.1" if host in ("*", ".localhost") else host.lstrip("."))
    client.force_login(user)
    url = reverse("admin:reports_import", args=[InitiativeImporter.key])
    steps = {name: Step(name, args.rows) for name in ("file", "floor", "preview", "run", "again")}
    with translation.override("vi"):
        importer = InitiativeImporter(user)
        rows = plan_rows(user, args.rows)
        content = timed(steps["file"], lambda: xlsx_of(importer, rows))
        say(f"{Initiative.unscoped.count():,} initiatives in the database; {args.rows:,} rows of past models for "
            f"{user.get_username()} ({UserScope.of(user).unit}), xlsx of {len(content) / 2**20:.1f} MiB built in "
            f"{steps['file'].seconds:.1f} s")
        with transaction.atomic():
            instances = floor_rows(user, rows)
            with transaction.atomic():
                timed(steps["floor"], lambda: Initiative.objects.bulk_create(instances))
                transaction.set_rollback(True)  # the floor's rows go: the import writes the same ones
            before = Initiative.unscoped.count()
            preview = timed(steps["preview"], lambda: client.post(url, {"import_file": upload(content)}),
                            "preview" in args.profile)
            report = preview.context["report"] if preview.context else None
            if report is None or report.refused or report.counts["new"] != args.rows:
                messages = report.messages()[:10] if report is not None else [preview.status_code]
                raise SystemExit(f"the preview refused the file: {messages}")
            done = timed(steps["run"], lambda: client.post(url, {"token": preview.context["token"]}),
                         "run" in args.profile)
            written = Initiative.unscoped.count() - before
            if done.status_code != 302 or written != args.rows:
                raise SystemExit(f"the import wrote {written} rows of {args.rows} (status {done.status_code})")
            logged = InitiativeTransition.unscoped.filter(initiative__created_by=user,
                                                          to_status=InitiativeStatus.ACCEPTED,
                                                          initiative__title__startswith=TITLE).count()
            again = timed(steps["again"], lambda: client.post(url, {"import_file": upload(content)}),
                          "again" in args.profile)
            counts = again.context["report"].counts
            if counts["skip"] != args.rows:
                raise SystemExit(f"importing the same file again would change rows: {counts}")
            transaction.set_rollback(True)  # the database stays as it was
    floor = steps["floor"]
    for name, label in (("floor", "bulk_create of the same rows (floor)"), ("preview", "preview (nothing written)"),
                        ("run", "confirm (checked again and written)"), ("again", "preview of the same file again")):
        step = steps[name]
        say(f"{label:<40} {step.seconds:7.2f} s {step.rows / step.seconds:8,.0f} rows/s "
            f"{step.seconds / floor.seconds:6.1f}× floor  {step.queries:7,} SQL  ({step.cpu_seconds:.2f} s CPU)")
    say(f"transitions written: {logged:,} (one per model); everything rolled back")
    if args.json:
        print(json.dumps({"rows": args.rows, "user": user.get_username(), "file_mib": round(len(content) / 2**20, 2),
                          **{name: steps[name].as_dict() for name in ("floor", "preview", "run", "again")},
                          "transitions": logged}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
