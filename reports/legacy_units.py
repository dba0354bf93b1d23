"""Units named the way old files name them: "xã Long Hiệp, huyện Minh Long, tỉnh Quảng Ngãi", or a code.

Files kept since 2017 name the units of the pre-2025 map. Names are compared folded (no diacritics, no case,
"đ" as "d") and without the type prefix ("xã", "phường", "thị trấn", "huyện", "quận", "thị xã", "thành
phố", "tỉnh"), so "Xa Long Hiep" and "xã Long Hiệp" are the same place. The district and the province, when
given, narrow the search; two units left with the same folded name are ambiguous and the row says so,
listing them, instead of picking one.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from models_registry.models import AdministrativeUnit, UnitLevel
from models_registry.text import fold_for_search

PRE2025 = "pre2025"

# Longest first ("thi xa" before "xa"); "TP." and "TX." as old files abbreviate them. No one-letter
# abbreviation: "H'Bông" folds to "h bong", and its "h" is part of the name.
_PREFIXES = sorted([
    "xa", "phuong", "thi tran", "huyen", "quan", "thi xa", "thanh pho", "tinh", "dac khu", "tp", "tx",
], key=len, reverse=True)
_PREFIX_RE = re.compile(r"^(?:" + "|".join(re.escape(prefix) for prefix in _PREFIXES) + r")\s+")


def fold_unit_name(name: object) -> str:
    """"Xã Long Hiệp" → "long hiep"; "TP. Quảng Ngãi" → "quang ngai"; a number stays ("Phường 1" → "1")."""
    folded = fold_for_search(name)
    stripped = _PREFIX_RE.sub("", folded, count=1)
    return stripped or folded


def _plain(name: object) -> str:
    """The name in lower case with its accents, without the type prefix: "Xã Bình Thạnh" → "bình thạnh"."""
    text = unicodedata.normalize("NFC", " ".join(str(name or "").split())).lower()
    for prefix in ("thị trấn ", "thị xã ", "thành phố ", "xã ", "phường ", "huyện ", "quận ", "tỉnh ", "đặc khu "):
        if text.startswith(prefix):
            return text[len(prefix):]
    return text


def code_key(value: object) -> str:
    """A unit code as files write it: 22 and "00022" are the same commune; Excel drops leading zeros."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    text = str(value).strip()
    return text.lstrip("0") or ("0" if text else "")


@dataclass
class UnitMatch:
    """What a unit named in a file matched: one unit, none, or several (ambiguous)."""

    unit: AdministrativeUnit | None = None
    candidates: list[AdministrativeUnit] = field(default_factory=list)
    error: str = ""

    @property
    def ambiguous(self) -> bool:
        return len(self.candidates) > 1


@dataclass
class _Entry:
    pk: int
    code: str
    name: str
    level: int
    parent_id: int | None


class LegacyUnits:
    """An index of one edition's units (the pre-2025 one by default), read once per import."""

    def __init__(self, edition: str = PRE2025):
        self.edition = edition
        self._entries: dict[int, _Entry] | None = None
        self._by_code: dict[str, list[int]] = {}
        self._by_name: dict[tuple[int, str], list[int]] = {}
        self._units: dict[int, AdministrativeUnit] = {}

    def _load(self) -> None:
        if self._entries is not None:
            return
        self._entries = {}
        rows = AdministrativeUnit.objects.filter(edition_id=self.edition).values_list(
            "pk", "code", "name", "level", "parent_id")
        by_code, by_name = defaultdict(list), defaultdict(list)
        for pk, code, name, level, parent_id in rows.iterator(chunk_size=2000):
            self._entries[pk] = _Entry(pk, code, name, level, parent_id)
            by_code[code_key(code)].append(pk)
            by_name[(level, fold_unit_name(name))].append(pk)
        self._by_code, self._by_name = dict(by_code), dict(by_name)

    def _unit(self, pk: int) -> AdministrativeUnit:
        if pk not in self._units:
            self._units[pk] = AdministrativeUnit.objects.select_related("parent", "parent__parent").get(pk=pk)
        return self._units[pk]

    def _ancestors(self, pk: int) -> set[int]:
        seen = set()
        entry = self._entries.get(pk)
        while entry is not None and entry.parent_id is not None:
            seen.add(entry.parent_id)
            entry = self._entries.get(entry.parent_id)
        return seen

    def _named(self, level: int, name: object, within: list[int] | None) -> list[int]:
        found = self._by_name.get((level, fold_unit_name(name)), [])
        if within is not None:
            allowed = set(within)
            found = [pk for pk in found if self._ancestors(pk) & allowed]
        return found

    def label(self, unit_or_pk) -> str:
        """"Xã Long Hiệp, Huyện Minh Long, Tỉnh Quảng Ngãi": a unit as a person recognises it."""
        self._load()
        pk = unit_or_pk.pk if isinstance(unit_or_pk, AdministrativeUnit) else unit_or_pk
        parts, entry = [], self._entries.get(pk)
        while entry is not None:
            parts.append(entry.name)
            entry = self._entries.get(entry.parent_id) if entry.parent_id else None
        return ", ".join(parts)

    def match(self, *, code: object = "", name: object = "", district: object = "", province: object = "",
              level: int | None = None) -> UnitMatch:
        """The unit a file names by its code, or by its name with the district and province above it.

        `level` says what the name is (a commune by default when a district or province is given, else any
        level from the commune up)."""
        self._load()
        key = code_key(code)
        if key:
            found = self._by_code.get(key, [])
            if level is not None:
                found = [pk for pk in found if self._entries[pk].level == level]
            if len(found) == 1:
                return UnitMatch(self._unit(found[0]), [self._unit(found[0])])
            if not found:
                return UnitMatch(error=_("there is no unit with code “%(code)s” on the map before 1 July 2025.")
                                 % {"code": str(code).strip()})
        if not fold_unit_name(name):
            return UnitMatch(error=_("give the unit's code or its name."))
        within = None
        if fold_unit_name(province):
            provinces = self._named(UnitLevel.PROVINCE, province, None)
            if not provinces:
                return UnitMatch(error=_("there was no province named “%(name)s” before 1 July 2025.")
                                 % {"name": str(province).strip()})
            within = provinces
        if fold_unit_name(district):
            districts = self._named(UnitLevel.DISTRICT, district, within)
            if not districts:
                return UnitMatch(error=_("there was no district named “%(name)s”%(where)s before 1 July 2025.")
                                 % {"name": str(district).strip(),
                                    "where": _(" in %(province)s") % {"province": str(province).strip()}
                                    if within else ""})
            within = districts
        levels = [level] if level is not None else [UnitLevel.COMMUNE, UnitLevel.DISTRICT, UnitLevel.PROVINCE]
        for candidate_level in levels:
            found = self._named(candidate_level, name, within)
            if len(found) > 1:
                # "Bình Thạnh" and "Bình Thanh" fold alike: a name written with its accents picks one of them.
                exact = [pk for pk in found if _plain(self._entries[pk].name) == _plain(name)]
                found = exact if len(exact) == 1 else found
            if len(found) == 1:
                unit = self._unit(found[0])
                return UnitMatch(unit, [unit])
            if len(found) > 1:
                candidates = [self._unit(pk) for pk in found]
                return UnitMatch(candidates=candidates, error=_(
                    "“%(name)s” is ambiguous: %(count)s units have this name (%(units)s). Add the district and "
                    "province columns, or give the unit's code.") % {
                    "name": str(name).strip(), "count": len(found),
                    "units": "; ".join(f"{self.label(pk)} – {self._entries[pk].code}" for pk in found)})
        return UnitMatch(error=_("there was no unit named “%(name)s”%(where)s before 1 July 2025.") % {
            "name": str(name).strip(),
            "where": _(" in %(place)s") % {"place": ", ".join(str(part).strip() for part in (district, province)
                                                             if fold_unit_name(part))} if within else ""})


def match_unit(*, code: object = "", name: object = "", district: object = "", province: object = "",
               level: int | None = None, current_first: bool = True, legacy: LegacyUnits | None = None) -> UnitMatch:
    """A unit named in a file on either map: a code of today's map first (when `current_first`), else the
    pre-2025 map by code or by name."""
    key = str(code if not isinstance(code, float) else int(code)).strip() if code not in (None, "") else ""
    if key and current_first:
        unit = AdministrativeUnit.objects.current().filter(code=key).first()
        if unit is None and key.isdigit():
            unit = AdministrativeUnit.objects.current().filter(code=key.zfill(5)).first()
        if unit is not None and (level is None or unit.level == level):
            return UnitMatch(unit, [unit])
    if not key and fold_unit_name(name) and current_first and not fold_unit_name(district):
        # A name alone: today's map first (a province of today, or a commune that kept its name).
        current = [u for u in AdministrativeUnit.objects.current().filter(
            search_text__contains=f" {fold_unit_name(name)} |")
            if fold_unit_name(u.name) == fold_unit_name(name) and (level is None or u.level == level)]
        if fold_unit_name(province):
            current = [u for u in current if u.parent_id is None or fold_unit_name(u.parent.name)
                       == fold_unit_name(province)] if current else current
        if len(current) == 1:
            return UnitMatch(current[0], current)
    return (legacy or LegacyUnits()).match(code=code, name=name, district=district, province=province, level=level)
