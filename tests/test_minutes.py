"""The minutes of a conference: the printable page and the Excel file show exactly the council, every member's
scores, the recusals and who typed a paper sheet, and are refused outside the conference's viewers."""

import re
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from evaluations import services
from models_registry import roles
from models_registry.models import Initiative

from . import test_evaluation_services
from .evaluation_factories import council_member, scoring_conference
from .factories import organization_in, persona, unit

pytestmark = pytest.mark.django_db

commune_models = test_evaluation_services.commune_models  # the same two models of Xã Minh Long (a fixture)

# Per criterion (out of 20, 20, 30, 15, 15), by member, for the women's model and the farmers' model.
WOMEN = {"chutich": ["18", "17,5", "27", "13", "14"],    # 89.5
         "thuky": ["16", "18", "25", "12", "13"],        # 84
         "uyvien1": ["20", "20", "30", "15", "15"]}      # 100, typed in by the secretary
FARMERS = {"chutich": ["10", "10", "15", "8", "7"],      # 50
           "thuky": ["12", "12", "18", "9", "9"],        # 60
           "uyvien1": ["14", "14", "21", "10", "11"],    # 70
           "chuhoi": ["16", "16", "24", "12", "12"]}     # 80


@pytest.fixture
def closed_conference(commune_reviewer, commune_models):
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), commune_models)
    women_org = commune_models[0].organization
    recused = council_member(commune_reviewer, conf, "chuhoi", organization=women_org, unit_obj=women_org.unit,
                             first_name="Lan", last_name="Đinh Thị")
    seats = {seat.user.username: seat for seat in [*seats, recused]}
    criteria = list(conf.criteria_set.criteria.all())
    women, farmers = (conf.nominations.get(initiative=model) for model in commune_models)
    for nomination, table in ((women, WOMEN), (farmers, FARMERS)):
        for username, points in table.items():
            seat = seats[username]
            typist = seats["thuky"].user if username == "uyvien1" and table is WOMEN else seat.user
            services.sheet_save(acting_user=typist, nomination=nomination, member=seat, submit=True,
                                points={c.pk: p for c, p in zip(criteria, points, strict=True)})
    services.result_decide(acting_user=seats["chutich"].user, nomination=women, recognised=True,
                           proposed_for_commendation=True)
    services.conference_close(acting_user=seats["chutich"].user, conference=conf)
    conf.refresh_from_db()
    return conf, seats, women, farmers


def sheets_table(page: str, nomination) -> list[tuple[str, str]]:
    """(member name, total or the recusal text) for each row of the nomination's score table."""
    table = re.search(rf'<table class="sheets" data-nomination="{nomination.pk}">(.*?)</table>', page, re.S).group(1)
    rows = []
    for row in re.findall(r'<tr class="sheet-row state-\w+">(.*?)</tr>', table, re.S):
        name = re.search(r'class="member-name">([^<]+)<', row).group(1)
        total = re.search(r'class="num total">([^<]*)<', row)
        rows.append((name, total.group(1) if total else re.search(r'class="recused"[^>]*>([^<]+)<', row).group(1)))
    return rows


def test_the_minutes_page_lists_exactly_the_council_and_the_scores(client, closed_conference):
    conf, seats, women, farmers = closed_conference
    client.force_login(seats["uyvien1"].user)
    response = client.get(reverse("evaluations:minutes", args=[conf.pk]))
    assert response.status_code == 200
    page = response.content.decode()
    members = re.findall(r'<td class="member-name">([^<]+)</td>', page)
    assert members == ["Lê Văn Hùng", "Võ Thị Mai", "Nguyễn Ủy viên 1", "Đinh Thị Lan"]
    assert sheets_table(page, women) == [("Lê Văn Hùng", "89,50"), ("Võ Thị Mai", "84,00"),
                                         ("Nguyễn Ủy viên 1", "100,00"),
                                         ("Đinh Thị Lan", "Không chấm (cùng đơn vị)")]
    assert sheets_table(page, farmers) == [("Lê Văn Hùng", "50,00"), ("Võ Thị Mai", "60,00"),
                                           ("Nguyễn Ủy viên 1", "70,00"), ("Đinh Thị Lan", "80,00")]
    assert "Phiếu giấy do Võ Thị Mai nhập" in page
    assert "91,17" in page and "65,00" in page  # the means
    # The heading of a Party document and a printable A4 page.
    for text in ("ĐẢNG BỘ XÃ MINH LONG", "ĐẢNG CỘNG SẢN VIỆT NAM", "BIÊN BẢN",
                 "HỘI NGHỊ ĐÁNH GIÁ MÔ HÌNH, ĐIỂN HÌNH “DÂN VẬN KHÉO” NĂM 2025", "ngày 10 tháng 12 năm 2025",
                 "@page", "CHỦ TỊCH HỘI ĐỒNG"):
        assert text in page, text
    assert "DỰ THẢO" not in page


def test_the_workbook_has_the_right_numbers(client, closed_conference):
    conf, seats, women, farmers = closed_conference
    client.force_login(seats["chutich"].user)
    response = client.get(reverse("evaluations:minutes_xlsx", args=[conf.pk]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Tổng hợp", "Phiếu chấm"]

    summary = workbook["Tổng hợp"]
    assert summary["A1"].value == "ĐẢNG BỘ XÃ MINH LONG"
    assert summary.freeze_panes == "A10"
    rows = {row[1].value: row for row in summary.iter_rows(min_row=10) if row[1].value in (
        women.initiative.code, farmers.initiative.code)}
    women_row, farmers_row = rows[women.initiative.code], rows[farmers.initiative.code]
    # Sheets, mean, spread, disagreement, computed rating, …, rank, recognised, upward, commendation.
    assert [c.value for c in women_row[4:9]] == [3, pytest.approx(91.17), pytest.approx(16), "x", "Tiêu biểu"]
    assert [c.value for c in women_row[11:15]] == [1, "x", None, "x"]
    assert [c.value for c in farmers_row[4:9]] == [4, pytest.approx(65), pytest.approx(30), "x", "Đạt"]
    assert women_row[5].number_format == "#,##0.00"

    detail = workbook["Phiếu chấm"]
    assert detail.freeze_panes == "A10"
    lines = [[c.value for c in row] for row in detail.iter_rows(min_row=10)]
    women_lines = [line for line in lines if line[1] == women.initiative.code]
    by_member = {line[3]: line for line in women_lines}
    assert by_member["Lê Văn Hùng"][5:11] == [18, 17.5, 27, 13, 14, 89.5]
    assert by_member["Nguyễn Ủy viên 1"][10:12] == [100, "Phiếu giấy do Võ Thị Mai nhập"]
    assert by_member["Đinh Thị Lan"][5:12] == [None] * 6 + ["Không chấm (cùng đơn vị)"]
    mean_line = women_lines[-1]
    assert mean_line[3] == "Trung bình của 3 phiếu đã nộp" and mean_line[10] == pytest.approx(91.17)
    assert mean_line[5] == pytest.approx(18)  # (18 + 16 + 20) / 3 for the first criterion
    farmer_members = [line[3] for line in lines if line[1] == farmers.initiative.code][:-1]
    assert farmer_members == ["Lê Văn Hùng", "Võ Thị Mai", "Nguyễn Ủy viên 1", "Đinh Thị Lan"]
    assert detail.cell(row=10, column=6).number_format == "#,##0.00"


def test_text_in_the_workbook_never_becomes_a_formula(client, closed_conference):
    conf, seats, women, _farmers = closed_conference
    Initiative.unscoped.filter(pk=women.initiative_id).update(title='=HYPERLINK("http://x","Hũ gạo")')
    client.force_login(seats["chutich"].user)
    content = client.get(reverse("evaluations:minutes_xlsx", args=[conf.pk])).content
    with zipfile.ZipFile(BytesIO(content)) as archive:
        sheets = [archive.read(name).decode() for name in archive.namelist() if name.startswith("xl/worksheets/")]
    assert sheets and not any("<f>" in xml or "<f " in xml for xml in sheets)
    summary = load_workbook(BytesIO(content))["Tổng hợp"]
    titles = [row[2] for row in summary.iter_rows(min_row=10) if row[1].value == women.initiative.code]
    assert titles[0].value == '=HYPERLINK("http://x","Hũ gạo")' and titles[0].data_type == "s"


def test_the_minutes_are_refused_outside_the_conference(client, closed_conference, other_province_staff, units):
    conf, _seats, _women, _farmers = closed_conference
    sibling = persona(role=roles.REVIEWER, unit_obj=unit("Xã Sơn Hà"), username="thamdinh_sonha")
    for user in (sibling, other_province_staff):
        client.force_login(user)
        assert client.get(reverse("evaluations:minutes", args=[conf.pk])).status_code == 404
        assert client.get(reverse("evaluations:minutes_xlsx", args=[conf.pk])).status_code == 404


def test_before_closing_an_ordinary_member_reads_no_scores(client, commune_reviewer, commune_models):
    conf, seats = scoring_conference(commune_reviewer, unit("Xã Minh Long"), commune_models)
    youth = organization_in("Xã Minh Long", name="Đoàn Thanh niên xã Minh Long")
    member = council_member(commune_reviewer, conf, "uyvien_doan", organization=youth, unit_obj=youth.unit)
    client.force_login(member.user)
    page = client.get(reverse("evaluations:minutes", args=[conf.pk])).content.decode()
    assert "DỰ THẢO" in page and "Điểm chấm được công bố khi hội nghị kết thúc" in page
    assert '<table class="sheets"' not in page
    response = client.get(reverse("evaluations:minutes_xlsx", args=[conf.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("evaluations:minutes", args=[conf.pk])
