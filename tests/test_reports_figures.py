"""Every figure of the reports' query layer against numbers worked out by hand (tests/report_dataset.py), for one
year and for a range, on today's map and on the historical one (which agree in totals)."""

import pytest
from django.utils import translation

from evaluations.models import Rating
from models_registry.models import AdministrativeUnit, UnitLevel
from reports import selectors
from reports.selectors import CURRENT, HISTORICAL, ReportQuery, WholeCountry

from . import report_dataset
from .factories import unit

M = report_dataset.M
K, V, Q, P = "Kinh tế", "Văn hóa – xã hội", "Quốc phòng – an ninh", "Xây dựng hệ thống chính trị"
COUNT_NAMES = ("registered", "new", "replicated", "collective", "individual", "accepted", "evaluated",
               "highly_effective", "value_mobilised", "land_m2", "workdays", "commended_collective",
               "commended_individual")


@pytest.fixture(autouse=True)
def vietnamese():
    with translation.override("vi"):
        yield


@pytest.fixture
def dataset(provincial_board, district_reviewer):
    return report_dataset.build(provincial_board, district_reviewer)


def query(year_from, year_to=None, map=CURRENT, scope="Tỉnh Quảng Ngãi", edition="2025"):
    return ReportQuery(unit(scope, edition), year_from, year_to or year_from, map)


def rating_ids():
    return {rating.name: rating.pk for rating in Rating.objects.all()}


def figures(row) -> dict:
    """The figures of a row as a dict, with the ratings by name and zero counts left out."""
    names = {pk: name for name, pk in rating_ids().items()}
    values = {name: getattr(row.figures, name) for name in COUNT_NAMES if getattr(row.figures, name)}
    values.update({names[pk]: count for pk, count in row.figures.ratings.items() if count})
    return values


def as_dict(rows) -> dict:
    return {row.label: figures(row) for row in rows}


def totals(rows) -> dict:
    return figures(selectors.FigureRow(None, "", selectors.total(rows)))


# --- Sheet 1: by standard field ---------------------------------------------------------------------------

BY_FIELD_2024 = {
    K: {"registered": 2, "new": 1, "replicated": 1, "collective": 2, "accepted": 1, "evaluated": 1,
        "Tiêu biểu": 1, "highly_effective": 1, "value_mobilised": 100 * M, "workdays": 50,
        "commended_collective": 1},
    V: {"registered": 1, "new": 1, "individual": 1, "accepted": 1, "evaluated": 1, "Đạt": 1,
        "value_mobilised": 10 * M},
    Q: {"registered": 1, "new": 1, "collective": 1},
    P: {},
}
BY_FIELD_2025 = {
    K: {"registered": 1, "new": 1, "collective": 1, "accepted": 1, "evaluated": 2, "Tiêu biểu": 1, "Hiệu quả": 1,
        "highly_effective": 1, "value_mobilised": 240 * M, "land_m2": 50.5, "workdays": 120,
        "commended_collective": 1, "commended_individual": 1},
    V: {"registered": 1, "new": 1, "collective": 1},
    Q: {},
    P: {"registered": 1, "replicated": 1, "individual": 1, "accepted": 1, "evaluated": 1, "Không đạt": 1,
        "value_mobilised": 30 * M, "workdays": 10},
}
# Over both years i1 counts once among the evaluated, with its 2025 rating (the most recent).
BY_FIELD_RANGE = {
    K: {"registered": 3, "new": 2, "replicated": 1, "collective": 3, "accepted": 2, "evaluated": 2, "Tiêu biểu": 1,
        "Hiệu quả": 1, "highly_effective": 1, "value_mobilised": 340 * M, "land_m2": 50.5, "workdays": 170,
        "commended_collective": 2, "commended_individual": 1},
    V: {"registered": 2, "new": 2, "collective": 1, "individual": 1, "accepted": 1, "evaluated": 1, "Đạt": 1,
        "value_mobilised": 10 * M},
    Q: {"registered": 1, "new": 1, "collective": 1},
    P: {"registered": 1, "replicated": 1, "individual": 1, "accepted": 1, "evaluated": 1, "Không đạt": 1,
        "value_mobilised": 30 * M, "workdays": 10},
}
TOTAL_2024 = {"registered": 4, "new": 3, "replicated": 1, "collective": 3, "individual": 1, "accepted": 2,
              "evaluated": 2, "Tiêu biểu": 1, "Đạt": 1, "highly_effective": 1, "value_mobilised": 110 * M,
              "workdays": 50, "commended_collective": 1}
TOTAL_2025 = {"registered": 3, "new": 2, "replicated": 1, "collective": 2, "individual": 1, "accepted": 2,
              "evaluated": 3, "Tiêu biểu": 1, "Hiệu quả": 1, "Không đạt": 1, "highly_effective": 1,
              "value_mobilised": 270 * M, "land_m2": 50.5, "workdays": 130, "commended_collective": 1,
              "commended_individual": 1}
TOTAL_RANGE = {"registered": 7, "new": 5, "replicated": 2, "collective": 5, "individual": 2, "accepted": 4,
               "evaluated": 4, "Tiêu biểu": 1, "Hiệu quả": 1, "Đạt": 1, "Không đạt": 1, "highly_effective": 1,
               "value_mobilised": 380 * M, "land_m2": 50.5, "workdays": 180, "commended_collective": 2,
               "commended_individual": 1}


@pytest.mark.parametrize("years, expected, expected_total", [
    ((2024,), BY_FIELD_2024, TOTAL_2024),
    ((2025,), BY_FIELD_2025, TOTAL_2025),
    ((2024, 2025), BY_FIELD_RANGE, TOTAL_RANGE),
])
@pytest.mark.parametrize("map", [CURRENT, HISTORICAL])
def test_summary_by_standard_field(dataset, years, expected, expected_total, map):
    rows = selectors.by_field(query(*years, map=map))
    assert as_dict(rows) == expected  # sub-themes rolled up, drafts, other provinces and proposals left out
    assert totals(rows) == expected_total


# --- Sheet 2: by locality ----------------------------------------------------------------------------------

OWN = "Cơ quan, đơn vị ở cấp Tỉnh Quảng Ngãi"
OLD_DISTRICT = "Huyện Minh Long (cũ)"


def with_figures(rows) -> dict:
    return {label: values for label, values in as_dict(rows).items() if values}


def test_by_locality_on_todays_map_lists_every_commune_and_rolls_old_ones_in(dataset):
    rows = selectors.by_locality(query(2024))
    assert rows[0].section == "own" and rows[0].label == OWN and figures(rows[0]) == {}
    communes = unit("Tỉnh Quảng Ngãi").children.count()
    assert len(rows) == communes + 1  # every commune of today, with or without figures
    assert with_figures(rows) == {
        "Xã Minh Long": {"registered": 2, "new": 2, "collective": 1, "individual": 1, "accepted": 2, "evaluated": 2,
                         "Tiêu biểu": 1, "Đạt": 1, "highly_effective": 1, "value_mobilised": 110 * M,
                         "workdays": 50, "commended_collective": 1},
        "Xã Sơn Hà": {"registered": 2, "new": 1, "replicated": 1, "collective": 2},
    }
    assert totals(rows) == TOTAL_2024


def test_by_locality_on_the_historical_map_keeps_the_old_district(dataset):
    rows = selectors.by_locality(query(2024, map=HISTORICAL))
    assert with_figures(rows) == {
        OLD_DISTRICT: {"registered": 2, "new": 2, "collective": 1, "individual": 1, "accepted": 2, "evaluated": 2,
                       "Tiêu biểu": 1, "Đạt": 1, "highly_effective": 1, "value_mobilised": 110 * M, "workdays": 50,
                       "commended_collective": 1},
        "Xã Sơn Hà": {"registered": 2, "new": 1, "replicated": 1, "collective": 2},
    }
    assert totals(rows) == TOTAL_2024


def test_by_locality_2025_on_both_maps(dataset):
    minh_long_new = {"registered": 2, "new": 1, "replicated": 1, "collective": 1, "individual": 1, "accepted": 2}
    son_ha = {"registered": 1, "new": 1, "collective": 1}
    current = selectors.by_locality(query(2025))
    assert with_figures(current) == {
        "Xã Minh Long": {**minh_long_new, "evaluated": 3, "Tiêu biểu": 1, "Hiệu quả": 1, "Không đạt": 1,
                         "highly_effective": 1, "value_mobilised": 270 * M, "land_m2": 50.5, "workdays": 130,
                         "commended_collective": 1, "commended_individual": 1},
        "Xã Sơn Hà": son_ha,
    }
    historical = selectors.by_locality(query(2025, map=HISTORICAL))
    assert with_figures(historical) == {
        "Xã Minh Long": {**minh_long_new, "evaluated": 2, "Tiêu biểu": 1, "Không đạt": 1, "highly_effective": 1,
                         "value_mobilised": 230 * M, "land_m2": 50.5, "workdays": 110, "commended_collective": 1},
        OLD_DISTRICT: {"evaluated": 1, "Hiệu quả": 1, "value_mobilised": 40 * M, "workdays": 20,
                       "commended_individual": 1},
        "Xã Sơn Hà": son_ha,
    }
    assert totals(current) == totals(historical) == TOTAL_2025


@pytest.mark.parametrize("map", [CURRENT, HISTORICAL])
def test_by_locality_over_the_range_agrees_with_by_field(dataset, map):
    rows = selectors.by_locality(query(2024, 2025, map=map))
    assert totals(rows) == TOTAL_RANGE == totals(selectors.by_field(query(2024, 2025, map=map)))


def test_a_commune_scope_and_an_old_district_scope(dataset):
    minh_long = query(2024, 2025, scope="Xã Minh Long")
    rows = selectors.by_locality(minh_long)
    assert [row.label for row in rows] == ["Cơ quan, đơn vị ở cấp Xã Minh Long"]  # no child on today's map
    assert totals(rows)["registered"] == 4  # i1, i2 (old Long Hiệp), i6, i7
    historical = selectors.by_locality(query(2024, 2025, scope="Xã Minh Long", map=HISTORICAL))
    assert [row.label for row in historical] == ["Cơ quan, đơn vị ở cấp Xã Minh Long", "Xã Long Hiệp (cũ)"]
    assert totals(historical) == totals(rows)

    district = query(2024, scope="Huyện Minh Long", edition="pre2025", map=HISTORICAL)
    assert totals(selectors.by_field(district)) == {
        "registered": 2, "new": 2, "collective": 1, "individual": 1, "accepted": 2, "evaluated": 2, "Tiêu biểu": 1,
        "Đạt": 1, "highly_effective": 1, "value_mobilised": 110 * M, "workdays": 50, "commended_collective": 1}
    assert with_figures(selectors.by_locality(district)) == {"Xã Long Hiệp (cũ)": totals(selectors.by_field(district))}


# --- The whole country ----------------------------------------------------------------------------------------

# i9, the Farmers of Phường Hải Châu (Đà Nẵng), outside the province but inside the country.
DANANG_2025 = {"registered": 1, "new": 1, "collective": 1, "accepted": 1, "value_mobilised": 999 * M,
               "workdays": 999}


def plus(*counts: dict) -> dict:
    summed: dict = {}
    for figures_ in counts:
        for name, value in figures_.items():
            summed[name] = summed.get(name, 0) + value
    return summed


def country(year_from, year_to=None, map=CURRENT):
    return ReportQuery(WholeCountry.today(), year_from, year_to or year_from, map)


def test_the_whole_country_on_todays_map_has_one_row_per_province(dataset):
    rows = selectors.by_locality(country(2025))
    provinces = AdministrativeUnit.objects.current().filter(level=UnitLevel.PROVINCE)
    # No national bodies register in the portal: no "own level" row, every province of today, figures or not.
    assert all(row.section == "locality" for row in rows)
    assert sorted(row.label for row in rows) == sorted(provinces.values_list("name", flat=True))
    danang = provinces.get(code="48").name
    assert with_figures(rows) == {"Tỉnh Quảng Ngãi": TOTAL_2025, danang: DANANG_2025}
    assert totals(rows) == plus(TOTAL_2025, DANANG_2025) == totals(selectors.by_field(country(2025)))


@pytest.mark.parametrize("years, expected", [
    ((2024,), TOTAL_2024), ((2025,), plus(TOTAL_2025, DANANG_2025)), ((2024, 2025), plus(TOTAL_RANGE, DANANG_2025)),
])
def test_the_whole_country_agrees_on_both_maps(dataset, years, expected):
    for map in (CURRENT, HISTORICAL):
        assert totals(selectors.by_locality(country(*years, map=map))) == expected
        assert totals(selectors.by_field(country(*years, map=map))) == expected


def test_the_whole_country_on_the_historical_map_keeps_the_old_province(dataset):
    rows = with_figures(selectors.by_locality(country(2024, map=HISTORICAL)))
    # Long Hiệp's models were registered in the old province; Sơn Hà's on today's map.
    assert rows == {
        "Tỉnh Quảng Ngãi (cũ)": {"registered": 2, "new": 2, "collective": 1, "individual": 1, "accepted": 2,
                                 "evaluated": 2, "Tiêu biểu": 1, "Đạt": 1, "highly_effective": 1,
                                 "value_mobilised": 110 * M, "workdays": 50, "commended_collective": 1},
        "Tỉnh Quảng Ngãi": {"registered": 2, "new": 1, "replicated": 1, "collective": 2},
    }


def test_the_whole_countrys_lists_include_every_province(dataset):
    codes = [row["code"] for row in selectors.initiative_rows(country(2025))]
    assert sorted(codes) == ["RPT-06", "RPT-07", "RPT-08", "RPT-09"]
    assert selectors.initiative_count(country(2025)) == 4


# --- By year and by award form (the statistics pages) --------------------------------------------------------


def test_by_year_splits_the_range(dataset):
    rows = selectors.by_year(query(2024, 2025))
    assert [row.label for row in rows] == ["2024", "2025"]
    assert figures(rows[0]) == TOTAL_2024 and figures(rows[1]) == TOTAL_2025


def test_commendations_by_form(dataset):
    rows = selectors.commendations_by_form(query(2024, 2025))
    assert [(r.form, r.collective, r.individual, r.prize_total) for r in rows] == [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", 1, 0, 2_340_000),
        ("Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy", 0, 1, 500_000),
        ("Giấy khen của Chủ tịch Ủy ban nhân dân cấp huyện", 1, 0, 1_170_000),
    ]


# --- Sheets 3 to 6: the lists ------------------------------------------------------------------------------


def test_initiative_list_with_details_and_latest_rating(dataset):
    rows = list(selectors.initiative_rows(query(2024)))
    assert selectors.initiative_count(query(2024)) == 4
    by_code = {row["code"]: row for row in rows}
    assert sorted(by_code) == ["RPT-01", "RPT-02", "RPT-03", "RPT-04"]
    first = by_code["RPT-01"]
    assert (first["rating_name"], first["rating_year"]) == ("Hiệu quả", 2025)  # the latest, whatever the range
    assert first["value_in_range"] == 100 * M and first["workdays_in_range"] == 50
    assert first["place"] == "Xã Minh Long" and first["standard_field"] == K
    assert by_code["RPT-02"]["standard_field"] == V and by_code["RPT-02"]["field__name"] == "Bảo vệ môi trường"
    assert by_code["RPT-03"]["value_in_range"] == 0  # not accepted: its result does not count
    assert by_code["RPT-04"]["rating_name"] is None
    historical = {row["code"]: row for row in selectors.initiative_rows(query(2024, map=HISTORICAL))}
    assert historical["RPT-01"]["place"] == "Xã Long Hiệp"


def test_evaluation_results_per_conference(dataset):
    rows = list(selectors.evaluation_rows(query(2024, 2025)))
    assert selectors.evaluation_count(query(2024, 2025)) == len(rows) == 5
    seen = [(row["conference__year_to"], row["initiative__code"], row["rating__name"], row["rank"]) for row in rows]
    assert seen == [
        (2025, "RPT-06", "Tiêu biểu", 1), (2025, "RPT-01", "Hiệu quả", 2), (2025, "RPT-07", "Không đạt", 3),
        (2024, "RPT-01", "Tiêu biểu", 1), (2024, "RPT-02", "Đạt", 2),
    ]
    assert len(list(selectors.evaluation_rows(query(2024)))) == 2


def test_commendation_list(dataset):
    rows = list(selectors.commendation_rows(query(2025)))
    assert [(row["award_form__name"], row["recipient_kind"], row["organization__name"], row["person_name"],
             row["prize_amount"], row["place"]) for row in rows] == [
        ("Bằng khen của Chủ tịch Ủy ban nhân dân tỉnh", "collective", "Hội Liên hiệp Phụ nữ xã Minh Long", "",
         2_340_000, "Xã Minh Long"),
        ("Giấy khen của Ban Tuyên giáo và Dân vận Tỉnh ủy", "individual", "Chi hội Phụ nữ xã Long Hiệp", "=1+1",
         500_000, "Xã Minh Long"),
    ]
    assert selectors.commendation_count(query(2024, 2025)) == 3


@pytest.mark.parametrize("years, expected", [
    ((2024,), {"Công an tỉnh Quảng Ngãi": [2024], "Hội Liên hiệp Phụ nữ xã Minh Long": [2024],
               "Hội Nông dân xã Minh Long": [2024]}),
    ((2025,), {"Chi hội Phụ nữ xã Long Hiệp": [2025], "Công an tỉnh Quảng Ngãi": [2025],
               "Hội Cựu chiến binh xã Sơn Hà": [2025]}),
    ((2024, 2025), {"Chi hội Phụ nữ xã Long Hiệp": [2025], "Công an tỉnh Quảng Ngãi": [2024, 2025],
                    "Hội Cựu chiến binh xã Sơn Hà": [2025], "Hội Liên hiệp Phụ nữ xã Minh Long": [2024],
                    "Hội Nông dân xã Minh Long": [2024]}),
])
def test_bodies_that_registered_nothing(dataset, years, expected):
    rows = selectors.silent_bodies(query(*years))
    assert {row.name: row.years_without for row in rows} == expected  # a draft is not a registration


def test_adding_figures_adds_every_count_and_rating():
    one = selectors.Figures(**{name: index + 1 for index, name in enumerate(selectors.Figures.COUNTS)},
                            ratings={7: 2})
    two = selectors.Figures(**{name: 10 for name in selectors.Figures.COUNTS}, ratings={7: 1, 8: 4})
    one.add(two)
    assert {name: getattr(one, name) for name in selectors.Figures.COUNTS} == {
        name: index + 11 for index, name in enumerate(selectors.Figures.COUNTS)}
    assert one.ratings == {7: 3, 8: 4}


@pytest.mark.parametrize("years", [(2024,), (2025,), (2024, 2025)])
def test_the_estimate_of_bodies_that_registered_nothing(dataset, years):
    listed = len(selectors.silent_bodies(query(*years)))
    estimate = selectors.silent_body_estimate(query(*years))
    assert estimate == listed if len(years) == 1 else estimate >= listed
