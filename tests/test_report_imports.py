"""Imports of past years' records: preview, row errors, atomicity, idempotence, scope, old units and code pages,
past results reaching the catalogue, templates."""

from __future__ import annotations

import csv
import datetime
import io
import unicodedata

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from awards.models import AwardForm, Commendation, CommendationStatus, Decision, RecipientKind
from evaluations.models import Conference, ConferenceStatus, LatestRating, Nomination, Rating
from evaluations.ratings import rated
from models_registry import roles
from models_registry.files import read_table
from models_registry.models import (
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Organization,
    OrganizationCategory,
    YearlyResult,
)
from portal.selectors import public_initiatives
from reports.importing import IMPORTERS
from reports.importing.past import CommendationImporter, PastResultsImporter
from reports.importing.registry import InitiativeImporter, OrganizationImporter, YearlyResultImporter
from reports.legacy_units import LegacyUnits, fold_unit_name

from .factories import InitiativeFactory, organization_in, persona, unit

TONES = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}


def cp1258(text: str) -> bytes:
    """Text as old Vietnamese office files store it: Windows-1258, tone marks as combining characters."""
    out = []
    for char in unicodedata.normalize("NFC", text):
        try:
            char.encode("cp1258")
            out.append(char)
            continue
        except UnicodeEncodeError:
            pass
        decomposed = unicodedata.normalize("NFD", char)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in TONES))
        out.append(base + "".join(c for c in decomposed if c in TONES))
    return "".join(out).encode("cp1258")


def csv_bytes(importer, rows: list[dict], encoding: str = "utf-8-sig") -> bytes:
    """A file with the importer's Vietnamese headers (those of its template) and the given cells by column."""
    columns = importer.get_columns()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([column.label for column in columns])
    for row in rows:
        writer.writerow([row.get(column.name, "") for column in columns])
    text = out.getvalue()
    return cp1258(text) if encoding == "cp1258" else text.encode(encoding)


def table(data: bytes, extension: str = "csv"):
    return read_table(io.BytesIO(data), extension)


@pytest.fixture
def other_board(units):
    return persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Thành phố Đà Nẵng"), username="ban_danang")


FRONT = str(OrganizationCategory.FRONT_AND_UNIONS.label)


# --- Legacy units ----------------------------------------------------------------------------------------


def test_unit_names_fold_accents_case_and_prefixes():
    assert fold_unit_name("Xã Long Hiệp") == "long hiep"
    assert fold_unit_name("xa long hiep") == "long hiep"
    assert fold_unit_name("Thị trấn Ba Tơ") == "ba to"
    assert fold_unit_name("TP. Quảng Ngãi") == "quang ngai"
    assert fold_unit_name("Huyện Ia H'Drai") == "ia h drai"


def test_old_units_matched_by_name_district_province_or_code(units):
    legacy = LegacyUnits()
    long_hiep = unit("Xã Long Hiệp", "pre2025")
    assert legacy.match(name="xa Long Hiep", district="huyen minh long", province="Quang Ngai").unit == long_hiep
    assert legacy.match(name="Long Hiệp").unit == long_hiep
    assert legacy.match(code="21361").unit == long_hiep
    assert legacy.match(code=21361.0).unit == long_hiep
    # Two wards of the same name in one province: ambiguous, both listed; the district settles it.
    ambiguous = legacy.match(name="Phường Nguyễn Nghiêm", province="Tỉnh Quảng Ngãi")
    assert ambiguous.unit is None and ambiguous.ambiguous
    assert "Thành phố Quảng Ngãi" in ambiguous.error and "Thị xã Đức Phổ" in ambiguous.error
    assert legacy.match(name="Phường Nguyễn Nghiêm", district="Đức Phổ",
                        province="Quảng Ngãi").unit.code == "21439"
    # Folded alike, written apart: the accents pick one.
    assert legacy.match(name="Xã Bình Thạnh", district="Bình Sơn").unit.code == "21046"
    assert legacy.match(name="Binh Thanh", district="Binh Son").ambiguous
    assert "Huyện Minh Long" not in legacy.match(name="Long Hiệp", district="Sơn Hà").error
    assert legacy.match(name="Không Có", province="Quảng Ngãi").error


# --- Organisations on the old map, in the Windows code page --------------------------------------------------


def test_legacy_file_in_windows_1258_with_old_commune_and_district_names(provincial_board):
    importer = OrganizationImporter(provincial_board)
    rows = [
        {"name": "Hội Nông dân xã Long Hiệp", "category": FRONT, "old_unit": "xa Long Hiep",
         "old_district": "huyện Minh Long", "old_province": "Quảng Ngãi"},
        {"name": "Đoàn Thanh niên phường Nguyễn Nghiêm", "category": FRONT, "old_unit": "Phường Nguyễn Nghiêm",
         "old_province": "Tỉnh Quảng Ngãi"},
    ]
    data = csv_bytes(importer, rows, "cp1258")
    with pytest.raises(UnicodeDecodeError):
        data.decode("utf-8")
    report = importer.preview(table(data))
    assert report.encoding == "Windows-1258"
    assert report.counts == {"new": 1, "update": 0, "skip": 0, "refused": 1}
    [refused] = [row for row in report.rows if row.kind == "invalid"]
    assert refused.number == 2
    message = " ".join(refused.details)
    assert "Thị xã Đức Phổ" in message and "Thành phố Quảng Ngãi" in message  # which units, and why
    assert importer.run(table(data)).written is False
    assert not Organization.unscoped.filter(name__startswith="Hội Nông dân xã Long Hiệp").exists()

    rows[1]["old_district"] = "Thành phố Quảng Ngãi"
    data = csv_bytes(importer, rows, "cp1258")
    report = importer.run(table(data))
    assert report.written, report.messages()
    farmers = Organization.unscoped.get(name="Hội Nông dân xã Long Hiệp")
    assert farmers.unit == unit("Xã Long Hiệp", "pre2025")
    assert Organization.unscoped.get(name="Đoàn Thanh niên phường Nguyễn Nghiêm").unit.code == "21025"
    # The same file again: found by name and unit, nothing changes.
    again = OrganizationImporter(provincial_board).run(table(data))
    assert again.counts == {"new": 0, "update": 0, "skip": 2, "refused": 0}, [r.details for r in again.rows]
    assert Organization.unscoped.filter(name__in=[r["name"] for r in rows]).count() == 2


def test_organisation_outside_the_area_is_refused(other_board):
    importer = OrganizationImporter(other_board)
    data = csv_bytes(importer, [{"name": "Hội Nông dân xã Long Hiệp", "category": FRONT, "old_unit": "Long Hiệp",
                                 "old_district": "Minh Long", "old_province": "Quảng Ngãi"}])
    report = importer.run(table(data))
    assert not report.written and report.counts["refused"] == 1
    assert "Xã Long Hiệp" in " ".join(report.rows[0].details)
    assert not Organization.unscoped.filter(name="Hội Nông dân xã Long Hiệp").exists()


# --- Models recognised in past years ---------------------------------------------------------------------


@pytest.fixture
def old_body(units):
    return organization_in("Xã Long Hiệp", "pre2025", name="Chi hội Phụ nữ xã Long Hiệp")


def past_model_row(**values):
    return {"code": "QNG-2018-001", "title": "Mô hình Bếp ăn tình thương", "kind": "", "origin": "",
            "organization_name": "Chi hội Phụ nữ xã Long Hiệp", "field_code": "kinh-te",
            "registration_year": "2018", "status": str(InitiativeStatus.ACCEPTED.label), "decided_on": "20/12/2018",
            **values}


def test_accepted_past_model_arrives_accepted_in_its_year(provincial_board, old_body):
    importer = InitiativeImporter(provincial_board)
    data = csv_bytes(importer, [past_model_row(),
                                past_model_row(code="", title="Mô hình Đường hoa", decided_on="2019")])
    preview = importer.preview(table(data))
    assert preview.counts["new"] == 2, preview.messages()
    assert not Initiative.unscoped.filter(organization=old_body).exists()  # the preview writes nothing
    report = importer.run(table(data))
    assert report.written, report.messages()
    model = Initiative.unscoped.get(code="QNG-2018-001")
    assert model.status == InitiativeStatus.ACCEPTED
    assert model.decided_at.year == 2018 and model.unit == old_body.unit
    assert [t.to_status for t in InitiativeTransition.unscoped.filter(initiative=model)] == [InitiativeStatus.ACCEPTED]
    second = Initiative.unscoped.get(title="Mô hình Đường hoa")
    assert second.status == InitiativeStatus.ACCEPTED and second.decided_at.year == 2019
    assert second.code.startswith("DVK-51-2018-")
    # Again: both found (by code; by organisation, title and year), nothing changes.
    again = InitiativeImporter(provincial_board).run(table(data))
    assert again.counts == {"new": 0, "update": 0, "skip": 2, "refused": 0}, again.messages()
    assert Initiative.unscoped.filter(organization=old_body).count() == 2


def test_accepted_past_model_needs_the_import_permission(unit_staff):
    importer = InitiativeImporter(unit_staff)
    assert not InitiativeImporter.allowed(unit_staff)
    organization = unit_staff.staff_profile.organization
    data = csv_bytes(importer, [past_model_row(organization_name=organization.name)])
    report = importer.run(table(data))
    assert not report.written and report.counts["refused"] == 1
    assert not Initiative.unscoped.filter(code="QNG-2018-001").exists()


# --- Yearly results -----------------------------------------------------------------------------------------


@pytest.fixture
def old_model(old_body):
    return InitiativeFactory(organization=old_body, code="QNG-2018-007", registration_year=2018,
                             status=InitiativeStatus.ACCEPTED, title="Mô hình Nồi cháo tình thương")


def test_yearly_results_matched_by_code_and_year(provincial_board, old_model):
    importer = YearlyResultImporter(provincial_board)
    rows = [{"initiative_code": "QNG-2018-007", "year": "2019", "participants": "120", "beneficiaries": "1.200",
             "value_mobilised": "1.234.567", "is_running": "Có"},
            {"initiative_code": "QNG-2018-007", "year": "2020", "participants": "130", "value_mobilised": "2.000.000"}]
    data = csv_bytes(importer, rows)
    assert importer.preview(table(data)).counts["new"] == 2
    assert not YearlyResult.unscoped.filter(initiative=old_model).exists()
    report = importer.run(table(data))
    assert report.written, report.messages()
    result = YearlyResult.unscoped.get(initiative=old_model, year=2019)
    assert (result.participants, result.beneficiaries, result.value_mobilised) == (120, 1200, 1_234_567)
    again = YearlyResultImporter(provincial_board).run(table(data))
    assert again.counts == {"new": 0, "update": 0, "skip": 2, "refused": 0}
    rows[1]["participants"] = "140"
    changed = YearlyResultImporter(provincial_board).run(table(csv_bytes(importer, rows)))
    assert changed.counts["update"] == 1
    assert YearlyResult.unscoped.get(initiative=old_model, year=2020).participants == 140


def test_one_bad_row_writes_nothing_and_names_row_column_reason(provincial_board, old_model):
    importer = YearlyResultImporter(provincial_board)
    data = csv_bytes(importer, [
        {"initiative_code": "QNG-2018-007", "year": "2019", "participants": "10"},
        {"initiative_code": "QNG-2018-007", "year": "2020", "participants": "mười"},
        {"initiative_code": "QNG-2018-007", "year": "2015", "participants": "5"},
    ])
    report = importer.run(table(data))
    assert not report.written
    refused = {row.number: " ".join(row.details) for row in report.rows if row.kind == "invalid"}
    assert set(refused) == {2, 3}
    participants = str(YearlyResult._meta.get_field("participants").verbose_name)
    assert participants.lower() in refused[2].lower() and "mười" in refused[2]
    assert "2018" in refused[3]  # the year must be from the registration year
    assert not YearlyResult.unscoped.filter(initiative=old_model).exists()


def test_yearly_results_outside_the_area_are_refused(other_board, old_model):
    importer = YearlyResultImporter(other_board)
    data = csv_bytes(importer, [{"initiative_code": "QNG-2018-007", "year": "2019", "participants": "10"}])
    report = importer.run(table(data))
    assert not report.written and "QNG-2018-007" in " ".join(report.rows[0].details)
    assert not YearlyResult.unscoped.exists()


# --- Past evaluation results ------------------------------------------------------------------------------


def past_results_rows(**values):
    return [{"conference_title": "Hội nghị tổng kết phong trào Dân vận khéo huyện Minh Long 2016-2020",
             "years": "2016-2020", "host_unit": "Huyện Minh Long", "host_province": "Quảng Ngãi",
             "held_on": "18/12/2020", "initiative_code": "QNG-2018-007", "rating": "Tiêu biểu",
             "recognised": "Có", "proposed_upward": "Có", "proposed_for_commendation": "Có", **values}]


def test_past_results_make_a_closed_conference_and_reach_the_catalogue(provincial_board, old_model):
    importer = PastResultsImporter(provincial_board)
    data = csv_bytes(importer, past_results_rows())
    preview = importer.preview(table(data))
    assert preview.counts["new"] == 1, preview.messages()
    assert not Conference.unscoped.exists()
    report = importer.run(table(data))
    assert report.written, report.messages()
    conference = Conference.unscoped.get()
    assert conference.status == ConferenceStatus.CLOSED
    assert (conference.year_from, conference.year_to, conference.kind) == (2016, 2020, "final")
    assert conference.host_unit == unit("Huyện Minh Long", "pre2025")
    nomination = Nomination.unscoped.get(conference=conference)
    top = Rating.objects.get(name="Tiêu biểu")
    assert nomination.rating == top and nomination.recognised and nomination.proposed_for_commendation
    latest = LatestRating.objects.get(initiative=old_model)
    assert latest.rating == top and latest.year == 2020 and latest.rating.counts_as_highly_effective
    assert list(rated(public_initiatives(), top.pk)) == [old_model]
    # Again: nothing changes; a changed rating updates the one result.
    assert PastResultsImporter(provincial_board).run(table(data)).counts["skip"] == 1
    changed_file = csv_bytes(importer, past_results_rows(rating="Hiệu quả"))
    changed = PastResultsImporter(provincial_board).run(table(changed_file))
    assert changed.counts["update"] == 1
    assert Conference.unscoped.count() == 1 and Nomination.unscoped.count() == 1
    assert LatestRating.objects.get(initiative=old_model).rating.name == "Hiệu quả"


def test_past_results_outside_the_area_or_unknown_refused(other_board, provincial_board, old_model):
    report = PastResultsImporter(other_board).run(table(csv_bytes(PastResultsImporter(other_board),
                                                                  past_results_rows())))
    assert not report.written and not Conference.unscoped.exists()
    rows = past_results_rows() + past_results_rows(initiative_code="KHONG-CO", rating="Xuất sắc")
    report = PastResultsImporter(provincial_board).run(table(csv_bytes(PastResultsImporter(provincial_board), rows)))
    assert not report.written and not Conference.unscoped.exists()
    [bad] = [row for row in report.rows if row.kind == "invalid"]
    assert bad.number == 2 and "KHONG-CO" in bad.details[0]


# --- Past commendations -----------------------------------------------------------------------------------


def test_past_commendations_checked_by_the_rules_and_imported_once(provincial_board, old_model):
    PastResultsImporter(provincial_board).run(table(csv_bytes(PastResultsImporter(provincial_board),
                                                              past_results_rows())))
    importer = CommendationImporter(provincial_board)
    district_form = "Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện"
    good = {"decision_number": "12/QĐ-UBND", "decision_date": "15/01/2021", "signer": "Đinh Văn A",
            "award_form": district_form, "recipient_kind": str(RecipientKind.COLLECTIVE.label),
            "initiative_code": "QNG-2018-007",
            "year": "2020", "prize": "1.490.000"}
    central_to_person = {**good, "decision_number": "99/QĐ-BDVTW", "award_form":
                         "Bằng khen của Ban Tuyên giáo và Dân vận Trung ương", "recipient_kind": "individual",
                         "person_name": "Phạm Thị B", "person_position": "Chi hội trưởng"}
    report = importer.run(table(csv_bytes(importer, [good, central_to_person])))
    assert not report.written
    [bad] = [row for row in report.rows if row.kind == "invalid"]
    assert bad.number == 2 and "Bằng khen của Ban Tuyên giáo và Dân vận Trung ương" in " ".join(bad.details)
    assert not Decision.unscoped.exists()

    report = CommendationImporter(provincial_board).run(table(csv_bytes(importer, [good])))
    assert report.written, report.messages()
    commendation = Commendation.unscoped.get()
    assert commendation.status == CommendationStatus.APPROVED and commendation.prize_amount == 1_490_000
    assert commendation.decision.number == "12/QĐ-UBND" and commendation.decision.date == datetime.date(2021, 1, 15)
    assert commendation.nomination is not None and commendation.organization == old_model.organization
    again = CommendationImporter(provincial_board).run(table(csv_bytes(importer, [good])))
    assert again.counts == {"new": 0, "update": 0, "skip": 1, "refused": 0}
    assert Commendation.unscoped.count() == 1 and Decision.unscoped.count() == 1


def test_commendation_form_needing_a_rating_without_one_is_refused(provincial_board, old_model):
    importer = CommendationImporter(provincial_board)
    row = {"decision_number": "5/QĐ", "decision_date": "10/01/2020", "signer": "A", "recipient_kind": "collective",
           "award_form": "Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "initiative_code": "QNG-2018-007"}
    report = importer.run(table(csv_bytes(importer, [row])))
    assert not report.written and "Tiêu biểu" in " ".join(report.rows[0].details)


# --- Templates, admin pages ------------------------------------------------------------------------------


def test_every_template_has_vietnamese_headers_and_instructions_and_no_formula(provincial_board, admin_client):
    AwardForm.objects.create(name='=HYPERLINK("http://evil.example","Bấm")', level=1, issuing_authority="=1+1")
    for importer_class in IMPORTERS:
        response = admin_client.get(reverse("admin:reports_import_template", args=[importer_class.key]))
        assert response.status_code == 200
        book = load_workbook(io.BytesIO(response.content))
        assert len(book.sheetnames) == 2
        headers = [cell.value for cell in book.worksheets[0][1]]
        assert headers == [column.label for column in importer_class(provincial_board).get_columns()]
        for sheet in book.worksheets:
            for row in sheet.iter_rows():
                assert all(cell.data_type != "f" for cell in row), importer_class.key
    guide = load_workbook(io.BytesIO(admin_client.get(
        reverse("admin:reports_import_template", args=["khen-thuong"])).content)).worksheets[1]
    texts = [cell.value for row in guide.iter_rows() for cell in row if cell.value]
    assert any('=HYPERLINK("http://evil.example","Bấm")' in text for text in texts)
    assert any("dd/mm/yyyy" in text for text in texts) and any("1.234.567" in text for text in texts)


def test_admin_import_page_previews_then_writes(client, provincial_board, old_model):
    client.force_login(provincial_board)
    index = client.get(reverse("admin:reports_import_index"))
    assert index.status_code == 200
    assert reverse("admin:reports_import", args=["ket-qua-danh-gia"]) in index.content.decode()
    url = reverse("admin:reports_import", args=["ket-qua-hang-nam"])
    data = csv_bytes(YearlyResultImporter(provincial_board),
                     [{"initiative_code": "QNG-2018-007", "year": "2019", "participants": "=1+1"}])
    upload = io.BytesIO(data)
    upload.name = "ket-qua.csv"
    refused = client.post(url, {"import_file": upload})
    assert refused.status_code == 200 and "token" not in refused.context
    assert refused.context["report"].refused
    data = csv_bytes(YearlyResultImporter(provincial_board),
                     [{"initiative_code": "QNG-2018-007", "year": "2019", "participants": "15"}])
    upload = io.BytesIO(data)
    upload.name = "ket-qua.csv"
    preview = client.post(url, {"import_file": upload})
    assert preview.status_code == 200 and preview.context["token"]
    assert not YearlyResult.unscoped.exists()
    done = client.post(url, {"token": preview.context["token"]})
    assert done.status_code == 302
    assert YearlyResult.unscoped.get(initiative=old_model, year=2019).participants == 15
    # Another person cannot confirm someone else's file.
    other = persona(role=roles.PROVINCIAL_BOARD, unit_obj=unit("Tỉnh Quảng Ngãi"), username="ban_tinh_2")
    client.force_login(other)
    assert client.post(url, {"token": preview.context["token"]}).status_code == 403


def test_import_pages_refused_without_the_rights(client, unit_staff, commune_reviewer):
    for user in (unit_staff, commune_reviewer):
        client.force_login(user)
        assert client.get(reverse("admin:reports_import_index")).status_code in (302, 403)
        assert client.get(reverse("admin:reports_import", args=["khen-thuong"])).status_code in (302, 403)
        assert client.get(reverse("admin:reports_import_template", args=["mo-hinh"])).status_code in (302, 403)
    client.logout()
    assert client.get(reverse("admin:reports_import_index")).status_code == 302


def test_row_errors_in_vietnamese_name_row_and_column(provincial_board, old_model):
    from django.utils import translation

    with translation.override("vi"):
        importer = YearlyResultImporter(provincial_board)
        data = csv_bytes(importer, [{"initiative_code": "QNG-2018-007", "year": "2019", "participants": "mười"},
                                    {"initiative_code": "KHONG-CO", "year": "2019"}])
        report = importer.run(table(data))
        lines = report.messages()
    assert not report.written
    assert any(line.startswith("Dòng 1") and "Số người tham gia" in line and "mười" in line for line in lines), lines
    assert any(line.startswith("Dòng 2") and "cột “Mã mô hình" in line and "không có mô hình nào mã" in line
               for line in lines), lines


def test_the_admin_index_leads_the_board_to_the_imports(client, provincial_board, commune_reviewer):
    from django.urls import reverse

    client.force_login(provincial_board)
    assert reverse("admin:reports_import_index") in client.get(reverse("admin:index")).content.decode()
    client.force_login(commune_reviewer)
    assert reverse("admin:reports_import_index") not in client.get(reverse("admin:index")).content.decode()
