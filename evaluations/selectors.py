"""Reads for the council's scoring pages (functions prefixed `scoring_`).

The pages check `policies.can_view` on the conference first; what hangs from an allowed conference is then
read through the models' `unscoped` managers, because a council member's own scope need not cover the host's
area (a commune's staff may sit on the province's council).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.db.models import Case, Count, IntegerField, OuterRef, Subquery, Value, When
from django.db.models.functions import Coalesce

from models_registry.models import Attachment

from . import policies
from .models import Conference, CouncilMember, CouncilRole, Criterion, Nomination, Score, ScoreSheet, SheetStatus

# The council in the order of the minutes: the chair, the secretary, then the members as they were added.
COUNCIL_ORDER = (Case(When(role=CouncilRole.CHAIR, then=0), When(role=CouncilRole.SECRETARY, then=1), default=2),
                 "pk")

# The field's parent too: a field is shown as "parent › field" (one query per row otherwise).
NOMINATION_RELATED = ("initiative", "initiative__organization", "initiative__field", "initiative__field__parent",
                      "initiative__unit", "rating", "computed_rating", "override_rating")


def _count(grouped):
    """A correlated count as a subquery (no join multiplying the outer rows); `grouped` is already narrowed
    to the outer row and reduced by `.values(<the field it is grouped by>)`."""
    return Coalesce(Subquery(grouped.order_by().annotate(n=Count("pk")).values("n")[:1],
                             output_field=IntegerField()), Value(0))


def scoring_seats_of(user) -> list[CouncilMember]:
    """The user's council seats, newest conference first, each with how far they are: `to_score` (the
    nominations not of their own organisation) and `submitted` (their submitted sheets)."""
    submitted = ScoreSheet.unscoped.filter(member=OuterRef("pk"), status=SheetStatus.SUBMITTED).values("member")
    nominations = Nomination.unscoped.filter(conference=OuterRef("conference")).values("conference")
    recused = Nomination.unscoped.filter(conference=OuterRef("conference"),
                                         initiative__organization=OuterRef("organization")).values("conference")
    seats = (CouncilMember.unscoped.filter(user=user)
             .select_related("conference", "conference__host_unit")
             .annotate(submitted=_count(submitted), nominated=_count(nominations), recused=_count(recused))
             .order_by("-conference__year_to", "-conference__held_on", "-conference__pk"))
    result = list(seats)
    for seat in result:
        seat.to_score = seat.nominated - seat.recused
    return result


def scoring_conferences_in_scope(user, *, exclude_ids=(), limit: int = 50):
    """Conferences of the user's area that they do not sit on (staff following their area's conferences)."""
    if not user.has_perm("evaluations.view_conference"):
        return Conference.unscoped.none()
    return (Conference.objects.visible_to(user).exclude(pk__in=list(exclude_ids))
            .select_related("host_unit").annotate(nominated=Count("nominations"))[:limit])


def scoring_nominations(conference: Conference, seat: CouncilMember | None):
    """The conference's nominations, each with `my_status` (the seat's sheet: draft / submitted / None) and
    `recused` (the seat works for the registering organisation)."""
    rows = Nomination.unscoped.filter(conference=conference).select_related(*NOMINATION_RELATED)
    if seat is not None:
        rows = rows.annotate(my_status=Subquery(
            ScoreSheet.unscoped.filter(nomination=OuterRef("pk"), member=seat).values("status")[:1]))
    rows = list(rows.order_by("pk"))
    for row in rows:
        if seat is None:
            row.my_status, row.recused = None, False
        else:
            row.recused = seat.organization_id is not None and seat.organization_id == row.initiative.organization_id
    return rows


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def scoring_progress(conference: Conference, nominations: list[Nomination], seat: CouncilMember | None
                     ) -> tuple[Progress | None, Progress]:
    """(the seat's own progress, the council's): nominations the seat has submitted a sheet for out of those it
    scores, and submitted sheets out of the sheets expected from every member on every nomination they may
    score."""
    mine = None
    if seat is not None:
        own = [n for n in nominations if not n.recused]
        mine = Progress(sum(1 for n in own if n.my_status == SheetStatus.SUBMITTED), len(own))
    members = list(CouncilMember.unscoped.filter(conference=conference).values_list("organization_id", flat=True))
    by_organization = Counter(n.initiative.organization_id for n in nominations)
    expected = len(members) * len(nominations) - sum(by_organization[org] for org in members if org is not None)
    submitted = ScoreSheet.unscoped.filter(nomination__conference=conference, status=SheetStatus.SUBMITTED).count()
    return mine, Progress(submitted, expected)


def scoring_nomination(conference: Conference, nomination_pk: int) -> Nomination | None:
    return (Nomination.unscoped.filter(conference=conference, pk=nomination_pk)
            .select_related(*NOMINATION_RELATED, "initiative__replicated_from").first())


SEAT_FIELDS = ("pk", "role", "position", "organization_id")


def scoring_sheet_nomination(conference_pk: int, nomination_pk: int, user) -> Nomination | None:
    """The score sheet page's nomination with its conference (host unit and criteria set) and the person's seat
    on its council (policies.seat_of answers from it), in one query. The page checks `policies.can_view` on
    `nomination.conference` before showing anything."""
    seat = CouncilMember.unscoped.filter(conference=OuterRef("conference"), user=user.pk)
    nomination = (Nomination.unscoped.filter(conference_id=conference_pk, pk=nomination_pk)
                  .select_related("conference__host_unit", "conference__criteria_set", *NOMINATION_RELATED,
                                  "initiative__replicated_from")
                  .annotate(**{f"seat_{name}": Subquery(seat.values(name)[:1]) for name in SEAT_FIELDS}).first())
    if nomination is not None and user.is_authenticated:
        found = None
        if nomination.seat_pk is not None:
            found = CouncilMember(conference=nomination.conference, user=user,
                                  **{name: getattr(nomination, f"seat_{name}") for name in SEAT_FIELDS})
        policies.remember_seat(user, nomination.conference, found)
    return nomination


def scoring_criteria(conference: Conference, sheet: ScoreSheet | None) -> list[Criterion]:
    """The criteria of the conference's set in their order, each with `given_points`: the sheet's points for
    it (None when not scored yet, or without a sheet), read with the criteria."""
    criteria = conference.criteria_set.criteria.all()
    if sheet is not None:
        criteria = criteria.annotate(given_points=Subquery(
            Score.objects.filter(sheet=sheet, criterion=OuterRef("pk")).values("points")[:1]))
    return list(criteria)


def scoring_member(conference: Conference, member_pk) -> CouncilMember | None:
    if not str(member_pk).isdigit():
        return None
    return (CouncilMember.unscoped.filter(conference=conference, pk=member_pk)
            .select_related("user", "organization").first())


def scoring_sheet(nomination: Nomination, member: CouncilMember) -> ScoreSheet | None:
    """The member's sheet (its points come with the criteria: `scoring_criteria`)."""
    return ScoreSheet.unscoped.filter(nomination=nomination, member=member).select_related("entered_by").first()


def scoring_council_sheets(nomination: Nomination) -> list[CouncilMember]:
    """Every member with `sheet_status` for this nomination and `recused`: the secretary's picker."""
    members = list(CouncilMember.unscoped.filter(conference=nomination.conference_id)
                   .select_related("user").annotate(sheet_status=Subquery(
                       ScoreSheet.unscoped.filter(nomination=nomination, member=OuterRef("pk")).values("status")[:1]))
                   .order_by(*COUNCIL_ORDER))
    for member in members:
        member.recused = member.is_recused_from(nomination)
    return members


def scoring_next_nomination(conference: Conference, seat: CouncilMember, after: Nomination) -> Nomination | None:
    """The next nomination (in list order, wrapping around) the seat still has to submit a sheet for."""
    waiting = (Nomination.unscoped.filter(conference=conference)
               .exclude(pk=after.pk)
               .exclude(sheets__member=seat, sheets__status=SheetStatus.SUBMITTED)
               .order_by("pk"))
    if seat.organization_id is not None:
        waiting = waiting.exclude(initiative__organization=seat.organization_id)
    return waiting.filter(pk__gt=after.pk).first() or waiting.first()


def scoring_attachments(nomination: Nomination):
    return Attachment.unscoped.filter(initiative=nomination.initiative_id).order_by("uploaded_at")


def scoring_attachment(nomination: Nomination, attachment_pk: int) -> Attachment | None:
    return Attachment.unscoped.filter(initiative=nomination.initiative_id, pk=attachment_pk).first()


def scoring_yearly_results(nomination: Nomination):
    return nomination.initiative.yearly_results.order_by("-year")



def has_council_seat(user) -> bool:
    """Whether the person sits on any conference's council (the menu then offers the scoring pages); known
    without a query once a page has found one of their seats (policies.seat_of)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "_danvan_has_council_seat", None) is None:
        user._danvan_has_council_seat = CouncilMember.unscoped.filter(user=user).exists()
    return user._danvan_has_council_seat
