"""Loading the national lists of administrative units and their successions from `vietnamadminunits`.

The package (MIT) ships both the pre-2025 list (63 provinces, 696 districts, ~10,000 communes) and the
2025 list (34 provinces, 3,321 communes), plus the old→new conversion tables used here as successions.
Loading is idempotent: rows are matched on (edition, code) and only written when something differs.
"""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from importlib import resources

from django.db import transaction

from .models import AdministrativeUnit, UnitEdition, UnitLevel, UnitSuccession, UnitType, rows_follow_units

PRE2025 = "pre2025"
EDITION_2025 = "2025"
REFORM_DATE = datetime.date(2025, 7, 1)

EDITIONS = {
    PRE2025: {
        "name": "Danh mục trước 01/7/2025 (63 tỉnh, 3 cấp)",
        "valid_from": None,
        "valid_until": REFORM_DATE - datetime.timedelta(days=1),
        "is_current": False,
    },
    EDITION_2025: {
        "name": "Danh mục từ 01/7/2025 (34 tỉnh, 2 cấp)",
        "valid_from": REFORM_DATE,
        "valid_until": None,
        "is_current": True,
    },
}

UNIT_TYPES = {
    "Tỉnh": UnitType.PROVINCE,
    "Thành phố": UnitType.CITY,
    "Huyện": UnitType.RURAL_DISTRICT,
    "Quận": UnitType.URBAN_DISTRICT,
    "Thị xã": UnitType.TOWN,
    "Xã": UnitType.COMMUNE,
    "Phường": UnitType.WARD,
    "Thị trấn": UnitType.TOWNSHIP,
    "Đặc khu": UnitType.SPECIAL_ZONE,
}

UNIT_FIELDS = ("name", "short_name", "level", "unit_type", "parent_id", "path", "valid_from", "valid_until",
               "search_text")


def province_type(name: str) -> str:
    return UnitType.CITY if name.startswith("Thành phố") else UnitType.PROVINCE


@dataclass
class UnitRow:
    edition: str
    code: str
    name: str
    short_name: str
    level: int
    unit_type: str
    parent_code: str | None


@dataclass
class SuccessionRow:
    old_code: str
    new_code: str
    is_default: bool


@dataclass
class PackageData:
    units: list[UnitRow] = field(default_factory=list)
    successions: list[SuccessionRow] = field(default_factory=list)


def _package_rows(table: str) -> list[dict]:
    from vietnamadminunits.database import query

    return query(f"SELECT * FROM [{table}]")  # noqa: S608 - a fixed table name of the package's own file


def _converter() -> dict:
    path = resources.files("vietnamadminunits").joinpath("data/converter_2025.json")
    return json.loads(path.read_text(encoding="utf-8"))


def read_package(province_code: str | None = None) -> PackageData:
    """Both editions and the successions, optionally limited to one province of today's map and the old
    provinces that merged into it."""
    data = PackageData()
    new_rows = _package_rows("admin_units")
    old_rows = _package_rows("admin_units_legacy")
    converter = _converter()

    new_province_code = {r["provinceKey"]: r["provinceCode"] for r in new_rows}
    old_province_code = {r["provinceKey"]: r["provinceCode"] for r in old_rows}
    new_ward_code = {(r["provinceKey"], r["wardKey"]): r["wardCode"] for r in new_rows}
    # "province_district_ward" keys as the converter writes them; the ward is empty for island districts.
    old_key_code = {}
    for r in old_rows:
        key = f"{r['provinceKey']}_{r['districtKey']}_{r['wardKey'] or ''}"
        old_key_code[key] = r["wardCode"] or r["districtCode"]

    wanted_new = {province_code} if province_code else set(new_province_code.values())
    old_provinces_of = {
        new_province_code[new_key]: {old_province_code[k] for k in old_keys}
        for new_key, old_keys in converter["DICT_PROVINCE"].items()
    }
    wanted_old = set().union(*(old_provinces_of.get(code, set()) for code in wanted_new))

    seen: set[tuple[str, str]] = set()

    def add(row: UnitRow):
        if (row.edition, row.code) not in seen:
            seen.add((row.edition, row.code))
            data.units.append(row)

    for r in new_rows:
        if r["provinceCode"] not in wanted_new:
            continue
        add(UnitRow(EDITION_2025, r["provinceCode"], r["province"], r["provinceShort"], UnitLevel.PROVINCE,
                    province_type(r["province"]), None))
        add(UnitRow(EDITION_2025, r["wardCode"], r["ward"], r["wardShort"], UnitLevel.COMMUNE,
                    UNIT_TYPES[r["wardType"]], r["provinceCode"]))
    for r in old_rows:
        if r["provinceCode"] not in wanted_old:
            continue
        add(UnitRow(PRE2025, r["provinceCode"], r["province"], r["provinceShort"], UnitLevel.PROVINCE,
                    province_type(r["province"]), None))
        add(UnitRow(PRE2025, r["districtCode"], r["district"], r["districtShort"], UnitLevel.DISTRICT,
                    UNIT_TYPES[r["districtType"]], r["provinceCode"]))
        if r["wardCode"]:
            add(UnitRow(PRE2025, r["wardCode"], r["ward"], r["wardShort"], UnitLevel.COMMUNE,
                        UNIT_TYPES[r["wardType"]], r["districtCode"]))

    # Provinces: every old province merged whole into one new province.
    successor_province = {}
    for new_key, old_keys in converter["DICT_PROVINCE"].items():
        new_code = new_province_code[new_key]
        for old_key in old_keys:
            successor_province[old_province_code[old_key]] = new_code
    for old_code, new_code in successor_province.items():
        if old_code in wanted_old:
            data.successions.append(SuccessionRow(old_code, new_code, True))

    # Communes (and the island districts, which became special zones) to the new communes.
    mapped_old: set[str] = set()
    for new_province_key, wards in converter["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        if new_province_code[new_province_key] not in wanted_new:
            continue
        for new_ward_key, old_keys in wards.items():
            new_code = new_ward_code[(new_province_key, new_ward_key)]
            for old_key in old_keys:
                old_code = old_key_code[old_key]
                mapped_old.add(old_code)
                data.successions.append(SuccessionRow(old_code, new_code, True))
    for new_province_key, old_wards in converter["DICT_PROVINCE_WARD_DIVIDED"].items():
        if new_province_code[new_province_key] not in wanted_new:
            continue
        for old_key, parts in old_wards.items():
            old_code = old_key_code[old_key]
            mapped_old.add(old_code)
            for part in parts:
                new_code = new_ward_code[(new_province_key, part["newWardKey"])]
                data.successions.append(SuccessionRow(old_code, new_code, bool(part["isDefaultNewWard"])))

    # Districts were abolished: their default successor is the province their territory went to.
    for r in old_rows:
        code = r["districtCode"]
        if r["provinceCode"] in wanted_old and code not in mapped_old:
            mapped_old.add(code)
            data.successions.append(SuccessionRow(code, successor_province[r["provinceCode"]], True))
    return data


@dataclass
class LoadReport:
    created: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    updated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    unchanged: dict[str, int] = field(default_factory=lambda: defaultdict(int))

    @property
    def changed(self) -> bool:
        return any(self.created.values()) or any(self.updated.values())


def _sync_editions(report: LoadReport) -> None:
    for code, values in EDITIONS.items():
        edition = UnitEdition.objects.filter(pk=code).first()
        if edition is None:
            if values["is_current"]:
                UnitEdition.objects.filter(is_current=True).update(is_current=False)
            UnitEdition.objects.create(code=code, **values)
            report.created["editions"] += 1
        elif any(getattr(edition, k) != v for k, v in values.items()):
            if values["is_current"]:
                UnitEdition.objects.filter(is_current=True).exclude(pk=code).update(is_current=False)
            UnitEdition.objects.filter(pk=code).update(**values)
            report.updated["editions"] += 1
        else:
            report.unchanged["editions"] += 1


def _sync_units(rows: list[UnitRow], report: LoadReport) -> dict[tuple[str, str], AdministrativeUnit]:
    existing = {(u.edition_id, u.code): u for u in AdministrativeUnit.objects.all()}
    # Parents first, so that each level's parent ids and paths are known when its children are written.
    for level in (UnitLevel.PROVINCE, UnitLevel.DISTRICT, UnitLevel.COMMUNE):
        to_create, to_update = [], []
        for row in rows:
            if row.level != level:
                continue
            edition = EDITIONS[row.edition]
            parent = existing[(row.edition, row.parent_code)] if row.parent_code else None
            values = {
                "name": row.name,
                "short_name": row.short_name,
                "level": row.level,
                "unit_type": row.unit_type,
                "parent_id": parent.pk if parent else None,
                "path": f"{parent.path if parent else row.edition + '/'}{row.code}/",
                "valid_from": edition["valid_from"],
                "valid_until": edition["valid_until"],
                "search_text": AdministrativeUnit(name=row.name, short_name=row.short_name,
                                                  code=row.code).build_search_text(),
            }
            unit = existing.get((row.edition, row.code))
            if unit is None:
                unit = AdministrativeUnit(edition_id=row.edition, code=row.code, **values)
                to_create.append(unit)
                existing[(row.edition, row.code)] = unit
            elif any(getattr(unit, k) != v for k, v in values.items()):
                for k, v in values.items():
                    setattr(unit, k, v)
                to_update.append(unit)
            else:
                report.unchanged["units"] += 1
        AdministrativeUnit.objects.bulk_create(to_create, batch_size=2000)
        AdministrativeUnit.objects.bulk_update(to_update, UNIT_FIELDS, batch_size=2000)
        rows_follow_units([unit.pk for unit in to_update])  # a new parent may put them in another province
        report.created["units"] += len(to_create)
        report.updated["units"] += len(to_update)
    if any(not u.pk for u in existing.values()):
        # Databases that do not return ids from bulk inserts: read them back.
        ids = {(e, c): pk for e, c, pk in AdministrativeUnit.objects.values_list("edition_id", "code", "pk")}
        for key, unit in existing.items():
            unit.pk = ids[key]
    return existing


def _sync_successions(rows: list[SuccessionRow], units: dict, report: LoadReport) -> None:
    wanted = {}
    for row in rows:
        old = units[(PRE2025, row.old_code)]
        new = units[(EDITION_2025, row.new_code)]
        wanted[(old.pk, new.pk)] = row.is_default
    existing = {
        (s.predecessor_id, s.successor_id): s
        for s in UnitSuccession.objects.filter(predecessor_id__in={old for old, _ in wanted})
    }
    to_create, to_update = [], []
    for (old_id, new_id), is_default in wanted.items():
        succession = existing.get((old_id, new_id))
        if succession is None:
            to_create.append(UnitSuccession(predecessor_id=old_id, successor_id=new_id, is_default=is_default,
                                            effective_date=REFORM_DATE))
        elif succession.is_default != is_default or succession.effective_date != REFORM_DATE:
            succession.is_default, succession.effective_date = is_default, REFORM_DATE
            to_update.append(succession)
        else:
            report.unchanged["successions"] += 1
    # Clear flags that move before setting new ones, so that "one default per unit" holds throughout.
    UnitSuccession.objects.filter(pk__in=[s.pk for s in to_update if not s.is_default]).update(is_default=False)
    UnitSuccession.objects.bulk_update([s for s in to_update if s.is_default], ["is_default", "effective_date"])
    UnitSuccession.objects.bulk_create(to_create, batch_size=5000)
    report.created["successions"] += len(to_create)
    report.updated["successions"] += len(to_update)


def refresh_current_counterparts(report: LoadReport | None = None) -> int:
    """Point every unit at its counterpart on the current map by following default successions."""
    current_edition = UnitEdition.current()
    if current_edition is None:
        return 0
    units = {pk: (edition, path, cur, cur_path) for pk, edition, path, cur, cur_path in
             AdministrativeUnit.objects.values_list("pk", "edition_id", "path", "current_unit_id", "current_path")}
    default_next = dict(UnitSuccession.objects.filter(is_default=True).values_list("predecessor_id", "successor_id"))

    def counterpart(pk: int) -> int | None:
        seen = set()
        while units[pk][0] != current_edition.pk:
            if pk in seen or pk not in default_next:
                return None
            seen.add(pk)
            pk = default_next[pk]
        return pk

    changed = []
    for pk, (_edition, _path, cur, cur_path) in units.items():
        target = counterpart(pk)
        target_path = units[target][1] if target else ""
        if cur != target or cur_path != target_path:
            changed.append(AdministrativeUnit(pk=pk, current_unit_id=target, current_path=target_path))
    AdministrativeUnit.objects.bulk_update(changed, ["current_unit", "current_path"], batch_size=2000)
    rows_follow_units([unit.pk for unit in changed])
    if report is not None:
        report.updated["counterparts"] += len(changed)
    return len(changed)


@transaction.atomic
def load_units(province_code: str | None = None) -> LoadReport:
    report = LoadReport()
    data = read_package(province_code)
    if province_code and not data.units:
        raise ValueError(province_code)
    _sync_editions(report)
    units = _sync_units(data.units, report)
    _sync_successions(data.successions, units, report)
    refresh_current_counterparts(report)
    return report
