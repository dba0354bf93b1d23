"""Every figure of the reports, defined once: the statistics pages and the yearly workbook call these functions,
so the same question always gets the same number.

A question is a `ReportQuery`: a scope (any unit the user's scope covers, or the whole country for those who see
everything), a year or a range of years, and
a map — units as they were ("historical") or rolled up to today's map through each unit's counterpart
("current"). The map changes only how rows are grouped and named, never which rows count: both maps give the
same totals.

What counts (the column headings of the workbook say the same):
- registered: registrations that left the draft stage with a registration year in the range (as on the home
  page); accepted: those of them accepted;
- evaluated: initiatives nominated in a closed conference whose last year falls in the range, whatever their
  registration year (a model runs for several years);
- the rating of an initiative for the range: the result of its decisive nomination there — the most recent
  year, then the highest level, then the latest closed — the rule `LatestRating` follows over all years;
- value mobilised, land, workdays: the yearly results of the range of accepted initiatives (as on the home
  page);
- commendations: approved ones of the range, by the recipient's unit.

Totals are aggregated in the database (GROUP BY the standard field or the unit); the roll-up of units into the
localities of the chosen map is done on those few grouped rows. Lists are streamed (`values().iterator()`).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _

from awards.models import AwardForm, Commendation, RecipientKind
from evaluations.models import ConferenceStatus, Nomination, Rating
from models_registry.collation import sort_key as vietnamese_order
from models_registry.models import (
    ActivityField,
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    Organization,
    UnitEdition,
    UnitLevel,
    YearlyResult,
)
from models_registry.scope import is_province_on_current_map, subtree_q

CURRENT, HISTORICAL = "current", "historical"
MAPS = (CURRENT, HISTORICAL)
STREAM_CHUNK = 2000
WHOLE_COUNTRY = "all"  # how the whole country is named in a form, a URL or on the command line


@dataclass(frozen=True)
class WholeCountry:
    """The whole country as a report's scope: every unit of every edition, its localities today's provinces.

    It answers what the reports ask of a scope unit (path, name, edition, children), so that one query layer
    serves a commune, a province and the country alike; it is not a row of the unit table, because no body
    registers at the national level in this portal."""

    edition: UnitEdition
    pk = None
    code = WHOLE_COUNTRY
    level = 0
    unit_type = None
    is_whole_country = True

    @classmethod
    def today(cls) -> WholeCountry:
        return cls(UnitEdition.current())

    @property
    def path(self) -> str:
        return f"{self.edition.pk}/"

    @property
    def name(self) -> str:
        return _("Whole country")

    short_name = name

    @property
    def children(self):
        return AdministrativeUnit.objects.filter(edition=self.edition, level=UnitLevel.PROVINCE)

    def __str__(self) -> str:
        return self.name


Scope = AdministrativeUnit | WholeCountry


def is_whole_country(scope) -> bool:
    return getattr(scope, "is_whole_country", False)


def scope_key(scope: Scope) -> str | int:
    """The scope's value in a form or a URL: the unit's id, or "all"."""
    return WHOLE_COUNTRY if is_whole_country(scope) else scope.pk


@dataclass(frozen=True)
class ReportQuery:
    scope: Scope
    year_from: int
    year_to: int
    map: str = CURRENT

    def __post_init__(self):
        if self.year_to < self.year_from:
            raise ValueError("year_to before year_from")
        if self.map not in MAPS:
            raise ValueError(f"unknown map {self.map!r}")

    @property
    def years(self) -> range:
        return range(self.year_from, self.year_to + 1)

    @property
    def years_label(self) -> str:
        return str(self.year_from) if self.year_from == self.year_to else f"{self.year_from}–{self.year_to}"

    def in_scope(self, prefix: str, province: str | None = None) -> Q:
        """Rows whose unit (reached through `prefix`, e.g. "unit__") lies in the scope. `province` names the
        row's copy of its province, where it has one: for a province of today's map it selects the same rows
        on one indexed column, without gathering the units of the province's subtree."""
        if is_whole_country(self.scope):
            return Q()  # every unit of every edition, including old units not mapped to today's map
        if province and is_province_on_current_map(self.scope):
            return Q(**{province: self.scope.pk})
        return subtree_q(self.scope, prefix)


# --- Rows of figures --------------------------------------------------------------------------------------


@dataclass
class Figures:
    """The figures of one row of sheets 1 and 2 (a field, a locality, or the total)."""

    registered: int = 0
    new: int = 0
    replicated: int = 0
    collective: int = 0
    individual: int = 0
    accepted: int = 0
    evaluated: int = 0
    ratings: dict[int, int] = field(default_factory=dict)  # rating id → initiatives rated so in the range
    highly_effective: int = 0
    value_mobilised: int = 0
    land_m2: float = 0
    workdays: int = 0
    commended_collective: int = 0
    commended_individual: int = 0

    COUNTS = ("registered", "new", "replicated", "collective", "individual", "accepted", "evaluated",
              "highly_effective", "value_mobilised", "land_m2", "workdays", "commended_collective",
              "commended_individual")

    def add(self, other: Figures) -> None:
        # Spelt out rather than looped over COUNTS: a country's report adds tens of thousands of groups.
        self.registered += other.registered
        self.new += other.new
        self.replicated += other.replicated
        self.collective += other.collective
        self.individual += other.individual
        self.accepted += other.accepted
        self.evaluated += other.evaluated
        self.highly_effective += other.highly_effective
        self.value_mobilised += other.value_mobilised
        self.land_m2 += other.land_m2
        self.workdays += other.workdays
        self.commended_collective += other.commended_collective
        self.commended_individual += other.commended_individual
        if other.ratings:
            ratings = self.ratings
            for rating, count in other.ratings.items():
                ratings[rating] = ratings.get(rating, 0) + count

    @property
    def commended(self) -> int:
        return self.commended_collective + self.commended_individual

    @property
    def is_empty(self) -> bool:
        return not any(getattr(self, name) for name in self.COUNTS) and not any(self.ratings.values())


@dataclass
class FigureRow:
    key: object
    label: str
    figures: Figures
    section: str = ""  # "own" (bodies at the scope's level) or "locality" on sheet 2


# --- The querysets every figure starts from ------------------------------------------------------------------


def registrations(query: ReportQuery):
    """Registrations of the range in the scope (drafts are not registrations yet)."""
    return (Initiative.unscoped.filter(query.in_scope("unit__", "province"))
            .exclude(status=InitiativeStatus.DRAFT)
            .filter(registration_year__gte=query.year_from, registration_year__lte=query.year_to))


def evaluations(query: ReportQuery):
    """Nominations of the scope's initiatives before a closed conference whose last year is in the range."""
    return (Nomination.unscoped.filter(query.in_scope("initiative__unit__", "initiative__province"))
            .exclude(initiative__status=InitiativeStatus.DRAFT)
            .filter(conference__status=ConferenceStatus.CLOSED, conference__year_to__gte=query.year_from,
                    conference__year_to__lte=query.year_to))


def decisive_evaluations(query: ReportQuery):
    """One rated nomination per initiative: the one whose rating counts for the range."""
    rated = evaluations(query).filter(rating__isnull=False)
    first = (rated.filter(initiative=OuterRef("initiative"))
             .order_by("-conference__year_to", "conference__level", "-conference__closed_at", "-pk")
             .values("pk")[:1])
    return rated.filter(pk=Subquery(first))


def yearly_results(query: ReportQuery):
    return (YearlyResult.unscoped.filter(query.in_scope("unit__", "province"))
            .filter(initiative__status=InitiativeStatus.ACCEPTED, year__gte=query.year_from,
                    year__lte=query.year_to))


def commendations(query: ReportQuery):
    return (Commendation.unscoped.approved().filter(query.in_scope("unit__"))
            .filter(year__gte=query.year_from, year__lte=query.year_to))


def _standard_field(prefix: str = ""):
    return Coalesce(f"{prefix}field__parent_id", f"{prefix}field_id", output_field=IntegerField())


def _keyed(queryset, expressions: tuple, *more: str):
    names = KEY_NAMES[:len(expressions)]
    return queryset.annotate(**dict(zip(names, expressions, strict=True))).values(*names, *more)


KEY_NAMES = ("key0", "key1", "key2")


def _key(row: dict, size: int) -> tuple:
    return tuple([row.pop(name) for name in KEY_NAMES[:size]])


def _grouped(query: ReportQuery, keys: dict[str, tuple]) -> dict[tuple, Figures]:
    """The figures grouped by a key; `keys` gives the key's expressions for each queryset (registrations,
    evaluations, results, commendations)."""
    rows: dict[tuple, Figures] = defaultdict(Figures)
    size = len(keys["initiative"])
    for row in (_keyed(registrations(query), keys["initiative"]).annotate(
            registered=Count("pk"),
            new=Count("pk", filter=Q(origin=InitiativeOrigin.NEW)),
            replicated=Count("pk", filter=Q(origin=InitiativeOrigin.REPLICATED)),
            collective=Count("pk", filter=Q(kind=InitiativeKind.COLLECTIVE)),
            individual=Count("pk", filter=Q(kind=InitiativeKind.INDIVIDUAL)),
            accepted=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED))).order_by()):
        figures = rows[_key(row, size)]
        for name, value in row.items():
            setattr(figures, name, value)
    for row in (_keyed(evaluations(query), keys["nomination"])
                .annotate(evaluated=Count("initiative", distinct=True)).order_by()):
        rows[_key(row, size)].evaluated = row["evaluated"]
    for row in (_keyed(decisive_evaluations(query), keys["nomination"], "rating_id")
                .annotate(count=Count("pk"), highly=Count("pk", filter=Q(rating__counts_as_highly_effective=True)))
                .order_by()):
        figures = rows[_key(row, size)]
        figures.ratings[row["rating_id"]] = row["count"]
        figures.highly_effective += row["highly"]
    for row in (_keyed(yearly_results(query), keys["result"])
                .annotate(value=Sum("value_mobilised"), land=Sum("land_donated_m2"), workdays=Sum("workdays"))
                .order_by()):
        figures = rows[_key(row, size)]
        figures.value_mobilised = row["value"] or 0
        figures.land_m2 = float(row["land"] or 0)
        figures.workdays = row["workdays"] or 0
    for row in (_keyed(commendations(query), keys["commendation"])
                .annotate(collective=Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE)),
                          individual=Count("pk", filter=Q(recipient_kind=RecipientKind.INDIVIDUAL)))
                .order_by()):
        figures = rows[_key(row, size)]
        figures.commended_collective = row["collective"]
        figures.commended_individual = row["individual"]
    return rows


UNIT, FIELD = 0, 1


def by_unit_and_field(query: ReportQuery) -> dict[tuple, Figures]:
    """The figures of each (unit, standard field): the finest grouping both sheet 1 and sheet 2 roll up from, so
    that each underlying table is read once for both. An initiative has one unit and one field, so the
    distinct counts ("evaluated") add up across these groups."""
    return _grouped(query, {
        "initiative": (F("unit_id"), _standard_field()),
        "nomination": (F("initiative__unit_id"), _standard_field("initiative__")),
        "result": (F("initiative__unit_id"), _standard_field("initiative__")),
        "commendation": (F("unit_id"), _standard_field("initiative__")),
    })


def _rolled_up(fine: dict[tuple, Figures], part: int) -> dict[object, Figures]:
    rows: dict[object, Figures] = defaultdict(Figures)
    for key, figures in fine.items():
        rows[key[part]].add(figures)
    return rows


def total(rows: list[FigureRow]) -> Figures:
    figures = Figures()
    for row in rows:
        figures.add(row.figures)
    return figures


def ratings() -> list[Rating]:
    """The columns "count per rating", best first."""
    return list(Rating.objects.order_by("-min_percent"))


# --- Sheet 1: by standard field ------------------------------------------------------------------------------


def by_field(query: ReportQuery, fine: dict[tuple, Figures] | None = None) -> list[FigureRow]:
    """One row per standard field (sub-themes rolled up), and one for commendations linked to no model when
    there are some. `fine` is `by_unit_and_field(query)` when the caller has it already."""
    grouped = _rolled_up(fine if fine is not None else by_unit_and_field(query), FIELD)
    rows = [FigureRow(f.pk, f.name, grouped.pop(f.pk, Figures()))
            for f in ActivityField.objects.filter(parent__isnull=True).order_by("order", "name")]
    unlinked = grouped.pop(None, None)
    if unlinked is not None and not unlinked.is_empty:
        rows.append(FigureRow(None, _("Not linked to a model"), unlinked))
    return rows


# --- Sheet 2: by locality ------------------------------------------------------------------------------------


def _segments(path: str) -> list[str]:
    return [part for part in path.split("/") if part]


def _unit_label(unit: dict) -> str:
    name = unit["name"]
    return name if unit["is_current"] else f"{name} ({_('old')})"


def _locality_path(query: ReportQuery, unit: dict, depth: int) -> tuple[str, bool]:
    """The path of the locality a unit's rows go to on the chosen map, and whether it is the scope's own level
    (the unit itself, or an old unit at that level)."""
    path = unit["path"]
    if query.map == CURRENT and unit["current_path"]:
        path = unit["current_path"]
    parts = _segments(path)
    if len(parts) <= depth:
        return path, True
    return "/".join(parts[:depth + 1]) + "/", False


def by_locality(query: ReportQuery, fine: dict[tuple, Figures] | None = None) -> list[FigureRow]:
    """One row for the bodies at the scope's own level (one per such unit on the historical map), then one row
    per locality below the scope on the chosen map: on today's map every child of the scope, on the historical
    map every unit as it was that has a figure. `fine` as for `by_field`."""
    grouped = _rolled_up(fine if fine is not None else by_unit_and_field(query), UNIT)
    units = {u["pk"]: u for u in AdministrativeUnit.objects.filter(pk__in=list(grouped)).annotate(
        is_current=Q(edition__is_current=True)).values("pk", "path", "current_path", "name", "is_current")}
    depth = len(_segments(query.scope.path))
    localities: dict[str, Figures] = defaultdict(Figures)
    own_level: set[str] = set()
    if not is_whole_country(query.scope):
        localities[query.scope.path] = Figures()  # the scope's own bodies have a row, figures or not
        own_level.add(query.scope.path)
    for unit_id, figures in grouped.items():
        path, own = _locality_path(query, units[unit_id], depth)
        localities[path].add(figures)
        if own:
            own_level.add(path)
    if query.map == CURRENT or query.scope.edition.is_current is False:
        for child in query.scope.children.values_list("path", flat=True):
            localities.setdefault(child, Figures())
    places = {u["path"]: u for u in AdministrativeUnit.objects.filter(path__in=list(localities)).annotate(
        is_current=Q(edition__is_current=True)).values("pk", "path", "name", "short_name", "is_current")}
    own_rows, locality_rows = [], []
    for path, figures in localities.items():
        place = places.get(path)
        name = _unit_label(place) if place else path
        if path in own_level:
            label = _("Bodies at the level of %(unit)s") % {"unit": name}
            own_rows.append((path, FigureRow(place["pk"] if place else path, label, figures, "own")))
        else:
            sort_key = (vietnamese_order((place["short_name"] or place["name"]) if place else path), path)
            locality_rows.append((sort_key, FigureRow(place["pk"] if place else path, name, figures, "locality")))
    own_rows.sort(key=lambda item: (item[0] != query.scope.path, item[0]))
    locality_rows.sort(key=lambda item: item[0])
    return [row for _key, row in own_rows] + [row for _key, row in locality_rows]


# --- By year and by form (the statistics pages and sheet 5's head) ------------------------------------------


def by_year(query: ReportQuery, total_of_range: Figures | None = None) -> list[FigureRow]:
    """Registrations, evaluations, results and commendations year by year over the range (for one year, the
    total of the range when the caller has it)."""
    if total_of_range is not None and query.year_from == query.year_to:
        return [FigureRow(query.year_from, str(query.year_from), total_of_range)]
    rows = []
    for year in query.years:
        single = ReportQuery(query.scope, year, year, query.map)
        figures = Figures()
        for row in _grouped(single, {"initiative": (Value(0),), "nomination": (Value(0),), "result": (Value(0),),
                                     "commendation": (Value(0),)}).values():
            figures.add(row)
        rows.append(FigureRow(year, str(year), figures))
    return rows


@dataclass
class FormRow:
    level: int
    level_label: str
    form: str
    collective: int
    individual: int
    prize_total: int

    @property
    def total(self) -> int:
        return self.collective + self.individual


def commendations_by_form(query: ReportQuery) -> list[FormRow]:
    """Approved commendations by level and award form, each split collective / individual."""
    levels = dict(AwardForm._meta.get_field("level").choices)
    return [FormRow(row["award_form__level"], str(levels.get(row["award_form__level"], "")), row["award_form__name"],
                    row["collective"], row["individual"], row["prize"] or 0)
            for row in commendations(query).values("award_form__level", "award_form__name", "award_form__order")
            .annotate(collective=Count("pk", filter=Q(recipient_kind=RecipientKind.COLLECTIVE)),
                      individual=Count("pk", filter=Q(recipient_kind=RecipientKind.INDIVIDUAL)),
                      prize=Sum("prize_amount"))
            .order_by("award_form__level", "award_form__order", "award_form__name")]


# --- Sheets 3 to 6: the lists, streamed ---------------------------------------------------------------------


def _place_fields(query: ReportQuery, prefix: str) -> dict:
    """The locality column of a list: the unit as it was, or its counterpart on today's map."""
    if query.map == CURRENT:
        return {"place": Coalesce(f"{prefix}unit__current_unit__name", f"{prefix}unit__name")}
    return {"place": F(f"{prefix}unit__name")}


INITIATIVE_COLUMNS = ("code", "title", "kind", "person_name", "person_position", "origin", "organization__name",
                      "place", "standard_field", "field__name", "registration_year", "start_date", "status",
                      "lifecycle", "rating_name", "rating_year", "value_in_range", "workdays_in_range")


def initiative_count(query: ReportQuery) -> int:
    return registrations(query).count()


def initiative_list(query: ReportQuery):
    """The registrations of the range with their details, latest rating and the results of the range, as
    `values()` rows in the list's order."""
    results = (yearly_results(query).filter(initiative=OuterRef("pk")).order_by().values("initiative")
               .annotate(total=Sum("value_mobilised")).values("total"))
    workdays = (yearly_results(query).filter(initiative=OuterRef("pk")).order_by().values("initiative")
                .annotate(total=Sum("workdays")).values("total"))
    return (registrations(query)
            .annotate(**_place_fields(query, ""),
                      standard_field=Coalesce("field__parent__name", "field__name"),
                      rating_name=F("latest_rating__rating__name"), rating_year=F("latest_rating__year"),
                      value_in_range=Coalesce(Subquery(results), 0),
                      workdays_in_range=Coalesce(Subquery(workdays), 0))
            .order_by("unit__path", "organization__name", "code")
            .values(*INITIATIVE_COLUMNS))


def initiative_rows(query: ReportQuery) -> Iterator[dict]:
    return initiative_list(query).iterator(chunk_size=STREAM_CHUNK)


EVALUATION_COLUMNS = ("conference_id", "conference__title", "conference__kind", "conference__year_from",
                      "conference__year_to", "conference__level", "conference__host_unit__name",
                      "conference__held_on", "initiative__code", "initiative__title", "initiative__organization__name",
                      "place", "sheets_submitted", "mean_score", "rating__name", "rank", "recognised",
                      "proposed_upward", "proposed_for_commendation")


def evaluation_count(query: ReportQuery) -> int:
    return evaluations(query).count()


def evaluation_rows(query: ReportQuery) -> Iterator[dict]:
    """Every result of the scope's initiatives in the closed conferences of the range, conference by conference
    (the latest first, the higher level first), each in rank order."""
    return (evaluations(query).annotate(**_place_fields(query, "initiative__"))
            .order_by("-conference__year_to", "conference__level", "conference__held_on", "conference_id",
                      F("rank").asc(nulls_last=True), "initiative__code")
            .values(*EVALUATION_COLUMNS).iterator(chunk_size=STREAM_CHUNK))


COMMENDATION_COLUMNS = ("year", "award_form__level", "award_form__name", "decision__number", "decision__date",
                        "recipient_kind", "organization__name", "person_name", "person_position", "place",
                        "initiative__code", "initiative__title", "prize_amount")


def commendation_count(query: ReportQuery) -> int:
    return commendations(query).count()


def commendation_rows(query: ReportQuery) -> Iterator[dict]:
    """The approved commendations of the range: by level, form, decision, collectives before individuals."""
    return (commendations(query).annotate(**_place_fields(query, ""))
            .order_by("award_form__level", "award_form__order", "award_form__name", "decision__date",
                      "decision__number", "recipient_kind", "pk")
            .values(*COMMENDATION_COLUMNS).iterator(chunk_size=STREAM_CHUNK))


@dataclass
class SilentBody:
    name: str
    category: str
    place: str
    years_without: list[int]


def silent_body_estimate(query: ReportQuery) -> int:
    """How many rows `silent_bodies` will give, without listing them: exact for one year, an upper bound for a
    range (the progress of a country's workbook is mostly this sheet)."""
    bodies = Organization.unscoped.filter(query.in_scope("unit__"), is_active=True).count()
    if query.year_from != query.year_to:
        return bodies
    registering = (registrations(query).filter(organization__is_active=True).values("organization_id")
                   .distinct().count())
    return max(0, bodies - registering)


def silent_bodies(query: ReportQuery) -> list[SilentBody]:
    """Active bodies of the scope that registered nothing in a year of the range (each is expected to register
    at least one model a year), with the years they missed."""
    registered: dict[int, set[int]] = defaultdict(set)
    for organization_id, year in (registrations(query).values_list("organization_id", "registration_year")
                                  .distinct().order_by()):
        registered[organization_id].add(year)
    categories = dict(Organization._meta.get_field("category").choices)
    rows = []
    bodies = (Organization.unscoped.filter(query.in_scope("unit__"), is_active=True)
              .annotate(**_place_fields(query, "")).order_by("unit__path", "name")
              .values("pk", "name", "category", "place"))
    for body in bodies.iterator(chunk_size=STREAM_CHUNK):
        missed = [year for year in query.years if year not in registered.get(body["pk"], ())]
        if missed:
            rows.append(SilentBody(body["name"], str(categories.get(body["category"], "")), body["place"], missed))
    return rows


def level_label(level: int) -> str:
    return str(dict(UnitLevel.choices).get(level, ""))
