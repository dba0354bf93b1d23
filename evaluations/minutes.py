"""The minutes of a conference ("biên bản"): what the printable page and the Excel file both show.

`minutes_of` reads everything once (members, every sheet with its scores, the results); the page renders
it, `minutes_workbook` writes it with openpyxl in the look of a Party document (docs: REPORT_LAYOUT.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from io import BytesIO

from django.conf import settings
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from models_registry.formatting import person_name
from models_registry.workbook import XLSX_CONTENT_TYPE as XLSX_CONTENT_TYPE  # the minutes view serves it
from models_registry.workbook import set_value

from .forms import points_text
from .models import Conference, ConferenceKind, CouncilMember, Nomination, ScoreSheet, SheetStatus
from .selectors import COUNCIL_ORDER, NOMINATION_RELATED

POINTS_FORMAT = "#,##0.00"  # Excel shows 8,50 on a Vietnamese system
COUNT_FORMAT = "#,##0"
FONT = "Times New Roman"

RECUSED, SUBMITTED, DRAFT, MISSING = "recused", "submitted", "draft", "missing"


@dataclass
class MemberScores:
    member: CouncilMember
    state: str
    points: list[Decimal | None] = field(default_factory=list)
    total: Decimal | None = None
    typed_by: str = ""  # the secretary's name when they typed a paper sheet for the member

    @property
    def label(self) -> str:
        return {
            RECUSED: _("Does not score (same organisation)"),
            DRAFT: _("Draft, not counted"),
            MISSING: _("Not scored"),
            SUBMITTED: "",
        }[self.state]

    @property
    def note(self) -> str:
        if self.typed_by:
            return _("Paper sheet typed in by %(name)s") % {"name": self.typed_by}
        return self.label


@dataclass
class NominationMinutes:
    nomination: Nomination
    rows: list[MemberScores]
    criterion_means: list[Decimal | None]


@dataclass
class Heading:
    superior: str
    issuer: str
    party: str
    place_date: str
    title: str
    subtitle: str


@dataclass
class Minutes:
    conference: Conference
    heading: Heading
    criteria: list
    members: list[CouncilMember]
    nominations: list[NominationMinutes]
    with_scores: bool
    chair: CouncilMember | None = None
    secretary: CouncilMember | None = None

    @property
    def max_total(self) -> Decimal:
        return sum((c.max_points for c in self.criteria), Decimal(0))


def _date_line(conference: Conference) -> str:
    unit = conference.host_unit
    day = conference.held_on or (timezone.localdate(conference.closed_at) if conference.closed_at
                                 else timezone.localdate())
    return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
        "place": unit.short_name or unit.name, "day": f"{day.day:02d}", "month": f"{day.month:02d}",
        "year": day.year}


def heading_of(conference: Conference) -> Heading:
    """The Party heading block; the board's name comes from the settings (it changed in 2025)."""
    if conference.kind == ConferenceKind.YEARLY:
        what = _("Evaluation conference of the “Dân vận khéo” models and exemplars, year %(years)s")
    elif conference.kind == ConferenceKind.MIDTERM:
        what = _("Mid-phase review conference of the “Dân vận khéo” movement, period %(years)s")
    else:
        what = _("End-of-phase review conference of the “Dân vận khéo” movement, period %(years)s")
    return Heading(
        superior=_("Party committee of %(unit)s") % {"unit": conference.host_unit.name},
        issuer=settings.DANVAN_BOARD_NAME,
        party=_("Communist Party of Vietnam"),
        place_date=_date_line(conference),
        title=_("Minutes"),
        subtitle=what % {"years": conference.years_label},
    )


def _mean(values: list[Decimal]) -> Decimal | None:
    return (sum(values, Decimal(0)) / len(values)).quantize(Decimal("0.01")) if values else None


def minutes_of(conference: Conference, *, with_scores: bool = True) -> Minutes:
    members = list(CouncilMember.unscoped.filter(conference=conference).select_related("user", "organization")
                   .order_by(*COUNCIL_ORDER))
    criteria = list(conference.criteria_set.criteria.all())
    nominations = list(Nomination.unscoped.filter(conference=conference).select_related(*NOMINATION_RELATED)
                       .order_by("pk"))
    if conference.is_closed:  # by rank, the unscored ones (no rank) last
        nominations.sort(key=lambda n: (n.rank is None, n.rank or 0, n.pk))
    sheets = {}
    if with_scores:
        for sheet in (ScoreSheet.unscoped.filter(nomination__conference=conference)
                      .select_related("entered_by").prefetch_related("scores")):
            sheets[(sheet.nomination_id, sheet.member_id)] = sheet
    entries = []
    for nomination in nominations:
        rows = []
        for member in members:
            if member.is_recused_from(nomination):
                rows.append(MemberScores(member, RECUSED))
                continue
            sheet = sheets.get((nomination.pk, member.pk))
            if sheet is None:
                rows.append(MemberScores(member, MISSING))
                continue
            given = {score.criterion_id: score.points for score in sheet.scores.all()}
            rows.append(MemberScores(
                member, SUBMITTED if sheet.status == SheetStatus.SUBMITTED else DRAFT,
                points=[given.get(c.pk) for c in criteria], total=sheet.total,
                typed_by=person_name(sheet.entered_by) if sheet.entered_on_behalf else ""))
        submitted = [row for row in rows if row.state == SUBMITTED]
        means = [_mean([row.points[i] for row in submitted if row.points[i] is not None])
                 for i in range(len(criteria))]
        entries.append(NominationMinutes(nomination, rows, means))
    return Minutes(
        conference=conference, heading=heading_of(conference), criteria=criteria, members=members,
        nominations=entries, with_scores=with_scores,
        chair=next((m for m in members if m.role == "chair"), None),
        secretary=next((m for m in members if m.role == "secretary"), None),
    )


def file_name(conference: Conference) -> str:
    return f"bien-ban-{slugify(conference.host_unit.name) or 'hoi-nghi'}-{conference.years_label}-{conference.pk}.xlsx"


# --- The workbook -------------------------------------------------------------------------------------

THIN = Side(style="thin")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
WRAP = Alignment(vertical="top", wrap_text=True)


def put(ws, row: int, column: int, value, *, bold=False, italic=False, number_format=None, align=None,
        border=True):
    """Write one cell. Text is always text: a name or a title starting with = + - @ never becomes a formula
    (models_registry.workbook, shared with every export)."""
    cell = set_value(ws.cell(row=row, column=column), value)
    cell.font = Font(name=FONT, size=12, bold=bold, italic=italic)
    if number_format:
        cell.number_format = number_format
    cell.alignment = align or (CENTRE if bold else WRAP)
    if border:
        cell.border = BOX
    return cell


def _merged(ws, row: int, first: int, last: int, value, **style):
    cell = put(ws, row, first, value, border=False, align=CENTRE, **style)
    if last > first:
        ws.merge_cells(start_row=row, start_column=first, end_row=row, end_column=last)
    return cell


def _heading(ws, minutes: Minutes, width: int) -> int:
    """The heading block and the title; returns the next free row."""
    heading = minutes.heading
    left_end = max(2, width // 2 - 1)
    right_start = left_end + 1
    _merged(ws, 1, 1, left_end, heading.superior.upper())
    _merged(ws, 2, 1, left_end, heading.issuer.upper(), bold=True)
    _merged(ws, 3, 1, left_end, "*")
    _merged(ws, 1, right_start, width, heading.party.upper(), bold=True)
    # The rule under "ĐẢNG CỘNG SẢN VIỆT NAM": a bottom border on a narrow merged cell in the middle.
    middle = (right_start + width) // 2
    rule = ws.cell(row=2, column=middle)
    rule.border = Border(bottom=Side(style="thin"))
    _merged(ws, 3, right_start, width, heading.place_date, italic=True)
    _merged(ws, 5, 1, width, heading.title.upper(), bold=True)
    _merged(ws, 6, 1, width, heading.subtitle.upper(), bold=True)
    _merged(ws, 7, 1, width, minutes.conference.title, italic=True)
    return 9


def _yes(flag: bool) -> str:
    return "x" if flag else ""


def _setup(ws, header_row: int, widths: list[float]) -> None:
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    ws.print_title_rows = f"{header_row}:{header_row}"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = ws.ORIENTATION_LANDSCAPE
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.page_margins.top = ws.page_margins.bottom = 20 / 25.4
    ws.page_margins.left, ws.page_margins.right = 30 / 25.4, 15 / 25.4


def _summary_sheet(ws, minutes: Minutes) -> None:
    headers = [_("No."), _("Code"), _("Model or exemplar"), _("Organisation"), _("Sheets submitted"),
               _("Mean score"), _("Spread"), _("Wide disagreement"), _("Rating from the scores"),
               _("Rating decided by the council"), _("Reason"), _("Rank"), _("Recognised"),
               _("Proposed to the next level"), _("Proposed for commendation")]
    row = _heading(ws, minutes, len(headers))
    header_row = row
    for column, text in enumerate(headers, start=1):
        put(ws, row, column, text, bold=True)
    for number, entry in enumerate(minutes.nominations, start=1):
        n = entry.nomination
        row += 1
        values = [
            (number, COUNT_FORMAT), (n.initiative.code, None), (n.initiative.title, None),
            (n.initiative.organization.name, None), (n.sheets_submitted, COUNT_FORMAT),
            (n.mean_score, POINTS_FORMAT), (n.spread, POINTS_FORMAT), (_yes(n.disagreement), None),
            (str(n.computed_rating or ""), None), (str(n.override_rating or ""), None), (n.override_reason, None),
            (n.rank, COUNT_FORMAT), (_yes(n.recognised), None), (_yes(n.proposed_upward), None),
            (_yes(n.proposed_for_commendation), None),
        ]
        for column, (value, number_format) in enumerate(values, start=1):
            put(ws, row, column, value, number_format=number_format)
    _signatures(ws, minutes, row + 2, len(headers))
    _setup(ws, header_row, [6, 16, 40, 28, 10, 11, 11, 11, 14, 14, 28, 8, 11, 12, 12])
    ws.auto_filter.ref = f"A{header_row}:{get_column_letter(len(headers))}{max(row, header_row + 1)}"


def _detail_sheet(ws, minutes: Minutes) -> None:
    criteria = minutes.criteria
    headers = [_("No."), _("Code"), _("Model or exemplar"), _("Council member"), _("Role"),
               *[f"{c.name} ({points_text(c.max_points)})" for c in criteria],
               _("Total (%(max)s)") % {"max": points_text(minutes.max_total)}, _("Note")]
    row = _heading(ws, minutes, len(headers))
    header_row = row
    for column, text in enumerate(headers, start=1):
        put(ws, row, column, text, bold=True)
    first_score = 6
    total_column = first_score + len(criteria)
    for number, entry in enumerate(minutes.nominations, start=1):
        n = entry.nomination
        for scores in entry.rows:
            row += 1
            put(ws, row, 1, number, number_format=COUNT_FORMAT)
            put(ws, row, 2, n.initiative.code)
            put(ws, row, 3, n.initiative.title)
            put(ws, row, 4, person_name(scores.member.user))
            put(ws, row, 5, scores.member.get_role_display())
            for offset, points in enumerate(scores.points or [None] * len(criteria)):
                put(ws, row, first_score + offset, points, number_format=POINTS_FORMAT)
            put(ws, row, total_column, scores.total if scores.state != RECUSED else None,
                number_format=POINTS_FORMAT)
            put(ws, row, total_column + 1, scores.note)
        row += 1
        put(ws, row, 1, number, number_format=COUNT_FORMAT, bold=True)
        put(ws, row, 2, n.initiative.code, bold=True)
        put(ws, row, 3, n.initiative.title, bold=True, align=WRAP)
        put(ws, row, 4, _("Mean of %(count)s submitted sheets") % {"count": n.sheets_submitted}, bold=True,
            align=WRAP)
        put(ws, row, 5, "")
        for offset, mean in enumerate(entry.criterion_means):
            put(ws, row, first_score + offset, mean, number_format=POINTS_FORMAT, bold=True)
        put(ws, row, total_column, n.mean_score, number_format=POINTS_FORMAT, bold=True)
        put(ws, row, total_column + 1, _result_note(n), bold=True, align=WRAP)
    _setup(ws, header_row, [6, 16, 36, 24, 12, *[13] * len(criteria), 12, 40])


def _result_note(n: Nomination) -> str:
    parts = []
    if n.spread is not None:
        parts.append(_("spread %(spread)s points") % {"spread": points_text(n.spread)}
                     + (" — " + _("wide disagreement") if n.disagreement else ""))
    if n.rating_id:
        parts.append(_("rating: %(rating)s") % {"rating": n.rating})
    if n.rank:
        parts.append(_("rank %(rank)s") % {"rank": n.rank})
    for flag, label in (("recognised", _("recognised")), ("proposed_upward", _("proposed to the next level")),
                        ("proposed_for_commendation", _("proposed for commendation"))):
        if getattr(n, flag):
            parts.append(label)
    return "; ".join(parts)


def _signatures(ws, minutes: Minutes, row: int, width: int) -> None:
    half = width // 2
    for first, last, title, member in ((1, half, _("Secretary"), minutes.secretary),
                                       (half + 1, width, _("Chair of the council"), minutes.chair)):
        _merged(ws, row, first, last, title.upper(), bold=True)
        _merged(ws, row + 1, first, last, _("(Signature, full name)"), italic=True)
        _merged(ws, row + 5, first, last, person_name(member.user) if member else "", bold=True)


def minutes_workbook(minutes: Minutes) -> bytes:
    workbook = Workbook()
    summary = workbook.active
    summary.title = _("Summary")[:31]
    _summary_sheet(summary, minutes)
    _detail_sheet(workbook.create_sheet(_("Score sheets")[:31]), minutes)
    out = BytesIO()
    workbook.save(out)
    return out.getvalue()
