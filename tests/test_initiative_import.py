"""The import of past models and exemplars, checked and written by the file: the preview lists every row and
writes nothing, a refused row (by the importer or by the registry's writer) writes nothing of the file, the
same file twice changes nothing, rows outside the importer's area are refused, and the number of queries does
not grow with the rows."""

from __future__ import annotations

import datetime
import io
import math

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from models_registry import roles, services
from models_registry.models import (
    AuditEntry,
    CodeCounter,
    Initiative,
    InitiativeStatus,
    InitiativeTally,
    InitiativeTransition,
)
from models_registry.statistics import refresh_tallies
from reports.importing.registry import InitiativeImporter

from .factories import InitiativeFactory, organization_in, persona, superuser, unit
from .test_report_imports import csv_bytes, table

ACCEPTED = str(InitiativeStatus.ACCEPTED.label)
URL = reverse("admin:reports_import", args=[InitiativeImporter.key])


@pytest.fixture
def body(units):
    return organization_in("Xã Minh Long", name="Hội Nông dân xã Minh Long")


@pytest.fixture
def old_body(units):
    return organization_in("Xã Long Hiệp", "pre2025", name="Chi hội Phụ nữ xã Long Hiệp")


@pytest.fixture
def other_board(units):
    return persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_danang")


def model_rows(body, count: int, title: str = "Mô hình số", prefix: str = "QNG", **values) -> list[dict]:
    """Accepted past models, one in two with an old code, one in three by the organisation's name."""
    return [{"code": f"{prefix}-{2017 + n % 5}-{n:04d}" if n % 2 == 0 else "", "title": f"{title} {n}",
             "organization_id": "" if n % 3 == 0 else body.pk, "organization_name": body.name if n % 3 == 0 else "",
             "field_code": "kinh-te", "registration_year": str(2017 + n % 5), "status": ACCEPTED,
             "decided_on": f"15/06/{2018 + n % 5}", "start_date": f"01/03/{2017 + n % 5}",
             "budget_amount": "1.250.000", **values} for n in range(count)]


def run(user, rows, **kwargs):
    importer = InitiativeImporter(user)
    return importer.run(table(csv_bytes(importer, rows), **kwargs))


def preview(user, rows):
    importer = InitiativeImporter(user)
    return importer.preview(table(csv_bytes(importer, rows)))


def written():
    return Initiative.unscoped.count(), InitiativeTransition.unscoped.count(), list(
        CodeCounter.objects.order_by("key").values_list("key", "value"))


def test_the_preview_lists_every_row_and_writes_nothing(provincial_board, body):
    rows = model_rows(body, 6)
    rows[4]["field_code"] = "không có lĩnh vực này"
    before = written()
    report = preview(provincial_board, rows)
    assert [row.kind for row in report.rows] == ["new", "new", "new", "new", "invalid", "new"]
    assert report.rows[0].label == "QNG-2017-0000 – Mô hình số 0"
    assert written() == before


def test_imported_models_arrive_accepted_with_their_codes_and_one_transition_each(provincial_board, body):
    report = run(provincial_board, model_rows(body, 4))
    assert report.written, report.messages()
    kept = Initiative.unscoped.get(code="QNG-2017-0000")
    assert kept.status == InitiativeStatus.ACCEPTED and kept.unit == body.unit and kept.created_by == provincial_board
    assert kept.decided_at.date() == datetime.date(2018, 6, 15) and kept.budget_amount == 1_250_000
    assert " mo hinh so 0 |" in kept.search_text  # found by the catalogue's search
    given = Initiative.unscoped.get(title="Mô hình số 1")
    assert given.code == "DVK-51-2018-00001"
    assert list(InitiativeTransition.unscoped.filter(initiative=given).values_list("to_status", "actor")) == [
        (InitiativeStatus.ACCEPTED, provincial_board.pk)]


def test_the_home_page_figures_count_the_imported_models(provincial_board, body):
    assert run(provincial_board, model_rows(body, 6)).written
    # A second file adds to the same years and fields, and a model stopped since is recognised, not running.
    assert run(provincial_board, model_rows(body, 5, title="Mô hình khác", prefix="QNX")).written
    stopped = Initiative.unscoped.get(title="Mô hình khác 1")
    services.initiative_discontinue(initiative=stopped, acting_user=provincial_board, reason="Hết kinh phí",
                                    year=2020)
    tallied = sorted(InitiativeTally.objects.filter(recognised__gt=0).values_list(
        "registration_year", "field_id", "registered", "recognised", "running"))
    assert sum(row[3] for row in tallied) == 11 and sum(row[4] for row in tallied) == 10
    refresh_tallies()  # a full recount finds the same
    assert sorted(InitiativeTally.objects.filter(recognised__gt=0).values_list(
        "registration_year", "field_id", "registered", "recognised", "running")) == tallied


def test_the_same_file_twice_changes_nothing(provincial_board, body):
    rows = model_rows(body, 8)
    assert run(provincial_board, rows).written
    before = written(), list(Initiative.unscoped.values_list("pk", "version", "updated_at"))
    again = run(provincial_board, rows)
    assert again.counts == {"new": 0, "update": 0, "skip": 8, "refused": 0}, again.messages()
    assert (written(), list(Initiative.unscoped.values_list("pk", "version", "updated_at"))) == before


def test_one_bad_row_writes_nothing_and_says_row_column_and_reason(provincial_board, body):
    rows = model_rows(body, 5)
    rows[2]["start_date"] = "ngày mai"
    rows[3]["title"] = "x" * 501
    rows[4].update(start_date="10/05/2019", end_date="01/05/2019")  # a rule of the model, checked by the writer
    before = written()
    report = run(provincial_board, rows)
    assert not report.written and written() == before
    lines = report.messages()
    assert any(line.startswith("Dòng 3 – cột “Ngày bắt đầu”:") and "ngày mai" in line for line in lines), lines
    assert any(line.startswith("Dòng 4 – cột “Tên mô hình”:") and "500" in line for line in lines), lines
    assert any(line.startswith("Dòng 5") for line in lines), lines
    assert preview(provincial_board, rows).counts == {"new": 2, "update": 0, "skip": 0, "refused": 3}


def test_a_row_the_writer_refuses_writes_nothing_of_the_file(provincial_board, body, monkeypatch):
    """The writer checks every row again in its transaction: a change since the check (here, simulated)
    refuses that row and nothing of the file is written."""
    rows = model_rows(body, 3)
    real = services._new_initiatives_refusals

    def refuse_second(acting_user, items):
        refusals = real(acting_user, items)
        return {**refusals, 1: services.ValidationError({"registration_year": "đã đổi"})}
    monkeypatch.setattr(services, "_new_initiatives_refusals", refuse_second)
    before = written()
    report = run(provincial_board, rows)
    assert not report.written and written() == before
    assert report.messages() == ["Dòng 2 – cột “Năm đăng ký”: đã đổi"]


def test_rows_outside_the_area_are_refused(other_board, provincial_board, body):
    report = run(other_board, model_rows(body, 2))
    assert not report.written and report.counts["refused"] == 2
    details = [" ".join(row.details) for row in report.rows]
    assert body.name in details[0]  # by name: no such organisation in the area
    assert str(body.pk) in details[1] and "ngoài" in details[1]  # by number: outside the area
    elsewhere = InitiativeFactory(organization=organization_in("Xã Hòa Vang"), code="DNG-2016-9999",
                                  status=InitiativeStatus.ACCEPTED)
    report = run(provincial_board, [*model_rows(body, 1), *model_rows(body, 2, code=elsewhere.code)[1:]])
    assert not report.written and report.counts == {"new": 1, "update": 0, "skip": 0, "refused": 1}
    assert elsewhere.code in " ".join(report.rows[1].details) and "ngoài" in " ".join(report.rows[1].details)
    assert not Initiative.unscoped.filter(title__startswith="Mô hình số").exists()


def test_a_board_cannot_register_drafts_and_an_exemplar_needs_a_name(provincial_board, body):
    rows = model_rows(body, 2)
    rows[0]["status"] = ""
    rows[1].update(kind="Điển hình (cá nhân)", person_name="")
    report = run(provincial_board, rows)
    assert not report.written and report.counts["refused"] == 2
    assert "không được đăng ký" in " ".join(report.rows[0].details) or "cán bộ" in " ".join(report.rows[0].details)
    assert report.rows[1].kind == "invalid"


def test_a_draft_imported_by_an_administrator_keeps_its_code_and_is_found_again(body):
    admin = superuser()
    rows = model_rows(body, 2, status="")
    assert run(admin, rows).written
    draft = Initiative.unscoped.get(code="QNG-2017-0000")
    assert draft.status == InitiativeStatus.DRAFT and draft.decided_at is None
    assert run(admin, rows).counts["skip"] == 2


def test_a_change_goes_through_the_registry_and_its_log(body):
    admin = superuser()
    rows = model_rows(body, 2, status="")
    run(admin, rows)
    rows[0]["title"] = "Mô hình đổi tên"
    changed = preview(admin, rows)
    assert changed.counts == {"new": 0, "update": 1, "skip": 1, "refused": 0}
    assert "Mô hình số 0" in " ".join(changed.rows[0].details) and "Mô hình đổi tên" in " ".join(
        changed.rows[0].details)
    assert run(admin, rows).written
    draft = Initiative.unscoped.get(code="QNG-2017-0000")
    assert draft.title == "Mô hình đổi tên" and draft.version == 2
    assert AuditEntry.unscoped.for_object(draft).get().action == "initiative.changed"


def test_an_accepted_model_is_not_changed_by_an_import(provincial_board, body):
    rows = model_rows(body, 1)
    run(provincial_board, rows)
    rows[0]["title"] = "Tên khác"
    report = run(provincial_board, rows)
    assert not report.written and "Tên mô hình" in " ".join(report.rows[0].details)
    assert Initiative.unscoped.get(code="QNG-2017-0000").title == "Mô hình số 0"


def test_codes_given_by_the_records_are_kept_and_the_counter_skips_them(provincial_board, body):
    rows = model_rows(body, 2)
    rows[0].update(code="DVK-51-2017-00001", registration_year="2017")
    rows[1].update(code="", registration_year="2017")
    assert run(provincial_board, rows).written
    assert sorted(Initiative.unscoped.values_list("code", flat=True)) == ["DVK-51-2017-00001", "DVK-51-2017-00002"]


def test_many_rows_through_the_service_at_once_or_none(provincial_board, body):
    items = [services.NewInitiative(Initiative(organization=body, title=f"Mô hình {n}", registration_year=2019,
                                               field_id=1), datetime.date(2020, 1, 2)) for n in range(3)]
    items[2].initiative.registration_year = 2021  # recognised before it was registered
    with pytest.raises(services.ImportRefused) as refused:
        services.initiatives_import(acting_user=provincial_board, items=items)
    assert list(refused.value.refusals) == [2] and not Initiative.unscoped.exists()
    done = services.initiatives_import(acting_user=provincial_board, items=items[:2])
    assert [i.pk for i in done] == sorted(Initiative.unscoped.values_list("pk", flat=True))


def _queries(user, rows, action) -> tuple[int, int]:
    importer = InitiativeImporter(user)
    data = table(csv_bytes(importer, rows))
    with CaptureQueriesContext(connection) as captured:
        report = getattr(importer, action)(data)
    assert not report.refused, report.messages()[:3]
    inserts = sum(1 for query in captured.captured_queries if query["sql"].lstrip().upper().startswith("INSERT"))
    return len(captured.captured_queries) - inserts, inserts


@pytest.mark.parametrize("action", ["preview", "run"])
def test_the_queries_do_not_grow_with_the_rows(provincial_board, body, action):
    run(provincial_board, model_rows(body, 10, title="Trước", prefix="CU"))  # rights read, year counters made
    few = _queries(provincial_board, model_rows(body, 50), action)
    Initiative.unscoped.filter(title__startswith="Mô hình").delete()
    many = _queries(provincial_board, model_rows(body, 500), action)
    assert abs(many[0] - few[0]) <= 2, (few, many)
    # Rows are inserted in as few statements as the database takes (SQLite: a few dozen rows each).
    batch = connection.ops.bulk_batch_size(list(Initiative._meta.concrete_fields), [None] * 500)
    assert many[1] <= 2 * math.ceil(500 / batch) + 1


def test_the_admin_page_previews_then_writes_and_refuses_outsiders(client, provincial_board, body, unit_staff):
    rows = model_rows(body, 3)
    upload = io.BytesIO(csv_bytes(InitiativeImporter(provincial_board), rows))
    upload.name = "mo-hinh.csv"
    client.force_login(provincial_board)
    page = client.post(URL, {"import_file": upload})
    assert page.status_code == 200 and page.context["report"].counts["new"] == 3
    assert not Initiative.unscoped.exists()
    done = client.post(URL, {"token": page.context["token"]})
    assert done.status_code == 302 and Initiative.unscoped.count() == 3
    client.force_login(unit_staff)
    assert client.get(URL).status_code in (302, 403)
    assert client.post(URL, {"token": page.context["token"]}).status_code in (302, 403)


def test_the_rows_kept_between_preview_and_confirm_are_the_rows_read():
    from openpyxl import Workbook

    from models_registry.files import read_table
    from reports.importing import views

    book = Workbook()
    book.active.append(["Mã", "Ngày", "Lúc", "Giờ", "Thời lượng", "Số", "Có", "Trống"])
    book.active.append(["A", datetime.date(2019, 3, 15), datetime.datetime(2020, 1, 2, 3, 4), datetime.time(10, 30),
                        datetime.timedelta(hours=5), 1.5, True, None])
    book.active.append(["Mô hình “Hũ gạo”", 12, 1234567890123, -3e-5, "=1+1", "", False, "x"])
    out = io.BytesIO()
    book.save(out)
    table = read_table(io.BytesIO(out.getvalue()), "xlsx")
    kept = views._stored_table(views._stored_path(views._store(table)))
    assert kept.dataset.headers == table.dataset.headers and kept.encoding == table.encoding
    assert list(kept.dataset) == list(table.dataset)
