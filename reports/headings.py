"""The heading block of a report (REPORT_LAYOUT.md): who issues it, under which superior body, its number.

The texts are those of Party documents and change with the reforms — the board was "Ban Dân vận" (…/BDVTU)
until the 2025 merger, "Ban Tuyên giáo và Dân vận" (…/BTGDVTU) since, and a newer guideline may change them
again — so they are data with validity dates, overridable with the `DANVAN_REPORT_HEADINGS` setting (a list of
dicts with the keys of `BOARDS` below), never literals in the workbook's code.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings

from models_registry.models import AdministrativeUnit, UnitType

from .selectors import is_whole_country

# The board that issues the report, by validity. "board" is its name, "symbol" the letters of its number
# ("BTGDV" + "TU" for a province's board). The current name follows DANVAN_BOARD_NAME.
BOARDS = [
    {"valid_from": None, "valid_until": datetime.date(2025, 2, 28), "board": "Ban Dân vận", "symbol": "BDV"},
    {"valid_from": datetime.date(2025, 3, 1), "valid_until": None, "board": None, "symbol": "BTGDV"},
]
# The Party committee above the board, by the type of the unit ("Tỉnh ủy Quảng Ngãi", "Đảng ủy xã Minh Long")
# and the letters it adds to a number ("TU", "HU", "ĐU").
COMMITTEES = {
    UnitType.PROVINCE: ("Tỉnh ủy", "TU"),
    UnitType.CITY: ("Thành ủy", "TU"),
    UnitType.RURAL_DISTRICT: ("Huyện ủy", "HU"),
    UnitType.URBAN_DISTRICT: ("Quận ủy", "QU"),
    UnitType.TOWN: ("Thị ủy", "TU"),
}
COMMUNE_COMMITTEE = ("Đảng ủy", "ĐU")
# A report on the whole country is the central board's: "Ban Tuyên giáo và Dân vận Trung ương", under the
# Central Committee, numbered "…-BC/BTGDVTW", dated in the capital.
CENTRAL = {"superior": "Ban Chấp hành Trung ương", "committee": "Trung ương", "letters": "TW", "place": "Hà Nội"}
PARTY = "Đảng Cộng sản Việt Nam"


@dataclass(frozen=True)
class Heading:
    superior: str  # "Tỉnh ủy Quảng Ngãi"
    board: str  # "Ban Tuyên giáo và Dân vận"
    number: str  # "Số 12-BC/BTGDVTU" or "Số    -BC/BTGDVTU" to be filled in
    place: str  # "Quảng Ngãi"
    date: datetime.date
    committee: str = "Tỉnh ủy"  # the superior's kind of committee, which ends the board's full name
    party: str = PARTY

    @property
    def number_reference(self) -> str:
        """"số 12-BC/BTGDVTU" inside a sentence."""
        return self.number[:1].lower() + self.number[1:]

    @property
    def place_date(self) -> str:
        """"Quảng Ngãi, ngày 05 tháng 02 năm 2026" (day and months 1–2 zero-padded)."""
        day = self.date
        return f"{self.place}, ngày {day.day:02d} tháng {day.month:02d} năm {day.year}"

    @property
    def attached_to(self) -> str:
        """"(Kèm theo Báo cáo số 12-BC/BTGDVTU, ngày 15/12/2025 của Ban Tuyên giáo và Dân vận Tỉnh ủy)"."""
        return (f"(Kèm theo Báo cáo {self.number_reference}, ngày {self.date:%d/%m/%Y} của {self.board} "
                f"{self.committee})")


def _board(on: datetime.date) -> dict:
    boards = getattr(settings, "DANVAN_REPORT_HEADINGS", None) or BOARDS
    for entry in boards:
        if (entry["valid_from"] is None or entry["valid_from"] <= on) and (
                entry["valid_until"] is None or on <= entry["valid_until"]):
            return {**entry, "board": entry["board"] or settings.DANVAN_BOARD_NAME}
    return {"board": settings.DANVAN_BOARD_NAME, "symbol": "BTGDV"}


def _name(unit: AdministrativeUnit) -> str:
    return unit.short_name or unit.name


def _province_of(unit: AdministrativeUnit) -> AdministrativeUnit:
    while unit.parent_id:
        unit = unit.parent
    return unit


def heading_for(scope: AdministrativeUnit, on: datetime.date | None = None, number: str = "") -> Heading:
    """The heading of a report on `scope` (a unit, or the whole country) dated `on` (today by default);
    `number` is the report's number in the committee's term ("12"), left blank to be filled in by hand."""
    on = on or datetime.date.today()
    board = _board(on)
    if is_whole_country(scope):
        return Heading(superior=CENTRAL["superior"], board=board["board"],
                       number=f"Số {number or '    '}-BC/{board['symbol']}{CENTRAL['letters']}",
                       place=CENTRAL["place"], date=on, committee=CENTRAL["committee"])
    committee, letters = COMMITTEES.get(scope.unit_type, COMMUNE_COMMITTEE)
    if committee == COMMUNE_COMMITTEE[0]:
        superior = f"{committee} {scope.name[:1].lower()}{scope.name[1:]}"  # "Đảng ủy xã Minh Long"
    else:
        superior = f"{committee} {_name(scope)}"
    number_text = f"Số {number or '    '}-BC/{board['symbol']}{letters}"
    return Heading(superior=superior, board=board["board"], number=number_text, place=_name(_province_of(scope)),
                   date=on, committee=committee)
