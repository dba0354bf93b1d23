"""Who may do what in an evaluation conference: the one place that answers it.

Two kinds of people act on a conference. Its host — the board of the unit holding it, with the conference
permissions — manages it in the admin: council, nominations, opening, closing. Its council members score on
the scoring pages; the secretary may type a paper sheet for a member, the chair closes. Everything starts
from the registry's scope rule (`models_registry.policies.can_see`).
"""

from __future__ import annotations

from django.db.models import Q

from models_registry import policies as registry_policies
from models_registry.models import AdministrativeUnit, Initiative, InitiativeStatus
from models_registry.scope import UserScope, in_subtree

from .models import Conference, ConferenceStatus, CouncilMember, CouncilRole, Nomination

ADD_CONFERENCE = "evaluations.add_conference"
CHANGE_CONFERENCE = "evaluations.change_conference"
REOPEN_CONFERENCE = "evaluations.reopen_conference"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_host_at(user, unit: AdministrativeUnit) -> bool:
    """A board holds conferences for its own unit only (or, for past records, an old unit merged into it)."""
    if not _active(user) or not user.has_perm(ADD_CONFERENCE):
        return False
    if user.is_superuser:
        return True
    own = UserScope.of(user).unit
    return own is not None and own.pk in (unit.pk, unit.current_unit_id)


def hostable_units(user):
    """The units `can_host_at` allows, for a form's choices: the person's own and the old units merged into it."""
    if user.is_superuser:
        return AdministrativeUnit.objects.all()
    own = UserScope.of(user).unit
    if own is None or not user.has_perm(ADD_CONFERENCE):
        return AdministrativeUnit.objects.none()
    return AdministrativeUnit.objects.filter(Q(pk=own.pk) | Q(current_unit=own, level=own.level)).alphabetical()


def can_manage(user, conference: Conference) -> bool:
    """The host's board: council, nominations, status. A closed conference changes only by reopening."""
    return (_active(user) and user.has_perm(CHANGE_CONFERENCE) and registry_policies.can_see(user, conference)
            and can_host_at(user, conference.host_unit))


def seat_of(user, conference: Conference) -> CouncilMember | None:
    """The person's seat on the conference's council (with its account), read once per conference object:
    a page asks several of the rules below, each of which starts from it."""
    if not _active(user):
        return None
    seats = conference.__dict__.get("_danvan_seats", {})
    if user.pk not in seats:
        remember_seat(user, conference, CouncilMember.unscoped.filter(conference=conference, user=user)
                      .select_related("user").first())
    return conference._danvan_seats[user.pk]


def remember_seat(user, conference: Conference, seat: CouncilMember | None) -> None:
    """What `seat_of` answers for this person and conference object (a page that read the seat with other
    rows says so); a seat found also answers the menu's question (selectors.has_council_seat)."""
    conference.__dict__.setdefault("_danvan_seats", {})[user.pk] = seat
    if seat is not None:
        user._danvan_has_council_seat = True


def can_view(user, conference: Conference) -> bool:
    """The conferences one sits on the council of, and those of one's scope."""
    return seat_of(user, conference) is not None or registry_policies.can_see(user, conference)


def _has_seat(user, conference: Conference, *roles: str) -> bool:
    seat = seat_of(user, conference)
    return seat is not None and seat.role in roles


def can_open_scoring(user, conference: Conference) -> bool:
    return conference.status == ConferenceStatus.PREPARING and (
        can_manage(user, conference) or _has_seat(user, conference, CouncilRole.CHAIR, CouncilRole.SECRETARY))


def can_close(user, conference: Conference) -> bool:
    return conference.status == ConferenceStatus.SCORING and (
        can_manage(user, conference) or _has_seat(user, conference, CouncilRole.CHAIR))


def can_reopen(user, conference: Conference) -> bool:
    return (conference.status == ConferenceStatus.CLOSED and _active(user) and user.has_perm(REOPEN_CONFERENCE)
            and registry_policies.can_see(user, conference))


def can_change_setup(user, conference: Conference) -> bool:
    """Council and nominations: until the conference closes."""
    return conference.status != ConferenceStatus.CLOSED and can_manage(user, conference)


def can_nominate(user, conference: Conference, initiative: Initiative) -> bool:
    """Accepted models of the host's own area, while the conference is not closed."""
    return (can_change_setup(user, conference) and initiative.status == InitiativeStatus.ACCEPTED
            and in_subtree(initiative.unit, conference.host_unit))


def can_enter_sheet(user, member: CouncilMember) -> bool:
    """The member for themself; the secretary for any member (a paper sheet typed in)."""
    return _active(user) and (member.user_id == user.pk
                              or _has_seat(user, member.conference, CouncilRole.SECRETARY))


def can_score(user, nomination: Nomination, member: CouncilMember) -> bool:
    return (nomination.conference.status == ConferenceStatus.SCORING
            and member.conference_id == nomination.conference_id
            and not member.is_recused_from(nomination)
            and can_enter_sheet(user, member))


def can_decide_results(user, conference: Conference) -> bool:
    """Overrides and recognition: the host's board, the chair or the secretary, before closing."""
    return conference.status == ConferenceStatus.SCORING and (
        can_manage(user, conference) or _has_seat(user, conference, CouncilRole.CHAIR, CouncilRole.SECRETARY))


def can_read_minutes(user, conference: Conference) -> bool:
    return can_view(user, conference)


def can_see_results(user, conference: Conference) -> bool:
    """Means, spreads, ratings and ranks: the chair, the secretary and the host's board while scoring (members
    score without seeing each other's totals); everyone who may view the conference once it is closed."""
    if conference.status == ConferenceStatus.CLOSED:
        return can_view(user, conference)
    return can_manage(user, conference) or _has_seat(user, conference, CouncilRole.CHAIR, CouncilRole.SECRETARY)


IMPORT_PAST_RECORDS = "models_registry.import_initiative"


def can_record_past(user, unit: AdministrativeUnit) -> bool:
    """Bringing in a past conference's results from the board's files: a board allowed to hold conferences and
    to import records, for a unit of its area (an old district or commune merged into it included)."""
    return (_active(user) and user.has_perm(ADD_CONFERENCE) and user.has_perm(IMPORT_PAST_RECORDS)
            and UserScope.of(user).covers_unit(unit))
