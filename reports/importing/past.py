"""Imports of past evaluation results and past commendations: each row writes several records (a conference
and its result, a decision and its recipient), through the services that own them
(evaluations.services.record_past_results, awards.services.record_past_commendation)."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from awards.models import AwardForm, Commendation, RecipientKind
from awards.policies import can_record_past as can_record_commendation
from awards.services import eligibility_errors, find_past_decision, past_result_for, record_past_commendation
from evaluations.models import ConferenceKind, Nomination, Rating
from evaluations.policies import can_record_past as can_record_conference
from evaluations.services import find_past_conference, past_result_refusal, record_past_results
from models_registry.formatting import vnd
from models_registry.models import Initiative, InitiativeStatus, Organization, UnitLevel
from models_registry.resources import cell_key, chunks
from models_registry.scope import UserScope, in_subtree
from models_registry.scoped_admin import ChoiceLabelWidget, VietnameseDateWidget, YesNoWidget, parse_number
from models_registry.text import fold_for_search

from ..legacy_units import LegacyUnits, match_unit
from .base import NEW, SKIP, UPDATE, Column, Importer, Plan, RowRefused

REFORM_YEAR = 2025  # from 1 July 2025 conferences are held on today's map
_YEARS = re.compile(r"^\s*(\d{4})\s*(?:[-–—/]|đến|den|to)?\s*(\d{4})?\s*$")


def parse_years(value) -> tuple[int, int] | None:
    """"2019" → (2019, 2019); "2016–2020", "2016-2020", "2016 đến 2020" → (2016, 2020)."""
    text = cell_key(value)
    found = _YEARS.match(text)
    if not found:
        return None
    start = int(found.group(1))
    end = int(found.group(2) or start)
    return (start, end) if 2009 <= start <= end <= 2100 else None


def _yes_no(row, name, header):
    try:
        return bool(YesNoWidget().clean(row.get(name)))
    except ValueError as error:
        raise RowRefused((str(header), str(error))) from None


def _labels(choices):
    return lambda: [str(label) for _code, label in choices]


# --- Past evaluation results -------------------------------------------------------------------------------

H = {
    "conference_title": gettext_lazy("Conference"),
    "years": gettext_lazy("Year (or years)"),
    "kind": gettext_lazy("Kind of conference"),
    "level": gettext_lazy("Level"),
    "host_unit": gettext_lazy("Host unit"),
    "host_district": gettext_lazy("District of the host (before 1/7/2025)"),
    "host_province": gettext_lazy("Province of the host"),
    "held_on": gettext_lazy("Date held"),
    "initiative_code": gettext_lazy("Initiative code"),
    "rating": gettext_lazy("rating"),
    "recognised": gettext_lazy("recognised at this level"),
    "proposed_upward": gettext_lazy("proposed to the next level"),
    "proposed_for_commendation": gettext_lazy("proposed for commendation"),
}


class PastResultsImporter(Importer):
    key = "ket-qua-danh-gia"
    title = gettext_lazy("Past evaluation results")
    description = gettext_lazy("Results of conferences held before the portal: each conference is recorded as "
                               "closed, with its ratings, and the catalogue shows them.")
    permissions = ("models_registry.import_initiative", "evaluations.add_conference")
    columns = [
        Column("conference_title", H["conference_title"], gettext_lazy("The conference's name, the same on every row "
                                                                      "of one conference."), required=True,
               example="Hội nghị đánh giá mô hình Dân vận khéo năm 2019"),
        Column("years", H["years"], gettext_lazy("One year (2019) or a range for a review (2016-2020)."),
               required=True, example="2019"),
        Column("kind", H["kind"], gettext_lazy("Empty: yearly for one year, end-of-phase review for a range."),
               allowed=_labels(ConferenceKind.choices), example=ConferenceKind.YEARLY.label),
        Column("level", H["level"], gettext_lazy("The host's level (helps when names repeat)."),
               allowed=_labels(UnitLevel.choices), example=UnitLevel.DISTRICT.label),
        Column("host_unit", H["host_unit"], gettext_lazy("The province, district or commune that held it, as it was "
                                                         "named then (before 1/7/2025 for earlier years)."),
               required=True, example="Huyện Minh Long"),
        Column("host_district", H["host_district"], gettext_lazy("For a commune host: its district then.")),
        Column("host_province", H["host_province"], gettext_lazy("The host's province then."),
               example="Tỉnh Quảng Ngãi"),
        Column("held_on", H["held_on"], gettext_lazy("dd/mm/yyyy"), example="20/12/2019"),
        Column("initiative_code", H["initiative_code"], gettext_lazy("The model's code in the portal."),
               required=True, example="DVK-51-2019-00012"),
        Column("rating", H["rating"], gettext_lazy("One of the steps of the rating scale."),
               allowed=lambda: list(Rating.objects.order_by("-min_percent").values_list("name", flat=True)),
               example="Tiêu biểu"),
        Column("recognised", H["recognised"], gettext_lazy("Có or Không."), example="Có"),
        Column("proposed_upward", H["proposed_upward"], gettext_lazy("Có or Không."), example="Không"),
        Column("proposed_for_commendation", H["proposed_for_commendation"], gettext_lazy("Có or Không."),
               example="Không"),
    ]

    def prepare(self, rows):
        self.legacy = LegacyUnits()
        self.hosts, self.conferences, self.seen = {}, {}, {}
        self.ratings = {fold_for_search(r.name): r for r in Rating.objects.all()}
        codes = {cell_key(row.get("initiative_code")) for row in rows} - {""}
        self.initiatives = {}
        for part in chunks(codes):
            self.initiatives.update({i.code: i for i in Initiative.objects.visible_to(self.user)
                                     .select_related("unit").filter(code__in=part)})

    def row_label(self, row) -> str:
        return " – ".join(part for part in (cell_key(row.get("initiative_code")), cell_key(row.get("conference_title")),
                                             cell_key(row.get("years"))) if part)

    def _host(self, row, years):
        level = None
        if cell_key(row.get("level")):
            try:
                level = int(ChoiceLabelWidget(UnitLevel.choices).clean(row.get("level")))
            except ValueError as error:
                raise RowRefused((str(H["level"]), str(error))) from None
        key = (fold_for_search(row.get("host_unit")), fold_for_search(row.get("host_district")),
               fold_for_search(row.get("host_province")), level, years[1] < REFORM_YEAR)
        if key not in self.hosts:
            self.hosts[key] = match_unit(name=row.get("host_unit") or "", district=row.get("host_district") or "",
                                         province=row.get("host_province") or "", level=level,
                                         current_first=years[1] >= REFORM_YEAR, legacy=self.legacy)
        match = self.hosts[key]
        if match.unit is None:
            raise RowRefused((str(H["host_unit"]), match.error))
        return match.unit

    def check_row(self, number, row) -> Plan:
        years = parse_years(row.get("years"))
        if years is None:
            raise RowRefused((str(H["years"]), _("“%(value)s” is not a year or a range of years (e.g. 2019 or "
                                                  "2016-2020).") % {"value": cell_key(row.get("years"))}))
        if cell_key(row.get("kind")):
            try:
                kind = ChoiceLabelWidget(ConferenceKind.choices).clean(row.get("kind"))
            except ValueError as error:
                raise RowRefused((str(H["kind"]), str(error))) from None
        else:
            kind = ConferenceKind.YEARLY if years[0] == years[1] else ConferenceKind.FINAL
        if kind == ConferenceKind.YEARLY and years[0] != years[1]:
            raise RowRefused((str(H["years"]), _("a yearly evaluation covers one year.")))
        title = cell_key(row.get("conference_title"))
        if not title:
            raise RowRefused((str(H["conference_title"]), _("this cell is empty.")))
        host = self._host(row, years)
        if not can_record_conference(self.user, host):
            raise RowRefused((str(H["host_unit"]), _("“%(unit)s” is outside your area.") % {
                "unit": self.legacy.label(host) if not host.edition.is_current else host.name}))
        try:
            held_on = VietnameseDateWidget().clean(row.get("held_on"))
        except ValueError as error:
            raise RowRefused((str(H["held_on"]), str(error))) from None
        conference_key = (host.pk, kind, years[0], years[1], fold_for_search(title))
        if conference_key not in self.conferences:
            existing = find_past_conference(host_unit=host, kind=kind, year_from=years[0], year_to=years[1],
                                            title=title)
            self.conferences[conference_key] = (existing, past_result_refusal(existing))
        conference, refusal = self.conferences[conference_key]
        if refusal:
            raise RowRefused((str(H["conference_title"]), refusal))
        code = cell_key(row.get("initiative_code"))
        initiative = self.initiatives.get(code)
        if initiative is None:
            known = bool(code) and Initiative.unscoped.filter(code=code).exists()
            raise RowRefused((str(H["initiative_code"]), _("initiative %(code)s is outside your area.") % {"code": code}
                              if known else _("there is no initiative with code “%(code)s”.") % {"code": code}))
        if initiative.status != InitiativeStatus.ACCEPTED:
            raise RowRefused((str(H["initiative_code"]), _("%(code)s is not an accepted model (import it as accepted "
                                                           "first).") % {"code": code}))
        if not in_subtree(initiative.unit, host):
            raise RowRefused((str(H["initiative_code"]), _("%(code)s is outside the area of %(unit)s.") % {
                "code": code, "unit": host.name}))
        rating = None
        if cell_key(row.get("rating")):
            rating = self.ratings.get(fold_for_search(row.get("rating")))
            if rating is None:
                raise RowRefused((str(H["rating"]), _("“%(value)s” is not one of: %(choices)s.") % {
                    "value": cell_key(row.get("rating")),
                    "choices": "; ".join(r.name for r in sorted(self.ratings.values(),
                                                                 key=lambda r: -r.min_percent))}))
        values = {"rating": rating,
                  "recognised": _yes_no(row, "recognised", H["recognised"]),
                  "proposed_upward": _yes_no(row, "proposed_upward", H["proposed_upward"]),
                  "proposed_for_commendation": _yes_no(row, "proposed_for_commendation",
                                                       H["proposed_for_commendation"])}
        if values["proposed_upward"] and host.parent_id is None:
            raise RowRefused((str(H["proposed_upward"]), _("this conference is already at the highest level.")))
        seen_key = (conference_key, initiative.pk)
        if seen_key in self.seen:
            raise RowRefused(("", _("%(code)s is already on row %(line)s for this conference.")
                              % {"code": code, "line": self.seen[seen_key]}))
        self.seen[seen_key] = number
        kind_of_row, details = NEW, []
        if conference is not None:
            nomination = Nomination.unscoped.filter(conference=conference, initiative=initiative).first()
            if nomination is not None:
                details = [_("%(column)s: “%(old)s” → “%(new)s”") % {
                    "column": H[name], "old": _shown(getattr(nomination, name)), "new": _shown(value)}
                    for name, value in values.items() if getattr(nomination, name) != value]
                kind_of_row = UPDATE if details else SKIP
        elif not any(key == conference_key for key, _pk in list(self.seen)[:-1]):
            details = [_("new closed conference: %(title)s (%(years)s), %(unit)s") % {
                "title": title, "years": cell_key(row.get("years")), "unit": host.name}]
        return Plan(kind_of_row, details=details, payload={
            "conference_key": conference_key, "title": title, "kind": kind, "years": years, "host": host,
            "held_on": held_on, "result": {"initiative": initiative, **values}})

    def write(self, plans):
        groups = {}
        for plan in plans:
            groups.setdefault(plan.payload["conference_key"], []).append(plan.payload)
        for payloads in groups.values():
            first = payloads[0]
            record_past_results(acting_user=self.user, title=first["title"], kind=first["kind"],
                                year_from=first["years"][0], year_to=first["years"][1], host_unit=first["host"],
                                held_on=first["held_on"], results=[p["result"] for p in payloads])


def _shown(value) -> str:
    if isinstance(value, bool):
        return str(_("Yes") if value else _("No"))
    return "" if value is None else str(value)


# --- Past commendations ------------------------------------------------------------------------------------

C = {
    "decision_number": gettext_lazy("decision number"),
    "decision_date": gettext_lazy("decision date"),
    "signer": gettext_lazy("signed by"),
    "authority": gettext_lazy("issuing authority"),
    "award_form": gettext_lazy("award form"),
    "recipient_kind": gettext_lazy("recipient"),
    "organization": gettext_lazy("organisation"),
    "person_name": gettext_lazy("full name"),
    "person_position": gettext_lazy("position"),
    "initiative_code": gettext_lazy("Initiative code"),
    "year": gettext_lazy("year"),
    "prize": gettext_lazy("prize (VND)"),
}


class CommendationImporter(Importer):
    key = "khen-thuong"
    title = gettext_lazy("Past commendations")
    description = gettext_lazy("Decisions taken before the portal, with their recipients: entered as approved, "
                               "each recipient checked against the rules of its award form.")
    permissions = ("models_registry.import_initiative", "awards.add_decision")
    columns = [
        Column("decision_number", C["decision_number"], gettext_lazy("As written on the decision."), required=True,
               example="125/QĐ-UBND"),
        Column("decision_date", C["decision_date"], gettext_lazy("dd/mm/yyyy"), required=True, example="15/01/2020"),
        Column("signer", C["signer"], gettext_lazy("Who signed it."), required=True, example="Nguyễn Văn An"),
        Column("authority", C["authority"], gettext_lazy("Empty: the award form's authority.")),
        Column("award_form", C["award_form"], gettext_lazy("One of the award forms."), required=True,
               allowed=lambda: list(AwardForm.objects.order_by("order", "pk").values_list("name", flat=True))),
        Column("recipient_kind", C["recipient_kind"], gettext_lazy("Collective or individual."), required=True,
               allowed=_labels(RecipientKind.choices), example=RecipientKind.COLLECTIVE.label),
        Column("organization", C["organization"], gettext_lazy("The collective, or the individual's organisation, as "
                                                               "named in the list of organisations (empty: the model's "
                                                               "organisation).")),
        Column("person_name", C["person_name"], gettext_lazy("For an individual.")),
        Column("person_position", C["person_position"], gettext_lazy("For an individual.")),
        Column("initiative_code", C["initiative_code"], gettext_lazy("The model the commendation is for (needed "
                                                                     "when the form requires a rating).")),
        Column("year", C["year"], gettext_lazy("The year commended (empty: the decision's year)."), example="2019"),
        Column("prize", C["prize"], gettext_lazy("In đồng, e.g. 1.490.000."), example="1.490.000"),
    ]

    def prepare(self, rows):
        self.unit = UserScope.of(self.user).unit
        self.forms = {}
        for form in AwardForm.objects.select_related("min_rating"):
            self.forms[fold_for_search(form.name)] = form
        names = {fold_for_search(row.get("organization")) for row in rows} - {""}
        self.organizations = {}
        if names:
            for organization in Organization.objects.visible_to(self.user).select_related("unit"):
                folded = fold_for_search(organization.name)
                if folded in names:
                    self.organizations.setdefault(folded, []).append(organization)
        codes = {cell_key(row.get("initiative_code")) for row in rows} - {""}
        self.initiatives = {}
        for part in chunks(codes):
            self.initiatives.update({i.code: i for i in Initiative.objects.visible_to(self.user)
                                     .select_related("organization", "organization__unit").filter(code__in=part)})
        self.decisions, self.seen = {}, {}

    def row_label(self, row) -> str:
        recipient = cell_key(row.get("person_name")) or cell_key(row.get("organization"))
        return " – ".join(part for part in (cell_key(row.get("decision_number")), recipient) if part)

    def check_row(self, number, row) -> Plan:
        text = {name: cell_key(row.get(name)) for name in C}
        for name in ("decision_number", "signer", "award_form", "recipient_kind"):
            if not text[name]:
                raise RowRefused((str(C[name]), _("this cell is empty.")))
        try:
            date = VietnameseDateWidget().clean(row.get("decision_date"))
        except ValueError as error:
            raise RowRefused((str(C["decision_date"]), str(error))) from None
        if date is None:
            raise RowRefused((str(C["decision_date"]), _("this cell is empty.")))
        form = self.forms.get(fold_for_search(text["award_form"]))
        if form is None:
            raise RowRefused((str(C["award_form"]), _("“%(value)s” is not one of: %(choices)s.") % {
                "value": text["award_form"], "choices": "; ".join(f.name for f in self.forms.values())}))
        try:
            kind = ChoiceLabelWidget(RecipientKind.choices).clean(text["recipient_kind"])
        except ValueError as error:
            raise RowRefused((str(C["recipient_kind"]), str(error))) from None
        initiative = None
        if text["initiative_code"]:
            initiative = self.initiatives.get(text["initiative_code"])
            if initiative is None:
                raise RowRefused((str(C["initiative_code"]), _("there is no initiative with code “%(code)s” in your "
                                                               "area.") % {"code": text["initiative_code"]}))
        organization = self._organization(text["organization"], initiative)
        if kind == RecipientKind.INDIVIDUAL and not text["person_name"]:
            raise RowRefused((str(C["person_name"]), _("an individual's commendation names the person.")))
        year = date.year
        if text["year"]:
            if not (text["year"].isdigit() and 2009 <= int(text["year"]) <= date.year):
                raise RowRefused((str(C["year"]), _("“%(value)s” is not a year between 2009 and the decision's year.")
                                  % {"value": text["year"]}))
            year = int(text["year"])
        prize = None
        if text["prize"]:
            try:
                prize = parse_number(row.get("prize"))
            except ValueError as error:
                raise RowRefused((str(C["prize"]), str(error))) from None
            if prize < 0 or prize != prize.to_integral_value():
                raise RowRefused((str(C["prize"]), _("a prize is a whole number of đồng.")))
            prize = int(prize)
        if not can_record_commendation(self.user, organization):
            raise RowRefused((str(C["organization"]), _("“%(name)s” is outside your area.") % {
                "name": organization.name}))
        decision_key = (fold_for_search(text["decision_number"]), date)
        if decision_key not in self.decisions:
            existing = find_past_decision(issuing_unit=self.unit, number=text["decision_number"], date=date) \
                if self.unit else None
            self.decisions[decision_key] = (existing, form.pk, number)
        existing, form_pk, first_line = self.decisions[decision_key]
        if existing is not None and existing.award_form_id != form.pk:
            raise RowRefused((str(C["award_form"]), _("decision %(number)s of %(date)s grants “%(form)s”.") % {
                "number": text["decision_number"], "date": f"{date:%d/%m/%Y}", "form": existing.award_form.name}))
        if form_pk != form.pk:
            raise RowRefused((str(C["award_form"]), _("row %(line)s gives this decision another award form: one "
                                                      "decision grants one form.") % {"line": first_line}))
        commendation = Commendation(recipient_kind=kind, organization=organization, initiative=initiative,
                                    person_name=text["person_name"] if kind == RecipientKind.INDIVIDUAL else "",
                                    person_position=text["person_position"] if kind == RecipientKind.INDIVIDUAL
                                    else "", year=year, award_form=form, prize_amount=prize)
        if form.min_rating_id:
            commendation.nomination = past_result_for(initiative, year)
        recipient_key = (form.pk, year, organization.pk, kind, fold_for_search(commendation.person_name))
        if recipient_key in self.seen:
            raise RowRefused(("", _("%(recipient)s is already on row %(line)s.") % {
                "recipient": commendation.recipient_name, "line": self.seen[recipient_key]}))
        self.seen[recipient_key] = number
        payload = {"decision_key": decision_key, "number": text["decision_number"], "date": date,
                   "signer": text["signer"], "authority": text["authority"], "form": form,
                   "commendation": commendation}
        if existing is not None and existing.commendations.filter(
                award_form=form, year=year, organization=organization, recipient_kind=kind).exists() and any(
                fold_for_search(c.person_name) == recipient_key[4] for c in existing.commendations.filter(
                    organization=organization, recipient_kind=kind, year=year)):
            return Plan(SKIP, payload=payload)
        problems = eligibility_errors(commendation, on=date, approving=True)
        if problems:
            raise RowRefused(*[(str(C["award_form"]), problem) for problem in problems])
        details = [_("%(form)s, decision %(number)s of %(date)s%(prize)s") % {
            "form": form.name, "number": text["decision_number"], "date": f"{date:%d/%m/%Y}",
            "prize": f", {vnd(prize)}" if prize is not None else ""}]
        return Plan(NEW, details=details, payload=payload)

    def _organization(self, name: str, initiative):
        if not name:
            if initiative is None:
                raise RowRefused((str(C["organization"]), _("give the organisation, or the model's code.")))
            return initiative.organization
        found = self.organizations.get(fold_for_search(name), [])
        if initiative is not None and initiative.organization in found:
            return initiative.organization
        if not found:
            raise RowRefused((str(C["organization"]), _("there is no organisation “%(name)s” in your area.")
                              % {"name": name}))
        if len(found) > 1:
            raise RowRefused((str(C["organization"]), _("several organisations are named “%(name)s” (%(units)s); give "
                                                        "the model's code to say which.") % {
                "name": name, "units": "; ".join(o.unit.name for o in found)}))
        return found[0]

    def write(self, plans):
        groups = {}
        for plan in plans:
            groups.setdefault(plan.payload["decision_key"], []).append(plan.payload)
        for payloads in groups.values():
            first = payloads[0]
            record_past_commendation(acting_user=self.user, number=first["number"], date=first["date"],
                                     signer=first["signer"], award_form=first["form"],
                                     issuing_authority=first["authority"],
                                     commendations=[p["commendation"] for p in payloads])
