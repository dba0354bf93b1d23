"""The national lists of administrative units, their successions and counterparts on today's map."""

import pytest
from django.core.management import call_command

from models_registry.models import AdministrativeUnit, UnitEdition, UnitLevel, UnitSuccession
from models_registry.units import load_units

from .factories import unit


def count(edition, level):
    return AdministrativeUnit.objects.filter(edition_id=edition, level=level).count()


@pytest.mark.django_db
def test_full_load_has_both_editions_every_succession_and_is_idempotent():
    load_units()

    assert count("2025", UnitLevel.PROVINCE) == 34
    assert count("2025", UnitLevel.COMMUNE) == 3321
    assert count("2025", UnitLevel.DISTRICT) == 0
    assert count("pre2025", UnitLevel.PROVINCE) == 63
    assert count("pre2025", UnitLevel.DISTRICT) == 696
    assert 10_000 <= count("pre2025", UnitLevel.COMMUNE) <= 10_100
    assert UnitEdition.current().code == "2025"

    old_communes = AdministrativeUnit.objects.filter(edition_id="pre2025", level=UnitLevel.COMMUNE)
    assert not old_communes.filter(successions__isnull=True).exists()
    assert not AdministrativeUnit.objects.filter(current_unit__isnull=True).exists()
    # Every old unit lands on a unit of today's map, and the stored path copy agrees with it.
    assert not AdministrativeUnit.objects.exclude(current_unit__edition_id="2025").exists()
    sample = old_communes.select_related("current_unit").order_by("?")[:50]
    assert all(u.current_path == u.current_unit.path for u in sample)

    second = load_units()
    assert not second.changed
    assert second.unchanged["units"] == AdministrativeUnit.objects.count()


def test_old_minh_long_communes_map_to_minh_long_and_son_mai(units):
    district = unit("Huyện Minh Long", "pre2025")
    successors = {
        commune.name: set(commune.successions.values_list("successor__name", flat=True))
        for commune in district.children.all()
    }
    assert successors == {
        "Xã Long Hiệp": {"Xã Minh Long"},
        "Xã Thanh An": {"Xã Minh Long"},
        "Xã Long Môn": {"Xã Minh Long"},
        "Xã Long Sơn": {"Xã Sơn Mai"},
        "Xã Long Mai": {"Xã Sơn Mai"},
    }
    # The abolished district itself continues as today's province.
    assert district.current_unit == unit("Tỉnh Quảng Ngãi")


def test_old_provinces_merge_into_todays_quang_ngai(units):
    today = unit("Tỉnh Quảng Ngãi")
    old = AdministrativeUnit.objects.filter(edition_id="pre2025", level=UnitLevel.PROVINCE, current_unit=today)
    assert set(old.values_list("name", flat=True)) == {"Tỉnh Quảng Ngãi", "Tỉnh Kon Tum"}
    # Codes are re-used across editions: 51 is Quảng Ngãi in both, but they are different rows.
    assert set(AdministrativeUnit.objects.filter(code="51").values_list("edition_id", flat=True)) == {"pre2025", "2025"}


def test_split_commune_has_one_default_successor_and_counterpart_follows_it(units):
    tra_bui = AdministrativeUnit.objects.get(edition_id="pre2025", name="Xã Trà Bùi")
    successions = {s.successor.name: s.is_default for s in tra_bui.successions.select_related("successor")}
    assert successions == {"Xã Cà Đam": True, "Xã Tây Trà Bồng": False}
    assert tra_bui.current_unit.name == "Xã Cà Đam"


def test_island_district_becomes_special_zone(units):
    ly_son = unit("Huyện Lý Sơn", "pre2025")
    assert ly_son.current_unit.name == "Đặc khu Lý Sơn"
    assert ly_son.current_unit.unit_type == "dac_khu"


def test_subtree_of_todays_commune_includes_the_old_communes_merged_into_it(units):
    names = set(AdministrativeUnit.objects.subtree_of(unit("Xã Minh Long")).values_list("name", flat=True))
    assert names == {"Xã Minh Long", "Xã Long Hiệp", "Xã Thanh An", "Xã Long Môn"}


def test_subtree_of_an_old_district_is_its_own_tree(units):
    subtree = AdministrativeUnit.objects.subtree_of(unit("Huyện Minh Long", "pre2025"))
    assert subtree.count() == 6
    assert not subtree.filter(edition_id="2025").exists()


def test_command_reports_what_it_did_and_that_a_rerun_changes_nothing(units, capsys):
    call_command("load_units", "--province", "51")
    out = capsys.readouterr().out
    assert "không có gì thay đổi" in out


def test_command_refuses_an_unknown_province(units):
    with pytest.raises(Exception, match="mang mã 99"):
        call_command("load_units", "--province", "99")


def test_a_renamed_unit_is_updated_not_duplicated(units):
    commune = unit("Xã Minh Long")
    AdministrativeUnit.objects.filter(pk=commune.pk).update(name="Xã Minh Long (sai)")
    report = load_units("51")
    assert report.updated["units"] == 1
    assert AdministrativeUnit.objects.filter(edition_id="2025", code=commune.code).get().name == "Xã Minh Long"
    assert UnitSuccession.objects.filter(successor=commune).count() == 3
