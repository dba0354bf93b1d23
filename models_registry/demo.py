"""Realistic demo data for one province: organisations, initiatives 2017 → this year, their results.

Everything is written in chunks with the registry's bulk writer (COPY on PostgreSQL), so the same code seeds a
few hundred initiatives for a newcomer and a million for a benchmark, with memory bounded by the chunk size.
A seed makes it repeatable.
"""

from __future__ import annotations

import datetime
import random
from collections import Counter, defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import connection, reset_queries, transaction
from django.db.models import Count
from django.utils import timezone

from . import demo_data as vocab
from . import plugins
from .batches import RowMaker, insert_rows, insert_values
from .models import (
    ActivityField,
    AdministrativeUnit,
    Initiative,
    InitiativeKind,
    InitiativeOrigin,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    OrganizationCategory,
    UnitLevel,
    YearlyResult,
    prepare_bulk_write,
)
from .public_cache import public_catalogue_changed
from .services import initiative_code, province_code_of, reserve_codes, reviewing_unit_for
from .text import fold_for_search

FIRST_YEAR = 2017
REFORM_YEAR = 2025
CHUNK = 5000


class SeedError(Exception):
    pass


@dataclass
class SeedReport:
    organizations: int = 0
    initiatives: int = 0
    transitions: int = 0
    yearly_results: int = 0
    by_status: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    # What the apps built on the registry seeded (plugins.register_demo_data), one line each.
    more: list[str] = field(default_factory=list)


def lower_first(text: str) -> str:
    return text[:1].lower() + text[1:]


# --- Organisations ---------------------------------------------------------------------------------


def _wanted_organizations(province: AdministrativeUnit) -> list[tuple[AdministrativeUnit, str, str, bool]]:
    """(unit, name, category, active) for the province today and the old provinces merged into it."""
    wanted = []
    old_provinces = list(
        AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, current_unit=province)
        .exclude(pk=province.pk).order_by("path")
    )
    for prov, active in [(province, True)] + [(p, False) for p in old_provinces]:
        for template, category in vocab.PROVINCE_BODIES:
            wanted.append((prov, template.format(province=lower_first(prov.name)), category, active))
    communes = AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE).order_by("path")
    for commune in communes:
        for template, category in vocab.COMMUNE_BODIES:
            wanted.append((commune, template.format(unit=lower_first(commune.name)), category, True))
    for old in old_provinces:
        for district in AdministrativeUnit.objects.filter(parent=old).order_by("path"):
            party = vocab.PARTY_COMMITTEE_OF_DISTRICT.get(district.unit_type, "Huyện ủy")
            for template, category in vocab.DISTRICT_BODIES:
                name = template.format(party=party, short=district.short_name, unit=lower_first(district.name))
                wanted.append((district, name, category, False))
            for commune in AdministrativeUnit.objects.filter(parent=district).order_by("path"):
                for template, category in vocab.COMMUNE_BODIES:
                    name = template.format(unit=lower_first(commune.name))
                    wanted.append((commune, name, category, False))
    return wanted


def seed_organizations(province: AdministrativeUnit) -> tuple[list[Organization], int]:
    """Create the demo organisations that are missing; returns all of them and how many were new."""
    wanted = _wanted_organizations(province)
    unit_ids = {unit.pk for unit, *_ in wanted}
    existing = {(o.unit_id, o.name): o for o in Organization.objects.filter(unit_id__in=unit_ids)}
    to_create = [
        Organization(unit=unit, name=name, category=category, is_active=active)
        for unit, name, category, active in wanted
        if (unit.pk, name) not in existing
    ]
    for organization in to_create:  # bulk inserts skip save(), which builds it
        organization.search_text = organization.build_search_text()
    Organization.objects.bulk_create(to_create, batch_size=2000)
    organizations = list(
        Organization.objects.filter(unit_id__in=unit_ids).select_related("unit", "unit__parent").order_by("pk")
    )
    _link_successors(organizations)
    return organizations, len(to_create)


def _link_successors(organizations: list[Organization]) -> None:
    """A body of an old commune continues as the body of the same kind in its successor commune."""
    by_unit_category = {}
    for org in organizations:
        if org.is_active:
            by_unit_category.setdefault((org.unit_id, org.category), org)
    changed = []
    for org in organizations:
        if org.is_active or org.successor_id or not org.unit.current_unit_id:
            continue
        successor = by_unit_category.get((org.unit.current_unit_id, org.category))
        if successor:
            org.successor = successor
            changed.append(org)
    if connection.vendor == "postgresql" and changed:
        # One statement for every row: bulk_update's CASE WHEN over thousands of rows costs seconds to build.
        table = connection.ops.quote_name(Organization._meta.db_table)
        with connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} AS o SET successor_id = v.successor "  # noqa: S608 – the model's own table name
                "FROM unnest(%s::bigint[], %s::bigint[]) AS v(id, successor) WHERE o.id = v.id",
                [[org.pk for org in changed], [org.successor_id for org in changed]])
    else:
        Organization.objects.bulk_update(changed, ["successor"], batch_size=2000)


# --- Initiatives -----------------------------------------------------------------------------------


class InitiativeMaker:
    """Builds one unsaved initiative at a time, with the random choices a real province would show."""

    def __init__(self, rng: random.Random, organizations: list[Organization], this_year: int):
        self.rng = rng
        self.this_year = this_year
        self.fields = {f.code: f for f in ActivityField.objects.all()}
        self.old_orgs = [o for o in organizations if not o.is_active]
        self.new_orgs = [o for o in organizations if o.is_active]
        if not self.new_orgs:
            raise SeedError("no organisations")
        self.review_units = {}
        self.transition_row = RowMaker(InitiativeTransition)
        self.result_row = RowMaker(YearlyResult)

    def organization_for(self, year: int) -> Organization:
        pool = self.old_orgs if year < REFORM_YEAR and self.old_orgs else self.new_orgs
        return self.rng.choice(pool)

    def status_for(self, year: int) -> str:
        age = self.this_year - year
        weights = {
            InitiativeStatus.ACCEPTED: 85 if age >= 2 else 70 if age == 1 else 30,
            InitiativeStatus.REJECTED: 6,
            InitiativeStatus.RETURNED: 3 if age >= 2 else 10,
            InitiativeStatus.SUBMITTED: 2 if age >= 2 else 25,
            InitiativeStatus.DRAFT: 4 if age >= 2 else 20,
        }
        return self.rng.choices(list(weights), weights=list(weights.values()))[0]

    def person(self) -> str:
        rng = self.rng
        return f"{rng.choice(vocab.FAMILY_NAMES)} {rng.choice(vocab.MIDDLE_NAMES)} {rng.choice(vocab.GIVEN_NAMES)}"

    def make(self, year: int, sources: list[tuple[int, str, int]], *, organization: Organization | None = None,
             status: str | None = None) -> Initiative:
        rng = self.rng
        org = organization or self.organization_for(year)
        matching = [t for t in vocab.TITLES if t[2] == org.category]
        title, field_code, _category = rng.choice(matching if matching and rng.random() < 0.7 else vocab.TITLES)
        if rng.random() < 0.3:
            title += rng.choice(vocab.PLACE_SUFFIXES).format(n=rng.randint(1, 12))
        field_obj = self.fields.get(field_code) or self.fields["kinh-te"]
        if field_obj.parent_id and rng.random() < 0.5:
            field_obj = self.fields[vocab.STANDARD_FIELD_OF_SUBTHEME[field_code]]

        origin, replicated_from_id = InitiativeOrigin.NEW, None
        if sources and rng.random() < 0.25:
            replicated_from_id, title, source_field_id = rng.choice(sources)
            field_obj = next(f for f in self.fields.values() if f.pk == source_field_id)
            origin = InitiativeOrigin.REPLICATED

        kind, person_name, person_position = InitiativeKind.COLLECTIVE, "", ""
        if rng.random() < 0.2:
            kind, person_name, person_position = InitiativeKind.INDIVIDUAL, self.person(), rng.choice(vocab.POSITIONS)
            title = f"{person_name} – {lower_first(title)}"

        status = status or self.status_for(year)
        start = datetime.date(year, rng.randint(1, 6), rng.randint(1, 28))
        submitted = decided = None
        if status != InitiativeStatus.DRAFT:
            submitted = self._moment(start - datetime.timedelta(days=rng.randint(5, 40)))
        if status in (InitiativeStatus.ACCEPTED, InitiativeStatus.RETURNED, InitiativeStatus.REJECTED):
            decided = submitted + datetime.timedelta(days=rng.randint(3, 30))

        lifecycle, reason, discontinued_year = Lifecycle.ACTIVE, "", None
        if status == InitiativeStatus.ACCEPTED and year <= self.this_year - 2 and rng.random() < 0.15:
            lifecycle = Lifecycle.DISCONTINUED
            reason = rng.choice(vocab.DISCONTINUE_REASONS)
            discontinued_year = rng.randint(year + 1, self.this_year)

        unit = org.unit
        if org.pk not in self.review_units:
            self.review_units[org.pk] = reviewing_unit_for(org).pk
        contact = self.person()
        initiative = Initiative(
            title=title[:500], kind=kind, person_name=person_name, person_position=person_position,
            origin=origin, replicated_from_id=replicated_from_id, organization=org, unit=unit,
            review_unit_id=self.review_units[org.pk], field=field_obj, registration_year=year,
            start_date=start, end_date=start.replace(year=year + 3) if rng.random() < 0.4 else None,
            situation=f"Trên địa bàn {lower_first(unit.name)} còn nhiều khó khăn; {org.name} xây dựng mô hình "
                      f"để phát huy vai trò của Nhân dân.",
            objectives="Huy động sức dân, nâng cao đời sống vật chất và tinh thần của Nhân dân.",
            content_methods="Tuyên truyền, vận động; phân công đảng viên, hội viên phụ trách từng hộ; "
                            "sơ kết hằng quý.",
            area_beneficiaries=f"Toàn {lower_first(unit.name)}; hộ nghèo, hộ cận nghèo, gia đình chính sách.",
            participating_forces="Chi bộ, chính quyền, Mặt trận và các đoàn thể; người có uy tín.",
            resources="Xã hội hóa từ Nhân dân và doanh nghiệp, kết hợp ngân sách địa phương.",
            budget_amount=rng.randint(0, 400) * 500_000,
            expected_outputs="Mô hình duy trì thường xuyên, được Nhân dân đồng tình hưởng ứng.",
            sustainability="Có thể nhân rộng ra các thôn, khu dân cư khác trong tỉnh.",
            contact_name=contact, contact_phone=f"09{rng.randint(10_000_000, 99_999_999)}",
            contact_email=f"{fold_for_search(contact).replace(' ', '.')}@example.vn",
            status=status, submitted_at=submitted, decided_at=decided, lifecycle=lifecycle,
            discontinued_reason=reason, discontinued_year=discontinued_year,
        )
        return initiative

    def _moment(self, day: datetime.date) -> datetime.datetime:
        day = max(day, datetime.date(day.year, 1, 2))
        return timezone.make_aware(datetime.datetime(day.year, day.month, day.day, self.rng.randint(7, 17), 0))

    def transitions(self, initiative: Initiative) -> list[list]:
        """The history a real registration would have left, at the times it happened."""
        submitted, decided = initiative.submitted_at, initiative.decided_at
        created = (submitted or self._moment(initiative.start_date)) - datetime.timedelta(days=self.rng.randint(1, 10))
        # The initiative's id and where it stands, set as ids (what copy_initiative_scope would copy).
        scope = {"initiative_id": initiative.pk, "unit_id": initiative.unit_id,
                 "province_id": initiative.province_id, "draft": initiative.status == InitiativeStatus.DRAFT}

        def row(from_status, to_status, at, reason=""):
            return self.transition_row.values(from_status=from_status, to_status=to_status, reason=reason,
                                       created_at=at, **scope)

        rows = [row("", InitiativeStatus.DRAFT, created)]
        if initiative.status == InitiativeStatus.DRAFT:
            return rows
        rows.append(row(InitiativeStatus.DRAFT, InitiativeStatus.SUBMITTED, submitted))
        if initiative.status == InitiativeStatus.RETURNED:
            rows.append(row(InitiativeStatus.SUBMITTED, initiative.status, decided,
                            self.rng.choice(vocab.RETURN_REASONS)))
        elif initiative.status == InitiativeStatus.REJECTED:
            rows.append(row(InitiativeStatus.SUBMITTED, initiative.status, decided,
                            self.rng.choice(vocab.REJECT_REASONS)))
        elif initiative.status == InitiativeStatus.ACCEPTED:
            rows.append(row(InitiativeStatus.SUBMITTED, initiative.status, decided))
        if initiative.lifecycle == Lifecycle.DISCONTINUED:
            at = self._moment(datetime.date(initiative.discontinued_year, 12, 15))
            rows.append(row(Lifecycle.ACTIVE, Lifecycle.DISCONTINUED, at, initiative.discontinued_reason))
        return rows

    def results(self, initiative: Initiative) -> list[list]:
        if initiative.status != InitiativeStatus.ACCEPTED:
            return []
        last = initiative.discontinued_year or self.this_year - 1
        rows = []
        scale = self.rng.uniform(0.5, 3)
        for year in range(initiative.registration_year, last + 1):
            running = not (initiative.discontinued_year and year == initiative.discontinued_year)
            rows.append(self.result_row.values(
                initiative_id=initiative.pk, unit_id=initiative.unit_id, province_id=initiative.province_id,
                draft=False, year=year, is_running=running,
                participants=int(self.rng.randint(20, 400) * scale),
                beneficiaries=int(self.rng.randint(30, 1500) * scale),
                value_mobilised=int(self.rng.randint(2, 600) * scale) * 1_000_000,
                land_donated_m2=self.rng.choice([0, 0, 0, self.rng.randint(10, 2000)]),
                workdays=int(self.rng.randint(0, 900) * scale),
                narrative=self.rng.choice(vocab.NARRATIVES),
            ))
        return rows


def _years(count: int, rng: random.Random, this_year: int) -> list[int]:
    """Registration years 2017 → this year, a few more each year as the movement grows; sorted."""
    years = list(range(FIRST_YEAR, this_year + 1))
    weights = [1 + 0.1 * i for i in range(len(years))]
    return sorted(rng.choices(years, weights=weights, k=count))


def seed_demo(
    *, province_code: str, initiatives: int, seed: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> SeedReport:
    province = AdministrativeUnit.objects.current().filter(code=province_code, level=UnitLevel.PROVINCE).first()
    if province is None:
        raise SeedError(province_code)
    rng = random.Random(seed)
    this_year = timezone.localdate().year
    report = SeedReport()
    with transaction.atomic():
        organizations, report.organizations = seed_organizations(province)
    maker = InitiativeMaker(rng, organizations, this_year)
    # Accepted models of earlier years, as (id, title, field id): the pool replicated models come from.
    sources: list[tuple[int, str, int]] = []
    years = _years(initiatives, rng, this_year)
    done = 0
    for year, count in sorted(Counter(years).items()):
        for start in range(0, count, CHUNK):
            size = min(CHUNK, count - start)
            with transaction.atomic():
                _seed_chunk(maker, [year] * size, sources, report)
            # With DEBUG on, Django keeps every SQL statement; bulk inserts would pile up gigabytes.
            reset_queries()
            done += size
            if progress:
                progress(done, len(years))
    for provider in plugins.demo_data_providers():
        line = provider(province, rng)
        if line:
            report.more.append(line)
    public_catalogue_changed()  # bulk inserts send no signals
    return report


def seed_work_to_do(commune: AdministrativeUnit, organization: Organization, seed: int = 2026) -> int:
    """Registrations of the demo commune that wait for its reviewers, and one returned to the demo unit, so
    that both personas open onto work to do. Does nothing when there already are some."""
    this_year = timezone.localdate().year
    waiting = Initiative.objects.filter(review_unit=commune, status=InitiativeStatus.SUBMITTED).exists()
    returned = Initiative.objects.filter(organization=organization, status=InitiativeStatus.RETURNED).exists()
    bodies = list(Organization.objects.filter(unit=commune, is_active=True).exclude(
        category=OrganizationCategory.PARTY_COMMITTEE).order_by("pk"))
    wanted = [] if waiting else [(body, InitiativeStatus.SUBMITTED) for body in bodies[:3]]
    if not returned:
        wanted.append((organization, InitiativeStatus.RETURNED))
    if not wanted:
        return 0
    maker = InitiativeMaker(random.Random(seed), [organization, *bodies], this_year)
    report = SeedReport()
    with transaction.atomic():
        batch = [maker.make(this_year, [], organization=body, status=status) for body, status in wanted]
        _save_initiatives(maker, batch, [], report)
    public_catalogue_changed()
    return len(batch)


def refresh_planner_statistics() -> None:
    """After a bulk load PostgreSQL's row estimates are stale until autovacuum runs, and never refreshed where
    it is off; a stale estimate made the provincial board's admin list five times slower, and a commune
    reviewer's score sheets, whose table had never been analysed, a hundred times. Refresh them now, for every
    table: the apps built on the registry seed theirs too (5 s at 1,000,000 initiatives)."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def _seed_chunk(maker: InitiativeMaker, years: list[int], sources: list, report: SeedReport) -> None:
    _save_initiatives(maker, [maker.make(year, sources) for year in years], sources, report)


def _save_initiatives(maker: InitiativeMaker, batch: list[Initiative], sources: list, report: SeedReport) -> None:
    by_key = defaultdict(list)
    for initiative in batch:
        by_key[(province_code_of(initiative.unit), initiative.registration_year)].append(initiative)
    for (province, year), items in sorted(by_key.items()):
        first = reserve_codes(f"initiative:{province}:{year}", len(items))
        for offset, initiative in enumerate(items):
            initiative.code = initiative_code(province, year, first + offset)
    prepare_bulk_write(batch)
    insert_rows(Initiative, batch)
    transitions, results = [], []
    for initiative in batch:
        report.by_status[initiative.status] += 1
        transitions.extend(maker.transitions(initiative))
        results.extend(maker.results(initiative))
        if (initiative.status == InitiativeStatus.ACCEPTED and initiative.origin == InitiativeOrigin.NEW
                and initiative.kind == InitiativeKind.COLLECTIVE):
            sources.append((initiative.pk, initiative.title, initiative.field_id))
    insert_values(InitiativeTransition, transitions)
    insert_values(YearlyResult, results)
    report.initiatives += len(batch)
    report.transitions += len(transitions)
    report.yearly_results += len(results)


def national_shares(initiatives: int) -> list[tuple[str, int]]:
    """Every province of today's map with its share of the initiatives, in proportion to its communes."""
    provinces = list(
        AdministrativeUnit.objects.current().filter(level=UnitLevel.PROVINCE)
        .annotate(communes=Count("children")).order_by("code").values_list("code", "communes")
    )
    total = sum(communes for _code, communes in provinces) or 1
    shares = [(code, initiatives * communes // total) for code, communes in provinces]
    # Hand out what integer division left over, so that the shares add up exactly.
    for i in range(initiatives - sum(count for _code, count in shares)):
        code, count = shares[i % len(shares)]
        shares[i % len(shares)] = (code, count + 1)
    return shares


def province_has_initiatives(province_code: str) -> bool:
    province = AdministrativeUnit.objects.current().filter(code=province_code, level=UnitLevel.PROVINCE).first()
    if province is None:
        return False
    units = AdministrativeUnit.objects.subtree_of(province).values("pk")
    return Initiative.objects.filter(unit_id__in=units).exists()

