"""The import of models and exemplars of past years.

A model recognised in a past year arrives accepted on the day it was recognised (with the permission to import
records); a draft is registered for its organisation by those who may register for it. A row is found again by
its code or, without one, by its organisation, title and registration year: the same file imported twice changes
nothing, and a row that changes an initiative is written by services.initiative_update, under its rules.

What the rows refer to is read once for the whole file (the organisations they name, by number or by name and in
the importer's area, the initiatives their codes name, the models they replicate, the fields), so that checking a
row costs no query. The new initiatives are checked and written all at once by services.initiatives_import; the
preview asks the same service what it would refuse.
"""

from __future__ import annotations

import datetime

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import Truncator, capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from models_registry import policies, services
from models_registry.audit import display_value
from models_registry.models import (
    ActivityField,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    Organization,
)
from models_registry.resources import ActivityFieldWidget, InitiativeResource, cell_key, chunks
from models_registry.scoped_admin import (
    ChoiceLabelWidget,
    TextWidget,
    VietnameseDateWidget,
    VietnameseIntegerWidget,
    same_value,
)
from models_registry.text import fold_for_search

from .base import NEW, SKIP, UPDATE, Column, Importer, Plan, RowRefused, RowsRefused

PAST_STATUSES = (InitiativeStatus.ACCEPTED, InitiativeStatus.DRAFT)

HEADERS = {**InitiativeResource.header_labels, "decided_on": gettext_lazy("Date recognised (dd/mm/yyyy or year)")}
# The column of each model field a refusal may name.
FIELD_COLUMNS = {"replicated_from": "replicated_from_code", "organization": "organization_id",
                 "field": "field_code", "decided_at": "decided_on", "submitted_at": "decided_on"}



def cells() -> dict:
    """Column → (model field, how its cell is read), made for each import: a widget of choices keeps the labels
    of the language it first read in. The organisation, the source, the field and the status are read against
    what `prepare` found."""
    text = TextWidget()
    return {
        "title": ("title", text),
        "kind": ("kind", ChoiceLabelWidget(InitiativeKind.choices)),
        "person_name": ("person_name", text),
        "person_position": ("person_position", text),
        "origin": ("origin", ChoiceLabelWidget(InitiativeOrigin.choices)),
        "registration_year": ("registration_year", VietnameseIntegerWidget()),
        "start_date": ("start_date", VietnameseDateWidget()),
        "end_date": ("end_date", VietnameseDateWidget()),
        **{name: (name, text) for name in ("situation", "objectives", "content_methods", "area_beneficiaries",
                                           "participating_forces", "resources", "expected_outputs", "sustainability",
                                           "contact_name", "contact_phone", "contact_email")},
        "budget_amount": ("budget_amount", VietnameseIntegerWidget()),
    }
ORDER = ("code", "title", "kind", "person_name", "person_position", "origin", "replicated_from_code",
         "organization_id", "organization_name", "field_code", "registration_year", "start_date", "end_date",
         "situation", "objectives", "content_methods", "area_beneficiaries", "participating_forces", "resources",
         "budget_amount", "expected_outputs", "sustainability", "status", "decided_on")
HELP = {
    "code": gettext_lazy("The model's code in your records; leave empty to have one given (the model is then found "
                         "again by organisation, title and year)."),
    "organization_id": gettext_lazy("The organisation's number in the portal; or leave it empty and give its name "
                                    "in the next column."),
    "organization_name": gettext_lazy("The organisation's name, exactly as in the list of organisations."),
    "status": gettext_lazy("“accepted” for a model recognised in a past year; empty for a draft."),
    "decided_on": gettext_lazy("For an accepted model: the date it was recognised (or only the year)."),
    "registration_year": gettext_lazy("The year it was registered (from 2009)."),
    "field_code": gettext_lazy("One of the fields of activity."),
    "budget_amount": gettext_lazy("In đồng, e.g. 1.234.567."),
    "start_date": gettext_lazy("dd/mm/yyyy"),
    "end_date": gettext_lazy("dd/mm/yyyy"),
}
REQUIRED = ("title", "registration_year", "field_code")


def _header(name: str):
    return HEADERS[name] if name in HEADERS else capfirst(Initiative._meta.get_field(name).verbose_name)


def _choice_labels(choices):
    return lambda: [str(label) for _code, label in choices]


def _field_names():
    return list(ActivityField.objects.order_by("order", "pk").values_list("name", flat=True))


ALLOWED = {
    "kind": _choice_labels(InitiativeKind.choices),
    "origin": _choice_labels(InitiativeOrigin.choices),
    "status": lambda: [str(InitiativeStatus.ACCEPTED.label), str(InitiativeStatus.DRAFT.label)],
    "field_code": _field_names,
}


class InitiativeImporter(Importer):
    key = "mo-hinh"
    title = gettext_lazy("Models and exemplars")
    description = gettext_lazy("Registrations of past years: a model recognised then arrives accepted on the day it "
                               "was recognised (with the permission to import records).")
    permissions = (services.IMPORT_INITIATIVE_PERMISSION,)
    columns = [Column(name, _header(name), HELP.get(name, ""), required=name in REQUIRED, allowed=ALLOWED.get(name))
               for name in ORDER]
    # Contact details are entered by the organisation itself: not in the template, but read from a file that has
    # them (an export of the registry).
    also_read = [Column(name, _header(name)) for name in ("contact_name", "contact_phone", "contact_email")]

    def row_label(self, row) -> str:
        return " – ".join(part for part in (cell_key(row.get("code")), cell_key(row.get("title"))) if part)

    # --- What the file refers to, read once ------------------------------------------------------------------

    def prepare(self, rows):
        user = self.user
        self.headers = {column.name: column.label for column in [*self.get_columns(), *self.also_read]}
        visible = Organization.objects.visible_to(user).select_related("unit__parent")
        ids = {cell_key(row["organization_id"]) for row in rows} - {""}
        self.organizations = {}
        for part in chunks(value for value in ids if value.isdigit()):
            self.organizations.update({str(o.pk): o for o in visible.filter(pk__in=part)})
        # By name: the organisation's search text is its folded name (text.search_document).
        names = {fold_for_search(row["organization_name"]) for row in rows
                 if not cell_key(row["organization_id"]) and cell_key(row["organization_name"])}
        self.by_name = {}
        for part in chunks(f" {name} |" for name in names):
            for organization in visible.filter(search_text__in=part).order_by("pk"):
                self.by_name.setdefault(fold_for_search(organization.name), []).append(organization)
        initiatives = Initiative.unscoped.select_related("organization", "field", "replicated_from")
        codes = {cell_key(row["code"]) for row in rows} - {""}
        self.existing = {}
        for part in chunks(codes):
            self.existing.update({i.code: i for i in initiatives.filter(code__in=part)})
        self.found = self._found_by_title(rows, initiatives)
        matched = {i.pk for i in self.existing.values()} | {i.pk for i in self.found.values()}
        self.visible_ids = set()
        for part in chunks(matched):
            self.visible_ids.update(Initiative.objects.visible_to(user).filter(pk__in=part)
                                    .values_list("pk", flat=True))
        sources = {cell_key(row["replicated_from_code"]) for row in rows} - {""}
        self.sources = {}
        for part in chunks(sources):
            self.sources.update({i.code: i for i in Initiative.objects.replication_sources().filter(code__in=part)})
        self.fields = ActivityFieldWidget()
        self.cells = [(column, name, widget, Initiative._meta.get_field(name))
                      for column, (name, widget) in cells().items() if column in self.columns_in_file]
        self.statuses = ChoiceLabelWidget(InitiativeStatus.choices)
        self.may_import = bool(user and user.has_perm(services.IMPORT_INITIATIVE_PERMISSION))
        self.may_register, self.lines = {}, {}
        self.today = timezone.localdate()

    def _found_by_title(self, rows, initiatives) -> dict:
        """The initiatives that rows without a code name by organisation, title and year: {(organisation id,
        year, folded title): initiative}."""
        wanted = set()
        for row in rows:
            organization = None if cell_key(row["code"]) else self._organization(row, quiet=True)
            year = cell_key(row["registration_year"])
            if organization is not None and year.isdigit():
                wanted.add((organization.pk, int(year), fold_for_search(row["title"])))
        if not wanted:
            return {}
        years = {year for _org, year, _title in wanted}
        found = {}
        for part in chunks({org for org, _year, _title in wanted}):
            stored = Initiative.unscoped.filter(organization_id__in=part, registration_year__in=years).values_list(
                "pk", "organization_id", "registration_year", "search_text")
            for pk, org, year, text in stored:
                # The search text starts with the folded title (text.search_document); the newest one wins.
                key = (org, year, text[1:text.find(" |")] if " |" in text else "")
                if key in wanted and pk > found.get(key, 0):
                    found[key] = pk
        by_pk = {}
        for part in chunks(found.values()):
            by_pk.update({i.pk: i for i in initiatives.filter(pk__in=part)})
        return {key: by_pk[pk] for key, pk in found.items() if pk in by_pk}

    # --- Each row ------------------------------------------------------------------------------------------

    def _organization(self, row, quiet=False):
        number = cell_key(row["organization_id"])
        if number:
            organization = self.organizations.get(number)
            if organization is None and not quiet:
                raise RowRefused(("", _("organisation no. %(id)s is outside your area.") % {"id": number}))
            return organization
        name = cell_key(row["organization_name"])
        found = self.by_name.get(fold_for_search(name), []) if name else []
        if len(found) == 1 or quiet:
            return found[0] if len(found) == 1 else None
        column = self.headers["organization_name"]
        if not found:
            raise RowRefused(("", _("column “%(column)s”: there is no organisation “%(name)s” in your area.")
                              % {"column": column, "name": name}))
        raise RowRefused(("", _("column “%(column)s”: several organisations are named “%(name)s” (numbers %(ids)s); "
                                "give the number instead.")
                          % {"column": column, "name": name, "ids": ", ".join(str(o.pk) for o in found)}))

    def _status(self, row) -> str:
        try:
            status = self.statuses.clean(row["status"]) or InitiativeStatus.DRAFT
        except ValueError as error:
            raise RowRefused((self.headers["status"], str(error))) from None
        if status not in PAST_STATUSES:
            raise RowRefused(("", _("column “%(column)s”: only accepted models (recognised in past years) or drafts "
                                    "can be imported.") % {"column": self.headers["status"]}))
        return status

    def _decided_on(self, row) -> datetime.date:
        value = row["decided_on"]
        column = self.headers["decided_on"]
        text = cell_key(value)
        if text.isdigit() and len(text) == 4:
            day = datetime.date(int(text), 12, 31)
        else:
            try:
                day = VietnameseDateWidget().clean(value)
            except ValueError as error:
                raise RowRefused(("", _("column “%(column)s”: %(reason)s") % {"column": column,
                                                                             "reason": error})) from None
        if day is None:
            raise RowRefused(("", _("column “%(column)s”: give the date (or year) the model was recognised.")
                              % {"column": column}))
        return min(day, self.today)

    def check_row(self, number, row) -> Plan:
        organization = self._organization(row)
        status = self._status(row)
        code = cell_key(row["code"])
        year = cell_key(row["registration_year"])
        title = fold_for_search(row["title"])
        match = self.existing.get(code) if code else self.found.get(
            (organization.pk, int(year) if year.isdigit() else 0, title))
        key = code or (organization.pk, title, year)
        if key in self.lines:
            raise RowRefused(("", _("the same initiative is already on row %(line)s.") % {"line": self.lines[key]}))
        self.lines[key] = number
        decided_on = None
        if match is not None:
            if match.pk not in self.visible_ids:
                raise RowRefused(("", _("initiative %(code)s is outside your area.") % {"code": match.code}))
            if match.organization_id != organization.pk:
                raise RowRefused(("", _("the organisation of initiative %(code)s cannot be changed.")
                                  % {"code": match.code}))
        elif status == InitiativeStatus.ACCEPTED:
            if not self.may_import:
                raise RowRefused(("", _("only a board allowed to import records can bring in accepted models.")))
            decided_on = self._decided_on(row)
            if year.isdigit() and decided_on.year < int(year):
                raise RowRefused(("", _("column “%(column)s”: the model was recognised before it was registered "
                                        "(%(year)s).") % {"column": self.headers["decided_on"], "year": year}))
        else:
            if organization.pk not in self.may_register:
                self.may_register[organization.pk] = policies.can_register_for(self.user, organization)
            if not self.may_register[organization.pk]:
                raise RowRefused(("", _("you are not allowed to register new models; the organisation's own staff "
                                        "register them.")))
        values = self._values(row, match)
        if match is None:
            initiative = Initiative(organization=organization, code=code, status=status, **values)
            return Plan(NEW, payload=services.NewInitiative(initiative, decided_on))
        return self._change(match, values, status)

    def _values(self, row, match) -> dict:
        """The model's values the row gives (for a change: only the columns the file has)."""
        values, problems = {}, []
        for column, name, widget, field in self.cells:
            try:
                value = widget.clean(row[column])
            except (ValueError, ArithmeticError) as error:
                reason = str(error) if isinstance(error, ValueError) else ""
                problems.append((self.headers[column], reason or _("“%(value)s” cannot be read.")
                                 % {"value": row[column]}))
                continue
            values[name] = field.get_default() if value in (None, "") and field.has_default() else value
        if "field_code" in self.columns_in_file:
            try:
                values["field"] = self.fields.clean(row["field_code"])
            except ValueError as error:
                problems.append((self.headers["field_code"], str(error)))
        if "replicated_from_code" in self.columns_in_file:
            source = cell_key(row["replicated_from_code"])
            current = match.replicated_from if match is not None else None
            if not source:
                values["replicated_from"] = None
            elif current is not None and current.code == source:
                values["replicated_from"] = current  # unchanged: not judged again
            elif source in self.sources:
                values["replicated_from"] = self.sources[source]
            else:
                problems.append((self.headers["replicated_from_code"], _(
                    "the replicated model %(code)s is not an accepted model of the public catalogue.")
                    % {"code": source}))
        if problems:
            raise RowRefused(*problems)
        return values

    def _change(self, match: Initiative, values: dict, status: str) -> Plan:
        """An initiative the row finds again: unchanged, changed (what changes, said column by column), or
        refused by the rules of a change."""
        if status != match.status:
            if match.status == InitiativeStatus.ACCEPTED:
                raise RowRefused(("", _("initiative %(code)s is accepted; its status does not change by an import.")
                                  % {"code": match.code}))
            raise RowRefused(("", _("the status of initiative %(code)s changes only through its review.")
                              % {"code": match.code}))
        changed = {}
        for name, value in values.items():
            field = Initiative._meta.get_field(name)
            old = getattr(match, field.attname)
            new = value.pk if field.is_relation and value is not None else value
            if not same_value(old, new):
                changed[name] = value
        if not changed:
            return Plan(SKIP)
        if not policies.can_edit_registration(self.user, match):
            raise RowRefused(("", _(
                "initiative %(code)s is %(status)s; only its organisation can change it, and only as a draft or when "
                "returned. Columns changed in the file: %(columns)s.") % {
                "code": match.code, "status": match.get_status_display(),
                "columns": ", ".join(self.headers[self._column(name)] for name in changed)}))
        changed_copy = Initiative(**{f.attname: getattr(match, f.attname) for f in Initiative._meta.concrete_fields})
        for name, value in changed.items():
            setattr(changed_copy, name, value)
        error = services.initiative_validation_error(changed_copy)
        if error is not None:
            raise self.refusal(error)
        details = [_("%(column)s: “%(old)s” → “%(new)s”") % {
            "column": self.headers[self._column(name)], "old": _short(display_value(match, name)),
            "new": _short(display_value(changed_copy, name))} for name in changed]
        return Plan(UPDATE, details=details, payload=(match, changed))

    @staticmethod
    def _column(name: str) -> str:
        return FIELD_COLUMNS.get(name, name)

    def refusal(self, error) -> RowRefused:
        """A refusal of the registry's services, each reason under the column it concerns."""
        if not isinstance(error, ValidationError):
            return RowRefused(("", str(error)))
        if not hasattr(error, "error_dict"):
            return RowRefused(*[("", message) for message in error.messages])
        problems = []
        for name, messages in error.message_dict.items():
            header = self.headers.get(self._column(name), "")
            problems += [(header, message) for message in messages]
        return RowRefused(*problems)

    # --- The whole file ------------------------------------------------------------------------------------

    def check_all(self, plans, *, writing):
        if writing:
            return {}  # services.initiatives_import checks them in its transaction
        new = [plan for plan in plans if plan.kind == NEW]
        refusals = services.initiatives_import_refusals(acting_user=self.user, items=[plan.payload for plan in new])
        return {new[index].number: self.refusal(error) for index, error in refusals.items()}

    def write(self, plans):
        new = [plan for plan in plans if plan.kind == NEW]
        try:
            services.initiatives_import(acting_user=self.user, items=[plan.payload for plan in new])
        except services.ImportRefused as refused:
            raise RowsRefused({new[index].number: self.refusal(error)
                               for index, error in refused.refusals.items()}) from None
        for plan in plans:
            if plan.kind == UPDATE:
                match, changed = plan.payload
                # As it was read for this check: an edit saved since then is refused (StaleEditError).
                services.initiative_update(initiative=match, acting_user=self.user, values=changed,
                                           expected_version=match.version)


def _short(text: str) -> str:
    return Truncator(text).chars(80)
