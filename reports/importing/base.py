"""What every import of past records shares: its columns, the outcome of each row, preview and run.

A file is read through models_registry.files (size, zip bomb, encoding). Every row is checked before anything
is written; the preview is that check alone. Running an import checks again, and writes only when no row is
refused, all rows in one transaction: one bad row writes nothing of the file. Rows are matched by their codes
or keys, so a file imported twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from models_registry.files import Table
from models_registry.scoped_admin import PREVIEW_ROWS, row_messages
from models_registry.text import fold_for_search

NEW, UPDATE, SKIP, INVALID = "new", "update", "skip", "invalid"


@dataclass
class Column:
    """One column of an import file: its key, its Vietnamese header, what it holds and what it accepts."""

    name: str
    header: object  # a lazy translation
    help: object = ""
    required: bool = False
    example: object = ""
    allowed: Callable[[], list[str]] | None = None

    @property
    def label(self) -> str:
        return str(self.header)


class RowRefused(Exception):
    """A row that cannot be imported: (column header, reason) pairs; an empty header is the whole row."""

    def __init__(self, *problems: tuple[str, str]):
        super().__init__(problems)
        self.problems = list(problems)


class RowsRefused(Exception):
    """Raised by `write` when the writer's own checks refuse rows: {row number: RowRefused}. Nothing is written."""

    def __init__(self, refusals: dict[int, RowRefused]):
        super().__init__(refusals)
        self.refusals = refusals


@dataclass
class RowOutcome:
    number: int
    kind: str  # new, update, skip, invalid
    label: str = ""
    details: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    """What a preview shows and what a run did."""

    rows: list[RowOutcome]
    encoding: str = ""
    written: bool = False
    error: str = ""  # a refusal of the whole file (a missing column) or of the write

    @property
    def counts(self) -> dict:
        counts = {NEW: 0, UPDATE: 0, SKIP: 0, "refused": 0}
        for row in self.rows:
            counts["refused" if row.kind == INVALID else row.kind] += 1
        return counts

    @property
    def refused(self) -> bool:
        return bool(self.error) or any(row.kind == INVALID for row in self.rows)

    @property
    def shown(self) -> list[RowOutcome]:
        """Refused rows first, then new, then changed; unchanged rows are counted, not listed."""
        order = {INVALID: 0, NEW: 1, UPDATE: 2}
        rows = sorted((row for row in self.rows if row.kind in order), key=lambda r: (order[r.kind], r.number))
        return rows[:PREVIEW_ROWS]

    @property
    def more(self) -> int:
        return max(0, sum(1 for row in self.rows if row.kind != SKIP) - PREVIEW_ROWS)

    def as_preview(self) -> dict:
        """What the admin's preview table (admin/import_export/import_preview.html) reads."""
        return {"counts": self.counts, "rows": self.shown, "more": self.more, "total": len(self.rows),
                "encoding": self.encoding}

    def messages(self) -> list[str]:
        """Each refused row's reasons, "Dòng 3 – cột “Năm”: …" (used by tests and the command line)."""
        lines = [self.error] if self.error else []
        for row in self.rows:
            if row.kind == INVALID:
                lines += [_("Row %(row)s – %(reason)s") % {"row": row.number, "reason": detail}
                          for detail in row.details]
        return lines


def problem_text(column: str, reason: str) -> str:
    if column:
        return _("column “%(column)s”: %(reason)s") % {"column": column, "reason": reason}
    return reason


@dataclass
class Plan:
    """A checked row: what it will do, and the work to do when the import runs."""

    kind: str
    label: str = ""
    details: list[str] = field(default_factory=list)
    payload: object = None
    number: int = 0  # the row's, set when the file is checked


class Importer:
    """An import of one kind of record. Subclasses give the columns, `check_row` and `write`."""

    do_not_call_in_templates = True  # templates read the class's key and title
    key = ""
    title: object = ""
    description: object = ""
    columns: list[Column] = []
    # Columns read when a file has them but not offered in the template.
    also_read: list[Column] = []
    # The permissions the importer needs (all of them); the scope is checked row by row.
    permissions: tuple[str, ...] = ()

    def __init__(self, user):
        self.user = user

    @classmethod
    def allowed(cls, user) -> bool:
        return bool(user and user.is_active and all(user.has_perm(code) for code in cls.permissions))

    def get_columns(self) -> list[Column]:
        return list(self.columns)

    # --- Reading the file ---------------------------------------------------------------------------------

    def rows_of(self, table: Table) -> list[dict]:
        """The rows as {column name: value}, the file's headers matched to the columns (Vietnamese headers,
        with or without accents, or the column names)."""
        columns = [*self.get_columns(), *self.also_read]
        known = {}
        for column in columns:
            known[fold_for_search(column.label)] = column.name
            known[fold_for_search(column.name)] = column.name
        headers = [known.get(fold_for_search(header or "")) for header in table.dataset.headers or []]
        missing = [column.label for column in columns if column.required and column.name not in headers]
        if missing:
            raise ValidationError(_("The file has no column “%(columns)s”. Download the template of this import "
                                    "and copy the data into it.") % {"columns": "”, “".join(missing)})
        self.columns_in_file = set(headers) - {None}
        empty = {column.name: None for column in columns}
        named = [(index, name) for index, name in enumerate(headers) if name]
        rows = []
        for values in table.dataset:
            row = dict(empty)
            for index, name in named:
                value = values[index] if index < len(values) else None
                row[name] = value.strip() if isinstance(value, str) else value
            rows.append(row)
        return rows

    # --- Checking and writing -----------------------------------------------------------------------------

    def prepare(self, rows: list[dict]) -> None:
        """Read once what the rows refer to."""

    def check_row(self, number: int, row: dict) -> Plan:
        raise NotImplementedError

    def check_all(self, plans: list[Plan], *, writing: bool) -> dict[int, RowRefused]:
        """Checks of the rows that passed `check_row`, all at once (by row number): the writer's rules, say, read
        once for the file. When `writing`, an importer whose `write` checks them itself (and raises RowsRefused)
        need not check them twice."""
        return {}

    def write(self, plans: list[Plan]) -> None:
        raise NotImplementedError

    def _check(self, table: Table, *, writing: bool = False) -> tuple[ImportReport, list[Plan]]:
        try:
            rows = self.rows_of(table)
        except ValidationError as error:
            return ImportReport([], table.encoding, error=" ".join(error.messages)), []
        self.prepare(rows)
        outcomes, plans = [], []
        for number, row in enumerate(rows, start=1):
            try:
                plan = self.check_row(number, row)
            except RowRefused as refusal:
                outcomes.append(_refused(number, self.row_label(row), refusal))
                continue
            plan.number = number
            outcomes.append(RowOutcome(number, plan.kind, plan.label or self.row_label(row), plan.details))
            plans.append(plan)
        # Nothing is written once a row is refused: the whole report is then checked, as by the preview.
        refusals = self.check_all(plans, writing=writing and len(plans) == len(outcomes))
        report = ImportReport(outcomes, table.encoding)
        if refusals:
            _mark_refused(report, refusals)
            plans = [plan for plan in plans if plan.number not in refusals]
        return report, plans

    def row_label(self, row: dict) -> str:
        return ""

    def preview(self, table: Table) -> ImportReport:
        """Every row's outcome; nothing is written."""
        report, _plans = self._check(table)
        return report

    def run(self, table: Table) -> ImportReport:
        """Check every row again and write them all, or nothing when one is refused."""
        report, plans = self._check(table, writing=True)
        if report.refused:
            return report
        try:
            with transaction.atomic():
                self.write([plan for plan in plans if plan.kind != SKIP])
        except RowsRefused as refused:
            _mark_refused(report, refused.refusals)
            return report
        except (ValidationError, PermissionDenied) as error:
            report.error = _("Nothing was imported: %(reason)s") % {
                "reason": " ".join(row_messages(error)) if isinstance(error, ValidationError) else str(error)}
            return report
        report.written = True
        return report


def _refused(number: int, label: str, refusal: RowRefused) -> RowOutcome:
    return RowOutcome(number, INVALID, label, [problem_text(column, reason) for column, reason in refusal.problems])


def _mark_refused(report: ImportReport, refusals: dict[int, RowRefused]) -> None:
    for index, outcome in enumerate(report.rows):
        if outcome.number in refusals:
            report.rows[index] = _refused(outcome.number, outcome.label, refusals[outcome.number])


class ResourceImporter(Importer):
    """An import run by a django-import-export resource (its rows checked by the resource, one transaction,
    rolled back when a row is refused)."""

    resource_class = None

    def resource(self):
        return self.resource_class(user=self.user)

    def get_columns(self) -> list[Column]:
        resource = self.resource()
        helps = {column.name: column for column in self.columns}
        columns = []
        for resource_field in resource.get_import_fields():
            if resource_field.column_name in helps:
                columns.append(helps[resource_field.column_name])
        for column in self.columns:  # columns the resource reads in before_import_row only
            if column not in columns:
                columns.append(column)
        return columns

    def _import(self, table: Table, dry_run: bool) -> ImportReport:
        resource = self.resource()
        dataset = table.dataset
        try:
            result = resource.import_data(dataset, dry_run=dry_run, raise_errors=False, use_transactions=True,
                                          rollback_on_validation_errors=True, user=self.user)
        except ValidationError as error:
            return ImportReport([], table.encoding, error=" ".join(error.messages))
        rows = []
        for row in result.rows:
            number = getattr(row, "number", 0)
            kind = {"new": NEW, "update": UPDATE, "skip": SKIP, "invalid": INVALID, "error": INVALID}.get(
                row.import_type, SKIP)
            if row.import_type == "invalid":
                details = row_messages(row.validation_error)
            elif row.import_type == "error":
                details = [str(error.error) for error in row.errors]
            else:
                details = [*getattr(row, "changes", []), *getattr(row, "notes", [])]
            rows.append(RowOutcome(number, kind, getattr(row, "label", "") or row.object_repr or "",
                                   [_strip_row_prefix(detail, number) for detail in details]))
        report = ImportReport(rows, table.encoding)
        if result.base_errors:
            report.error = " ".join(str(error.error) for error in result.base_errors)
        if not dry_run and not report.refused:
            report.written = True
        return report

    def preview(self, table: Table) -> ImportReport:
        return self._import(table, dry_run=True)

    def run(self, table: Table) -> ImportReport:
        report = self._import(table, dry_run=True)
        if report.refused:
            return report
        # The file is read again: a dataset is consumed by the preview's header mapping.
        return self._import(table, dry_run=False)


def _strip_row_prefix(detail: str, number: int) -> str:
    """The resources write "Dòng 3: …"; the outcome already carries the row."""
    prefix = _("Row %(row)s: %(reason)s") % {"row": number, "reason": ""}
    return detail[len(prefix):] if detail.startswith(prefix) else detail
