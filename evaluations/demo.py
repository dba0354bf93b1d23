"""Demo conferences for a province `seed_demo` has filled: past years scored and closed at each level, one
province conference open for scoring, and one commune conference being prepared.

Councils, sheets and results are written in bulk (a conference costs a few queries whatever the province's
size); the numbers come from the same arithmetic as the services (`summarise`, `rating_for`), with most
models maintained ("Đạt") and a minority highly effective ("Tiêu biểu").
"""

from __future__ import annotations

import datetime
import random
from decimal import ROUND_HALF_UP, Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from models_registry import demo_data as vocab
from models_registry.demo import REFORM_YEAR
from models_registry.demo_accounts import DemoPlace, ensure_account
from models_registry.formatting import thousands
from models_registry.models import (
    AdministrativeUnit,
    Initiative,
    InitiativeStatus,
    Organization,
    StaffProfile,
    UnitLevel,
)
from models_registry.plugins import register_demo_accounts, register_demo_data
from models_registry.roles import PROVINCIAL_BOARD

from . import services
from .models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CouncilMember,
    CouncilRole,
    Nomination,
    Rating,
    Score,
    ScoreSheet,
    SheetStatus,
)
from .roles import COUNCIL_MEMBER

FIRST_CONFERENCE_YEAR = 2019
PROVINCE_NOMINATIONS = 24
LOWER_NOMINATIONS = 10
OPEN_NOMINATIONS = 12
COUNCIL_POSITIONS = ["Trưởng ban", "Phó Trưởng ban", "Chủ tịch Ủy ban MTTQ", "Chủ tịch Hội Liên hiệp Phụ nữ",
                     "Chủ tịch Hội Nông dân"]
HALF = Decimal("0.5")


def _title(kind: str, years: str, unit: AdministrativeUnit) -> str:
    if kind == ConferenceKind.MIDTERM:
        return f"Hội nghị sơ kết phong trào thi đua “Dân vận khéo” giai đoạn {years} – {unit.name}"
    return f"Hội nghị đánh giá mô hình “Dân vận khéo” năm {years} – {unit.name}"


class ConferenceSeeder:
    def __init__(self, rng: random.Random, province: AdministrativeUnit):
        self.rng = rng
        self.province = province
        self.scale = list(Rating.objects.order_by("-min_percent"))
        self.criteria_set = services.default_criteria_set()
        self.criteria = list(self.criteria_set.criteria.all())
        self.max_total = self.criteria_set.max_total
        # A model's standing, the same at every conference it comes before: councils broadly agree.
        self.quality: dict[int, float] = {}
        self.councils: dict[int, list[CouncilMember]] = {}
        self.accepted: dict[int, list[tuple[int, int, int | None]]] = {}
        self.conferences = self.closed = self.nominations = self.highly = 0

    # --- people ----------------------------------------------------------------------------------------

    def council_people(self, host: AdministrativeUnit) -> list:
        """Five people of the host's bodies who sit on its councils year after year (archive accounts: they
        hold no password; demo personas who log in are added by `create_demo_accounts`)."""
        User = get_user_model()
        bodies = list(Organization.unscoped.filter(unit=host).order_by("pk")[:5]) or [None]
        people = []
        for index in range(5):
            username = f"hoidong.{host.edition_id}.{host.code}.{index + 1}"
            user = User.objects.filter(username=username).first()
            if user is None:
                rng = self.rng
                user = User(username=username, first_name=rng.choice(vocab.GIVEN_NAMES),
                            last_name=f"{rng.choice(vocab.FAMILY_NAMES)} {rng.choice(vocab.MIDDLE_NAMES)}",
                            is_staff=False)
                user.set_unusable_password()
                user.save()
                StaffProfile.objects.create(user=user, unit=host, organization=bodies[index % len(bodies)],
                                            position=COUNCIL_POSITIONS[index])
            people.append(user)
        return people

    def seat(self, conference: Conference, people) -> list[CouncilMember]:
        roles = [CouncilRole.CHAIR, CouncilRole.SECRETARY] + [CouncilRole.MEMBER] * (len(people) - 2)
        profiles = dict(StaffProfile.objects.filter(user__in=people).values_list("user_id", "organization_id"))
        positions = dict(StaffProfile.objects.filter(user__in=people).values_list("user_id", "position"))
        return CouncilMember.unscoped.bulk_create([
            CouncilMember(conference=conference, user=person, role=role, organization_id=profiles.get(person.pk),
                          position=positions.get(person.pk, ""))
            for person, role in zip(people, roles, strict=False)
        ])

    # --- conferences -----------------------------------------------------------------------------------

    def candidates(self, host: AdministrativeUnit, year_from: int, year_to: int) -> list[int]:
        """Accepted models of the host's area registered by `year_to` and still running after `year_from`.

        The area's accepted models are read once per host (a few columns) and narrowed per conference here:
        a host holds a conference every year, and at a million models its area holds tens of thousands."""
        if host.pk not in self.accepted:
            units = AdministrativeUnit.objects.subtree_of(host).values("pk")
            self.accepted[host.pk] = list(Initiative.unscoped.filter(
                unit__in=units, status=InitiativeStatus.ACCEPTED,
            ).values_list("pk", "registration_year", "discontinued_year").order_by("pk"))
        return [pk for pk, registered, discontinued in self.accepted[host.pk]
                if registered <= year_to and (discontinued is None or discontinued > year_from)]

    def conference(self, host: AdministrativeUnit, year_from: int, year_to: int, *, kind=ConferenceKind.YEARLY,
                   status=ConferenceStatus.CLOSED, nominations: int = LOWER_NOMINATIONS,
                   scored_share: float = 1.0) -> Conference | None:
        if Conference.unscoped.filter(host_unit=host, kind=kind, year_from=year_from, year_to=year_to).exists():
            return None
        years = str(year_from) if year_from == year_to else f"{year_from}–{year_to}"
        held_on = datetime.date(year_to, 12, self.rng.randint(5, 25))
        if held_on > timezone.localdate():
            held_on = timezone.localdate()
        conference = Conference(
            title=_title(kind, years, host), kind=kind, year_from=year_from, year_to=year_to, host_unit=host,
            level=host.level, held_on=held_on, place=f"Hội trường {host.name}", criteria_set=self.criteria_set,
            status=ConferenceStatus.SCORING if status == ConferenceStatus.CLOSED else status,
        )
        conference.save()
        self.conferences += 1
        services.collect_proposals(conference)
        arrived = set(Nomination.unscoped.filter(conference=conference).values_list("initiative_id", flat=True))
        pool = [pk for pk in self.candidates(host, year_from, year_to) if pk not in arrived]
        chosen = self.rng.sample(pool, min(len(pool), max(0, nominations - len(arrived))))
        Nomination.unscoped.bulk_create([Nomination(conference=conference, initiative_id=pk) for pk in chosen])
        members = self.seat(conference, self.council_people(host))
        if status != ConferenceStatus.PREPARING:
            self.score(conference, members, scored_share)
        if status == ConferenceStatus.CLOSED:
            self.decide(conference)
            conference.status = ConferenceStatus.CLOSED
            conference.closed_at = timezone.make_aware(datetime.datetime.combine(held_on, datetime.time(16)))
            conference.save(update_fields=["status", "closed_at"])
            self.closed += 1
        return conference

    def score(self, conference: Conference, members: list[CouncilMember], share: float) -> None:
        nominations = list(Nomination.unscoped.filter(conference=conference).select_related("initiative"))
        sheets, points = [], []
        for nomination in nominations:
            quality = self.quality.setdefault(nomination.initiative_id,
                                              min(98.0, max(35.0, self.rng.gauss(71, 11))))
            for member in members:
                if member.organization_id == nomination.initiative.organization_id or self.rng.random() > share:
                    continue  # recused, or not scored yet
                given = self.sheet_points(quality + self.rng.gauss(0, 4))
                sheets.append(ScoreSheet(nomination=nomination, member=member, status=SheetStatus.SUBMITTED,
                                         total=sum(given.values()), entered_by=member.user,
                                         submitted_at=timezone.make_aware(datetime.datetime.combine(
                                             conference.held_on, datetime.time(10)))))
                points.append(given)
        ScoreSheet.unscoped.bulk_create(sheets)
        Score.objects.bulk_create([Score(sheet=sheet, criterion_id=criterion_id, points=value)
                                   for sheet, given in zip(sheets, points, strict=True)
                                   for criterion_id, value in given.items()])
        totals: dict[int, list[Decimal]] = {}
        for sheet in sheets:
            totals.setdefault(sheet.nomination_id, []).append(sheet.total)
        for nomination in nominations:
            mean, spread = services.summarise(totals.get(nomination.pk, []))
            nomination.sheets_submitted = len(totals.get(nomination.pk, []))
            nomination.mean_score, nomination.spread = mean, spread
            nomination.computed_rating = nomination.rating = services.rating_for(mean, self.max_total, self.scale)
        Nomination.unscoped.bulk_update(nominations, ["sheets_submitted", "mean_score", "spread",
                                                      "computed_rating", "rating"])
        services.rank_nominations(conference)
        self.nominations += len(nominations)

    def sheet_points(self, percent: float) -> dict[int, Decimal]:
        """Points per criterion for a sheet worth about `percent` of the maximum, in half points."""
        given = {}
        for criterion in self.criteria:
            share = Decimal(str(max(0.0, min(1.0, percent / 100 + self.rng.gauss(0, 0.04)))))
            value = (criterion.max_points * share / HALF).quantize(Decimal(1), rounding=ROUND_HALF_UP) * HALF
            given[criterion.pk] = min(criterion.max_points, value)
        return given

    def decide(self, conference: Conference) -> None:
        """What councils usually decide: recognise the effective, propose the best upward and for
        commendation."""
        has_next_level = conference.host_unit.parent_id is not None
        nominations = list(Nomination.unscoped.filter(conference=conference).select_related("rating"))
        for nomination in nominations:
            rating = nomination.rating
            nomination.recognised = bool(rating and rating.counts_as_effective)
            highly = bool(rating and rating.counts_as_highly_effective)
            nomination.proposed_upward = highly and has_next_level
            # The province commends its best; a commune or district its best effective ones.
            rank = nomination.rank or 99
            nomination.proposed_for_commendation = (highly and rank <= 5) if not has_next_level else (
                nomination.recognised and rank <= 3)
            self.highly += highly
        Nomination.unscoped.bulk_update(nominations, ["recognised", "proposed_upward", "proposed_for_commendation"])


def _old_provinces(province: AdministrativeUnit) -> list[AdministrativeUnit]:
    return list(AdministrativeUnit.objects.filter(level=UnitLevel.PROVINCE, current_unit=province)
                .exclude(pk=province.pk).order_by("path"))


def _demo_commune(province: AdministrativeUnit) -> AdministrativeUnit | None:
    from models_registry.demo_accounts import demo_place

    place = demo_place()
    if place is not None and place.province == province:
        return place.commune
    return AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE).order_by("path").first()


@register_demo_data(order=20)
def seed_conferences(province: AdministrativeUnit, rng: random.Random) -> str:
    """Past conferences of the province at every level, one open for scoring, one being prepared."""
    this_year = timezone.localdate().year
    seeder = ConferenceSeeder(rng, province)
    if seeder.criteria_set is None or not seeder.scale:
        return ""
    commune = _demo_commune(province)
    old_provinces = _old_provinces(province)
    with transaction.atomic():
        for year in range(FIRST_CONFERENCE_YEAR, this_year):
            if year < REFORM_YEAR:
                # Before the reform: the old district of the demo commune's area, then the old provinces.
                old_commune = (AdministrativeUnit.objects.filter(current_unit=commune, level=UnitLevel.COMMUNE)
                               .exclude(pk=commune.pk).select_related("parent").order_by("path").first()
                               if commune else None)
                if old_commune is not None and year == REFORM_YEAR - 1:
                    seeder.conference(old_commune, year, year)
                    seeder.conference(old_commune.parent, year, year)
                for old_province in old_provinces:
                    seeder.conference(old_province, year, year, nominations=PROVINCE_NOMINATIONS)
            else:
                for host in AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE).filter(
                        Q(pk=getattr(commune, "pk", None)) | Q(pk__in=_sample_communes(province, rng))):
                    seeder.conference(host, year, year)
                seeder.conference(province, year, year, nominations=PROVINCE_NOMINATIONS)
        for old_province in old_provinces[:1]:
            seeder.conference(old_province, 2019, 2023, kind=ConferenceKind.MIDTERM, nominations=PROVINCE_NOMINATIONS)
        seeder.conference(province, this_year, this_year, status=ConferenceStatus.SCORING,
                          nominations=OPEN_NOMINATIONS, scored_share=0.5)
        if commune is not None:
            seeder.conference(commune, this_year, this_year, status=ConferenceStatus.PREPARING)
        initiative_ids = Nomination.unscoped.filter(
            conference__host_unit__in=AdministrativeUnit.objects.subtree_of(province).values("pk")
        ).values("initiative")
        services.refresh_latest_ratings(initiative_ids)
    return _("Evaluation conferences: %(conferences)s (%(closed)s closed, one open for scoring), %(nominations)s "
             "models scored, %(highly)s rated highly effective.") % {
        "conferences": thousands(seeder.conferences), "closed": thousands(seeder.closed),
        "nominations": thousands(seeder.nominations), "highly": thousands(seeder.highly)}


def _sample_communes(province: AdministrativeUnit, rng: random.Random) -> list[int]:
    ids = list(AdministrativeUnit.objects.filter(parent=province, level=UnitLevel.COMMUNE)
               .order_by("path").values_list("pk", flat=True))
    return rng.sample(ids, min(2, len(ids)))


@register_demo_accounts(order=20)
def council_accounts(place: DemoPlace) -> list[str]:
    """A council member and a secretary of the province's conference open for scoring; the provincial board
    member chairs it."""
    conference = (Conference.unscoped.filter(host_unit=place.province, status=ConferenceStatus.SCORING)
                  .order_by("-year_to", "-pk").first())
    board = ensure_account("hoidong", "Lê Văn", "Tâm", role=COUNCIL_MEMBER, unit=place.province,
                           position="Chủ tịch Hội Cựu chiến binh tỉnh")
    secretary = ensure_account("thuky.hoidong", "Võ Thị", "Thu", role=COUNCIL_MEMBER, unit=place.province,
                               position="Chuyên viên Ban Tuyên giáo và Dân vận")
    rows = [board[1], secretary[1]]
    if conference is None:
        return rows
    chair = get_user_model().objects.filter(username="bantinh", groups__name=PROVINCIAL_BOARD).first()
    seats = [(board[0], CouncilRole.MEMBER), (secretary[0], CouncilRole.SECRETARY)]
    if chair is not None:
        seats.append((chair, CouncilRole.CHAIR))
    with transaction.atomic():
        for user, role in seats:
            if CouncilMember.unscoped.filter(conference=conference, user=user).exists():
                continue
            # The demo personas take the roles of the archive members who held them.
            if role != CouncilRole.MEMBER:
                CouncilMember.unscoped.filter(conference=conference, role=role).update(role=CouncilRole.MEMBER)
            CouncilMember.unscoped.create(conference=conference, user=user, role=role)
    return rows
