"""Who may propose and who decides a commendation: the one place that answers it.

A board proposes for the bodies and people of its area; the authority's own level decides — the provincial
board for provincial forms (and it records the central board's), a commune's board for the commune's Giấy
khen. Everything starts from the registry's scope rule.
"""

from __future__ import annotations

from models_registry import policies as registry_policies
from models_registry.models import Organization
from models_registry.scope import UserScope

from .models import AwardForm, AwardLevel, Commendation, CommendationStatus

PROPOSE = "awards.add_commendation"
DECIDE = "awards.decide_commendation"


def _active(user) -> bool:
    return bool(user is not None and user.is_authenticated and user.is_active)


def can_propose(user, organization: Organization) -> bool:
    return _active(user) and user.has_perm(PROPOSE) and registry_policies.can_see(user, organization)


def deciding_levels(user) -> list[int] | None:
    """The award levels the person's board decides (None: every level, for a superuser): its own level, and
    at province level the central board's forms, which the province records."""
    if not _active(user) or not user.has_perm(DECIDE):
        return []
    if user.is_superuser:
        return None
    unit = UserScope.of(user).unit
    if unit is None:
        return []
    return [unit.level, AwardLevel.CENTRAL] if unit.level == AwardLevel.PROVINCE else [unit.level]


def decides_at_level(user, award_form: AwardForm) -> bool:
    """Whether the person's board is the level that decides this form."""
    levels = deciding_levels(user)
    return levels is None or award_form.level in levels


def can_decide(user, commendation: Commendation) -> bool:
    return (commendation.status == CommendationStatus.PROPOSED and decides_at_level(user, commendation.award_form)
            and registry_policies.can_see(user, commendation))


IMPORT_PAST_RECORDS = "models_registry.import_initiative"


def can_record_past(user, organization: Organization) -> bool:
    """Entering a past decision from the board's files: a board that enters decisions and may import records,
    for the bodies and people of its area (whatever level granted the form then)."""
    return (_active(user) and user.has_perm("awards.add_decision") and user.has_perm(IMPORT_PAST_RECORDS)
            and registry_policies.can_see(user, organization))
