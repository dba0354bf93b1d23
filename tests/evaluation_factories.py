"""Conferences for tests, built through the services as a host's board would build them."""

from __future__ import annotations

from datetime import date

from evaluations import services
from evaluations.models import Conference, ConferenceKind, CouncilMember, CouncilRole
from models_registry import roles
from models_registry.models import Initiative, InitiativeStatus

from .factories import persona


def accepted(*initiatives: Initiative) -> list[Initiative]:
    Initiative.unscoped.filter(pk__in=[i.pk for i in initiatives]).update(status=InitiativeStatus.ACCEPTED)
    return [Initiative.unscoped.get(pk=i.pk) for i in initiatives]


def conference(host_user, host_unit, *, year=2025, kind=ConferenceKind.YEARLY, title=None) -> Conference:
    return services.conference_save(acting_user=host_user, conference=Conference(
        title=title or f"Hội nghị đánh giá mô hình “Dân vận khéo” năm {year} – {host_unit.name}",
        kind=kind, year_from=year, year_to=year, host_unit=host_unit, held_on=date(year, 12, 10),
        place="Hội trường"))


def council_member(host_user, conf: Conference, username: str, role=CouncilRole.MEMBER, *, organization=None,
                   unit_obj=None, **names) -> CouncilMember:
    user = persona(role=roles.REVIEWER if unit_obj is None else roles.UNIT_STAFF, unit_obj=unit_obj or conf.host_unit,
                   organization=organization, username=username, **names)
    return services.member_save(acting_user=host_user, member=CouncilMember(conference=conf, user=user, role=role))


def scoring_conference(host_user, host_unit, initiatives, *, year=2025, members=3):
    """A conference in scoring with a chair, a secretary and ordinary members, and the initiatives nominated."""
    conf = conference(host_user, host_unit, year=year)
    seats = [council_member(host_user, conf, "chutich", CouncilRole.CHAIR, first_name="Hùng", last_name="Lê Văn"),
             council_member(host_user, conf, "thuky", CouncilRole.SECRETARY, first_name="Mai", last_name="Võ Thị")]
    seats += [council_member(host_user, conf, f"uyvien{n}", first_name=f"Ủy viên {n}", last_name="Nguyễn")
              for n in range(1, members - 1)]
    services.nominate(acting_user=host_user, conference=conf, initiatives=initiatives)
    conf = services.conference_open_scoring(acting_user=host_user, conference=conf)
    return conf, seats


def score_all(conf: Conference, seats, points_by_code: dict[str, list]) -> None:
    """Each seat submits, for each nomination, the points listed for it (one total per seat), spread over the
    criteria in order as far as each criterion's maximum allows."""
    criteria = list(conf.criteria_set.criteria.all())
    for nomination in conf.nominations.select_related("initiative"):
        for seat, total in zip(seats, points_by_code.get(nomination.initiative.code, []), strict=False):
            if total is None:
                continue
            services.sheet_save(acting_user=seat.user, nomination=nomination, member=seat,
                                points=spread_points(total, criteria), submit=True)


def spread_points(total, criteria) -> dict:
    from decimal import Decimal

    remaining, points = Decimal(str(total)), {}
    for criterion in criteria:
        given = min(remaining, criterion.max_points)
        points[criterion.pk] = str(given)
        remaining -= given
    return points
