"""Reads for the pages that show commendations: an initiative's commendations, the home page's count, and a
decision's list of recipients (the printable annex of the decision).

Only approved commendations leave the register: a proposal or a rejection is the boards' working matter.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext as _

from .models import Commendation, Decision, RecipientKind

# What a row of a list shows, read with the commendation in the same query.
COMMENDATION_RELATED = ("award_form", "decision", "organization")


def with_commendation_flag(initiatives):
    """`initiative.has_commendations`, read with the initiative: a page then asks for the list only when there
    is one (most models have none)."""
    return initiatives.annotate(has_commendations=Exists(
        Commendation.unscoped.approved().filter(initiative=OuterRef("pk"))))


def initiative_commendations(initiative) -> list[Commendation]:
    """The approved commendations linked to the initiative, the latest decision first. The caller has checked
    who may see the initiative (public, or in the user's scope); a decision is a public act, so its rows are
    read without the reader's own scope."""
    if getattr(initiative, "has_commendations", True) is False:
        return []
    return list(Commendation.unscoped.approved().filter(initiative=initiative)
                .select_related(*COMMENDATION_RELATED)
                .order_by("-decision__date", "-year", "pk"))


def approved_count() -> int:
    """Every approved commendation (a headline figure of the home page)."""
    return Commendation.unscoped.approved().count()


def _printable_by(user) -> Q:
    """Decisions the user may print: entered by a board of their scope, or granting something to at least one
    recipient of their scope (staff of a body that received it)."""
    entered = Decision.objects.visible_to(user).values("pk")
    received = Commendation.objects.visible_to(user).approved().values("decision")
    return Q(pk__in=entered) | Q(pk__in=received)


def printable_decision(user, pk: int) -> Decision | None:
    """The decision, if the user may print its list of recipients (one query); None otherwise."""
    if not getattr(user, "is_authenticated", False):
        return None
    return (Decision.unscoped.filter(_printable_by(user), pk=pk)
            .select_related("award_form", "issuing_unit").first())


def printable_decision_ids(user, decision_ids) -> set[int]:
    """Of these decisions, those the user may print (for links from a page listing commendations)."""
    decision_ids = {pk for pk in decision_ids if pk is not None}
    if not decision_ids or not getattr(user, "is_authenticated", False):
        return set()
    return set(Decision.unscoped.filter(_printable_by(user), pk__in=decision_ids).values_list("pk", flat=True))


class _Counted:
    """The count of `rows` and the sum of their prizes: None (shown empty) when no row carries an amount."""

    rows: list[Commendation]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def prize_total(self) -> int | None:
        amounts = [row.prize_amount for row in self.rows if row.prize_amount is not None]
        return sum(amounts) if amounts else None


@dataclass
class RecipientGroup(_Counted):
    """The collectives or the individuals of a decision."""

    kind: str
    label: str
    rows: list[Commendation] = field(default_factory=list)


@dataclass
class RecipientList(_Counted):
    decision: Decision
    groups: list[RecipientGroup]

    @property
    def rows(self) -> list[Commendation]:
        return [row for group in self.groups for row in group.rows]

    @property
    def sectioned(self) -> bool:
        """Split in "Tập thể" and "Cá nhân" only when both occur."""
        return len(self.groups) > 1

    @property
    def title(self) -> str:
        kinds = {group.kind for group in self.groups}
        if kinds == {RecipientKind.COLLECTIVE}:
            return _("List of the collectives commended")
        if kinds == {RecipientKind.INDIVIDUAL}:
            return _("List of the individuals commended")
        return _("List of the collectives and individuals commended")

    @property
    def place_date(self) -> str:
        """"Quảng Ngãi, ngày 05 tháng 02 năm 2026": the place of the board that entered it, the decision's date."""
        unit, day = self.decision.issuing_unit, self.decision.date
        return _("%(place)s, day %(day)s month %(month)s year %(year)s") % {
            "place": unit.short_name or unit.name, "day": f"{day.day:02d}", "month": f"{day.month:02d}",
            "year": day.year}


def decision_recipients(decision: Decision) -> RecipientList:
    """The decision's approved recipients, collectives first, each in the order they were proposed. The caller
    has checked that the user may see the decision (`printable_decision`)."""
    rows = list(Commendation.unscoped.approved().filter(decision=decision)
                .select_related("organization", "unit", "initiative").order_by("pk"))
    groups = [RecipientGroup(kind, label, [row for row in rows if row.recipient_kind == kind])
              for kind, label in ((RecipientKind.COLLECTIVE, _("Collectives")),
                                  (RecipientKind.INDIVIDUAL, _("Individuals")))]
    return RecipientList(decision=decision, groups=[group for group in groups if group.rows])
