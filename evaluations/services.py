"""Every change to a conference, its council, nominations, score sheets and results goes through here.

Each function checks its acting user itself (policies.py), runs in one transaction, re-reads what it
changes under a lock, refuses a change made from a stale page, and writes the audit log. A closed
conference refuses every change until it is reopened.
"""

from __future__ import annotations

import datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from models_registry.audit import field_changes, log_action, register_actions, values_of
from models_registry.formatting import decimal_text, person_name
from models_registry.models import Initiative, InitiativeStatus, StaffProfile
from models_registry.public_cache import public_catalogue_changed
from models_registry.scope import in_subtree
from models_registry.text import fold_for_search

from . import policies
from .models import (
    Conference,
    ConferenceKind,
    ConferenceStatus,
    CouncilMember,
    CouncilRole,
    CriteriaSet,
    Criterion,
    LatestRating,
    Nomination,
    Rating,
    Score,
    ScoreSheet,
    SheetStatus,
)

TWO_PLACES = Decimal("0.01")

register_actions({
    "conference.created": gettext_lazy("conference created"),
    "conference.changed": gettext_lazy("conference changed"),
    "conference.opened": gettext_lazy("scoring opened"),
    "conference.closed": gettext_lazy("conference closed"),
    "conference.reopened": gettext_lazy("conference reopened"),
    "conference.member_added": gettext_lazy("council member added"),
    "conference.member_changed": gettext_lazy("council member changed"),
    "conference.member_removed": gettext_lazy("council member removed"),
    "conference.nominated": gettext_lazy("models nominated"),
    "conference.nomination_removed": gettext_lazy("nomination removed"),
    "nomination.sheet_submitted": gettext_lazy("score sheet submitted"),
    "nomination.sheet_saved": gettext_lazy("score sheet saved as a draft"),
    "nomination.result_decided": gettext_lazy("result decided"),
    "criteria_set.created": gettext_lazy("criteria set created"),
    "criteria_set.changed": gettext_lazy("criteria set changed"),
    "criteria_set.criteria_changed": gettext_lazy("criteria changed"),
    "rating.created": gettext_lazy("rating created"),
    "rating.changed": gettext_lazy("rating changed"),
    "conference.past_results_recorded": gettext_lazy("past results recorded"),
})


class EvaluationError(ValidationError):
    """A change that cannot happen now; the message is for the person who tried it."""


class StaleError(EvaluationError):
    pass


def _round(value: Decimal) -> Decimal:
    return value.quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def _refuse_if_closed(conference: Conference) -> None:
    if conference.status == ConferenceStatus.CLOSED:
        raise EvaluationError(_("The conference is closed: its sheets and results can no longer change."))


def _locked(conference: Conference) -> Conference:
    return Conference.unscoped.select_for_update().select_related("host_unit", "criteria_set").get(pk=conference.pk)


def _setup_locked(conference: Conference, acting_user, refusal: str) -> Conference:
    """The conference locked for a change of its council or nominations, which only its host makes, and only
    until it closes."""
    current = _locked(conference)
    _refuse_if_closed(current)
    if not policies.can_change_setup(acting_user, current):
        raise PermissionDenied(refusal)
    return current


def _check_version(current_version: int, expected_version: int | None) -> None:
    if expected_version is not None and current_version != expected_version:
        raise StaleError(_("Someone changed this in the meantime. Reload the page to see their change, "
                           "then try again."))


# --- Rating arithmetic -----------------------------------------------------------------------------


def rating_for(mean: Decimal | None, max_total: Decimal, scale: list[Rating] | None = None) -> Rating | None:
    """The highest rating whose threshold (a share of the maximum) the mean reaches; a mean exactly on a
    threshold reaches it."""
    if mean is None or not max_total:
        return None
    percent = _round(mean * 100 / max_total)
    for rating in scale if scale is not None else Rating.objects.order_by("-min_percent"):
        if percent >= rating.min_percent:
            return rating
    return None


def summarise(totals: list[Decimal]) -> tuple[Decimal | None, Decimal | None]:
    """Mean and spread (highest minus lowest) of the submitted sheets' totals."""
    if not totals:
        return None, None
    return _round(sum(totals, Decimal(0)) / len(totals)), _round(max(totals) - min(totals))


def _recompute(nomination: Nomination) -> None:
    totals = list(nomination.sheets.filter(status=SheetStatus.SUBMITTED).values_list("total", flat=True))
    mean, spread = summarise(totals)
    criteria_set = nomination.conference.criteria_set
    nomination.sheets_submitted = len(totals)
    nomination.mean_score, nomination.spread = mean, spread
    nomination.computed_rating = rating_for(mean, criteria_set.max_total)
    nomination.rating = nomination.override_rating or nomination.computed_rating
    nomination.version = F("version") + 1
    nomination.save(update_fields=["sheets_submitted", "mean_score", "spread", "computed_rating", "rating",
                                   "version", "updated_at"])
    nomination.refresh_from_db(fields=["version"])
    rank_nominations(nomination.conference)


def rank_nominations(conference: Conference) -> None:
    """Rank by mean score, best first; equal means share a rank; unscored nominations get none."""
    scored = list(Nomination.unscoped.filter(conference=conference, mean_score__isnull=False)
                  .order_by("-mean_score", "pk"))
    changed, previous, rank = [], None, 0
    for position, nomination in enumerate(scored, start=1):
        if nomination.mean_score != previous:
            rank, previous = position, nomination.mean_score
        if nomination.rank != rank:
            nomination.rank = rank
            changed.append(nomination)
    Nomination.unscoped.bulk_update(changed, ["rank"])
    Nomination.unscoped.filter(conference=conference, mean_score__isnull=True).exclude(rank=None).update(rank=None)


# --- Conferences -------------------------------------------------------------------------------------

CONFERENCE_FIELDS = ("title", "kind", "year_from", "year_to", "host_unit", "held_on", "place", "criteria_set")


def default_criteria_set() -> CriteriaSet | None:
    return CriteriaSet.objects.order_by("pk").first()


def conference_save(*, acting_user, conference: Conference) -> Conference:
    """Create or change a conference (built by a form). A host holds conferences for its own unit only; the
    criteria set changes only while preparing."""
    creating = conference.pk is None
    if not policies.can_host_at(acting_user, conference.host_unit):
        raise PermissionDenied(_("You can only hold conferences for your own unit."))
    if conference.kind == ConferenceKind.YEARLY or not conference.year_to:
        conference.year_to = conference.year_from
    conference.level = conference.host_unit.level
    with transaction.atomic():
        if creating:
            conference.created_by = acting_user if getattr(acting_user, "pk", None) else None
            if conference.criteria_set_id is None:
                conference.criteria_set = default_criteria_set()
            conference.full_clean()
            conference.save()
            log_action(conference, "conference.created", user=acting_user)
            collect_proposals(conference)
            return conference
        current = _locked(conference)
        if not policies.can_manage(acting_user, current):
            raise PermissionDenied(_("Only the host's board can change this conference."))
        _refuse_if_closed(current)
        moved = (conference.criteria_set_id, conference.host_unit_id) != (current.criteria_set_id,
                                                                           current.host_unit_id)
        if current.status != ConferenceStatus.PREPARING and moved:
            raise EvaluationError(_("Scoring has started: the criteria set and the host can no longer change."))
        before = values_of(current, CONFERENCE_FIELDS)
        conference.status, conference.version = current.status, current.version
        conference.full_clean()
        conference.save()
        changes = field_changes(before, conference)
        if changes:
            log_action(conference, "conference.changed", user=acting_user, changes=changes)
    return conference


def _set_status(conference: Conference, to_status: str, *, acting_user, action: str, reason: str = "") -> None:
    from_status = conference.status
    conference.status = to_status
    conference.closed_at = timezone.now() if to_status == ConferenceStatus.CLOSED else None
    conference.version += 1
    conference.save(update_fields=["status", "closed_at", "version", "updated_at"])
    log_action(conference, action, user=acting_user, changes={"status": [
        str(ConferenceStatus(from_status).label), str(ConferenceStatus(to_status).label)]},
        data={"reason": reason} if reason else None)


def conference_open_scoring(*, acting_user, conference: Conference, expected_version: int | None = None) -> Conference:
    with transaction.atomic():
        current = _locked(conference)
        _check_version(current.version, expected_version)
        if not policies.can_open_scoring(acting_user, current):
            raise PermissionDenied(_("Only the host's board, the chair or the secretary can open the scoring."))
        if not current.criteria_set.criteria.exists():
            raise EvaluationError(_("The criteria set has no criteria: add them before scoring starts."))
        if not current.members.exists():
            raise EvaluationError(_("The council has no members yet: add them before scoring starts."))
        collect_proposals(current)
        if not current.nominations.exists():
            raise EvaluationError(_("No model has been nominated yet: add nominations before scoring starts."))
        _set_status(current, ConferenceStatus.SCORING, acting_user=acting_user, action="conference.opened")
    return current


def conference_close(*, acting_user, conference: Conference, expected_version: int | None = None) -> Conference:
    """Close the scoring: results are frozen, the proposals go up to the next level's conference and the
    public pages show the ratings."""
    with transaction.atomic():
        current = _locked(conference)
        _check_version(current.version, expected_version)
        if not policies.can_close(acting_user, current):
            raise PermissionDenied(_("Only the host's board or the chair can close the conference."))
        drafts = ScoreSheet.unscoped.filter(nomination__conference=current, status=SheetStatus.DRAFT).count()
        if drafts:
            raise EvaluationError(_("%(count)s score sheets are still drafts: submit them or delete them "
                                    "before closing.") % {"count": drafts})
        _set_status(current, ConferenceStatus.CLOSED, acting_user=acting_user, action="conference.closed")
        forward_proposals(current)
        refresh_latest_ratings(Nomination.unscoped.filter(conference=current).values("initiative"))
        transaction.on_commit(public_catalogue_changed)
    return current


def conference_reopen(*, acting_user, conference: Conference, reason: str,
                      expected_version: int | None = None) -> Conference:
    reason = (reason or "").strip()
    if not reason:
        raise EvaluationError(_("Say why the conference is reopened."))
    with transaction.atomic():
        current = _locked(conference)
        _check_version(current.version, expected_version)
        if not policies.can_reopen(acting_user, current):
            raise PermissionDenied(_("You are not allowed to reopen a closed conference."))
        _set_status(current, ConferenceStatus.SCORING, acting_user=acting_user, action="conference.reopened",
                    reason=reason)
        refresh_latest_ratings(Nomination.unscoped.filter(conference=current).values("initiative"))
        transaction.on_commit(public_catalogue_changed)
    return current


# --- The council -------------------------------------------------------------------------------------


def member_save(*, acting_user, member: CouncilMember) -> CouncilMember:
    """Add a member or change their role; the body they work for defaults to their account's."""
    with transaction.atomic():
        conference = _setup_locked(member.conference, acting_user, _("Only the host's board can change the council."))
        if member.pk is None and member.organization_id is None:
            member.organization_id = (StaffProfile.objects.filter(user=member.user_id)
                                      .values_list("organization", flat=True).first())
        if member.role == CouncilRole.CHAIR and CouncilMember.unscoped.filter(
                conference=conference, role=CouncilRole.CHAIR).exclude(pk=member.pk).exists():
            raise EvaluationError(_("The council already has a chair."))
        member.full_clean()
        creating = member.pk is None
        member.save()
        log_action(conference, "conference.member_added" if creating else "conference.member_changed",
                   user=acting_user, data={"member": person_name(member.user),
                                           "role": str(CouncilRole(member.role).label)})
    return member


def member_remove(*, acting_user, member: CouncilMember) -> None:
    with transaction.atomic():
        conference = _setup_locked(member.conference, acting_user, _("Only the host's board can change the council."))
        if member.sheets.exists():
            raise EvaluationError(_("%(member)s has already scored: their sheets stay in the record.")
                                  % {"member": person_name(member.user)})
        member.delete()
        log_action(conference, "conference.member_removed", user=acting_user,
                   data={"member": person_name(member.user)})


# --- Nominations -------------------------------------------------------------------------------------


def nominate(*, acting_user, conference: Conference, initiatives, proposed_by: dict | None = None
             ) -> tuple[list[Nomination], list[tuple[Initiative, str]]]:
    """Put initiatives before the conference: returns (added, [(initiative, why it was left out)]).

    An initiative is nominated at most once per conference; one that is not accepted or lies outside the
    host's area is left out with the reason."""
    added, skipped = [], []
    with transaction.atomic():
        current = _setup_locked(conference, acting_user,
                                _("Only the host's board can nominate models to this conference."))
        already = set(Nomination.unscoped.filter(conference=current).values_list("initiative_id", flat=True))
        for initiative in initiatives:
            if initiative.pk in already:
                skipped.append((initiative, _("already nominated")))
            elif initiative.status != InitiativeStatus.ACCEPTED:
                skipped.append((initiative, _("not accepted")))
            elif not policies.can_nominate(acting_user, current, initiative):
                skipped.append((initiative, _("outside the host's area")))
            else:
                added.append(Nomination(conference=current, initiative=initiative, nominated_by=acting_user,
                                        proposed_by=(proposed_by or {}).get(initiative.pk)))
                already.add(initiative.pk)
        Nomination.unscoped.bulk_create(added)
        if added:
            log_action(current, "conference.nominated", user=acting_user,
                       data={"count": len(added), "codes": ", ".join(n.initiative.code for n in added[:20])})
    return added, skipped


def nomination_remove(*, acting_user, nomination: Nomination) -> None:
    with transaction.atomic():
        conference = _setup_locked(nomination.conference, acting_user,
                                   _("Only the host's board can change the nominations."))
        if nomination.sheets.exists():
            raise EvaluationError(_("The council has started scoring this model: it stays on the list."))
        nomination.delete()
        log_action(conference, "conference.nomination_removed", user=acting_user,
                   data={"code": nomination.initiative.code})
        rank_nominations(conference)


def _next_level_unit(conference: Conference):
    return conference.host_unit.parent


def forward_proposals(conference: Conference) -> int:
    """Put the closed conference's proposals before the next level's open conference of the same kind and
    year, if it exists yet (otherwise that conference collects them when it is created or opened)."""
    parent_unit = _next_level_unit(conference)
    if parent_unit is None:
        return 0
    target = (Conference.unscoped.filter(host_unit=parent_unit, kind=conference.kind,
                                         year_from__lte=conference.year_to, year_to__gte=conference.year_to)
              .exclude(status=ConferenceStatus.CLOSED).order_by("pk").first())
    return collect_proposals(target) if target else 0


def collect_proposals(conference: Conference) -> int:
    """Nominate what the lower conferences of the host's area proposed upward, each exactly once."""
    if conference.status == ConferenceStatus.CLOSED:
        return 0
    proposals = (Nomination.unscoped.filter(
        proposed_upward=True, conference__status=ConferenceStatus.CLOSED,
        conference__host_unit__parent=conference.host_unit, conference__kind=conference.kind,
        conference__year_to__gte=conference.year_from, conference__year_to__lte=conference.year_to,
        proposed_to__isnull=True,
    ).select_related("initiative"))
    new = []
    already = dict(Nomination.unscoped.filter(conference=conference).values_list("initiative_id", "pk"))
    for proposal in proposals:
        if proposal.initiative_id in already:
            # Nominated by hand already: record where the proposal came from, once.
            Nomination.unscoped.filter(pk=already[proposal.initiative_id], proposed_by=None).update(
                proposed_by=proposal)
            continue
        new.append(Nomination(conference=conference, initiative=proposal.initiative, proposed_by=proposal,
                              nominated_by=None))
        already[proposal.initiative_id] = None
    try:
        with transaction.atomic():
            Nomination.unscoped.bulk_create(new)
    except IntegrityError:  # another closing collected them at the same moment
        return 0
    return len(new)


# --- Score sheets ------------------------------------------------------------------------------------


def _parse_points(raw, criterion) -> Decimal | None:
    if raw in (None, ""):
        return None
    try:
        value = Decimal(str(raw).strip().replace(",", "."))
    except InvalidOperation:
        raise EvaluationError({f"criterion_{criterion.pk}": _(
            "“%(criterion)s”: enter a number, for example 8 or 8,5.") % {"criterion": criterion.name}}) from None
    if not value.is_finite() or value < 0 or value > criterion.max_points:
        raise EvaluationError({f"criterion_{criterion.pk}": _(
            "“%(criterion)s”: enter from 0 to %(max)s points.") % {
            "criterion": criterion.name, "max": decimal_text(criterion.max_points)}})
    if value != _round(value):
        raise EvaluationError({f"criterion_{criterion.pk}": _(
            "“%(criterion)s”: use at most two decimals.") % {"criterion": criterion.name}})
    return value


def sheet_save(*, acting_user, nomination: Nomination, member: CouncilMember, points: dict, comment: str = "",
               submit: bool = False, expected_version: int | None = None) -> ScoreSheet:
    """Save a member's scores for one nomination (a draft), or submit them (final, counted in the mean).

    `points` maps criterion ids to what was typed ("8,5"); every criterion must be within 0..its maximum,
    and all of them filled to submit."""
    with transaction.atomic():
        conference = _locked(nomination.conference)
        nomination = Nomination.unscoped.select_for_update().select_related("initiative").get(pk=nomination.pk)
        nomination.conference = conference
        member = CouncilMember.unscoped.select_related("conference").get(pk=member.pk)
        _refuse_if_closed(conference)
        if member.is_recused_from(nomination):
            raise EvaluationError(_("%(member)s works for the registering organisation and does not score this "
                                    "model.") % {"member": person_name(member.user)})
        if not policies.can_score(acting_user, nomination, member):
            if conference.status != ConferenceStatus.SCORING:
                raise EvaluationError(_("Scoring has not started yet."))
            raise PermissionDenied(_("Only the council's members score, each their own sheet (the secretary may "
                                     "type a paper sheet for a member)."))
        sheet, _created = ScoreSheet.unscoped.select_for_update().get_or_create(
            nomination=nomination, member=member, defaults={"entered_by": acting_user})
        _check_version(sheet.version, expected_version if not _created else None)
        if sheet.status == SheetStatus.SUBMITTED:
            raise EvaluationError(_("This sheet has already been submitted and can no longer change."))
        criteria = list(conference.criteria_set.criteria.all())
        values = {c.pk: _parse_points(points.get(c.pk, points.get(str(c.pk))), c) for c in criteria}
        missing = [c.name for c in criteria if values[c.pk] is None]
        if submit and missing:
            raise EvaluationError(_("Score every criterion before submitting; missing: %(names)s.")
                                  % {"names": "; ".join(missing)})
        sheet.scores.all().delete()
        Score.objects.bulk_create([Score(sheet=sheet, criterion_id=pk, points=value)
                                   for pk, value in values.items() if value is not None])
        sheet.total = sum((v for v in values.values() if v is not None), Decimal(0))
        sheet.comment = comment or ""
        sheet.entered_by = acting_user
        sheet.version += 1
        if submit:
            sheet.status = SheetStatus.SUBMITTED
            sheet.submitted_at = timezone.now()
        sheet.save()
        log_action(nomination, "nomination.sheet_submitted" if submit else "nomination.sheet_saved",
                   user=acting_user, data={
                       "member": person_name(member.user), "total": decimal_text(sheet.total),
                       **({"entered_for": person_name(member.user)} if acting_user.pk != member.user_id else {})})
        if submit:
            _recompute(nomination)
    return sheet


# --- Results -----------------------------------------------------------------------------------------

RESULT_FIELDS = ("override_rating", "override_reason", "recognised", "proposed_upward", "proposed_for_commendation")


def result_decide(*, acting_user, nomination: Nomination, expected_version: int | None = None,
                  **decisions) -> Nomination:
    """The council's decisions on one nomination: a rating other than the scores' (with a written reason),
    recognition at this level, proposals upward and for commendation."""
    unknown = set(decisions) - set(RESULT_FIELDS)
    if unknown:
        raise TypeError(f"Unknown decisions: {unknown}")
    with transaction.atomic():
        conference = _locked(nomination.conference)
        current = Nomination.unscoped.select_for_update().get(pk=nomination.pk)
        current.conference = conference
        _refuse_if_closed(conference)
        _check_version(current.version, expected_version)
        if not policies.can_decide_results(acting_user, conference):
            raise PermissionDenied(_("Only the host's board, the chair or the secretary decide the results."))
        before = values_of(current, RESULT_FIELDS)
        for name, value in decisions.items():
            setattr(current, name, value)
        current.override_reason = (current.override_reason or "").strip()
        if current.override_rating_id and not current.override_reason:
            raise EvaluationError({"override_reason": _(
                "Write the reason why the council rates this model differently from its scores.")})
        if not current.override_rating_id:
            current.override_reason = ""
        if current.proposed_upward and _next_level_unit(conference) is None:
            raise EvaluationError({"proposed_upward": _("This conference is already at the highest level.")})
        current.rating = current.override_rating or current.computed_rating
        current.version += 1
        current.save()
        changes = field_changes(before, current)
        if changes:
            log_action(current, "nomination.result_decided", user=acting_user, changes=changes)
    return current


# --- What the public pages read -----------------------------------------------------------------------


def refresh_latest_ratings(initiative_ids) -> None:
    """Recompute the latest rating of these initiatives from the closed conferences."""
    ids = list(Initiative.unscoped.filter(pk__in=initiative_ids).values_list("pk", flat=True))
    LatestRating.objects.filter(initiative_id__in=ids).delete()
    latest = {}
    for nomination in (Nomination.unscoped.filter(initiative_id__in=ids, conference__status=ConferenceStatus.CLOSED,
                                                   rating__isnull=False)
                       .select_related("rating", "conference")
                       .order_by("initiative_id", "-conference__year_to", "conference__level",
                                 "-conference__closed_at")):
        latest.setdefault(nomination.initiative_id, nomination)
    LatestRating.objects.bulk_create([
        LatestRating(initiative_id=pk, rating=n.rating, nomination=n, year=n.conference.year_to)
        for pk, n in latest.items()
    ])


# --- The criteria and the rating scale -----------------------------------------------------------------


def _check_scale_permission(acting_user, permission: str) -> None:
    if not (acting_user.is_active and acting_user.has_perm(permission)):
        raise PermissionDenied(_("You are not allowed to change the criteria and the rating scale."))


def _refuse_if_frozen(criteria_set: CriteriaSet) -> None:
    if criteria_set.pk and criteria_set.is_frozen:
        raise EvaluationError(_("A conference has started scoring with this criteria set: its criteria can no "
                                "longer change. Create a new set for the next conferences."))


def criteria_set_save(*, acting_user, criteria_set: CriteriaSet) -> CriteriaSet:
    creating = criteria_set.pk is None
    _check_scale_permission(acting_user, "evaluations.add_criteriaset" if creating else
                            "evaluations.change_criteriaset")
    with transaction.atomic():
        _refuse_if_frozen(criteria_set)
        before = {} if creating else values_of(CriteriaSet.objects.get(pk=criteria_set.pk),
                                               ("name", "description", "disagreement_spread"))
        criteria_set.full_clean()
        criteria_set.save()
        log_action(criteria_set, "criteria_set.created" if creating else "criteria_set.changed",
                   user=acting_user, changes=field_changes(before, criteria_set) if before else None,
                   place=(None, None))
    return criteria_set


def criteria_save(*, acting_user, criteria_set: CriteriaSet, saved: list[Criterion],
                  deleted: list[Criterion]) -> None:
    """Add, change and remove criteria of a set that no conference has started scoring with."""
    _check_scale_permission(acting_user, "evaluations.change_criteriaset")
    with transaction.atomic():
        CriteriaSet.objects.select_for_update().get(pk=criteria_set.pk)
        _refuse_if_frozen(criteria_set)
        for criterion in deleted:
            criterion.delete()
        for criterion in saved:
            criterion.criteria_set = criteria_set
            criterion.full_clean()
            criterion.save()
        if saved or deleted:
            log_action(criteria_set, "criteria_set.criteria_changed", user=acting_user, place=(None, None),
                       data={"total": decimal_text(criteria_set.max_total)})


def rating_save(*, acting_user, rating: Rating) -> Rating:
    """A step of the rating scale. Closed conferences keep the ratings they gave; conferences still scoring
    rate by the new thresholds as their next sheets come in."""
    creating = rating.pk is None
    _check_scale_permission(acting_user, "evaluations.add_rating" if creating else "evaluations.change_rating")
    names = ("name", "min_percent", "counts_as_effective", "counts_as_highly_effective")
    with transaction.atomic():
        before = {} if creating else values_of(Rating.objects.get(pk=rating.pk), names)
        rating.full_clean()
        rating.save()
        log_action(rating, "rating.created" if creating else "rating.changed", user=acting_user,
                   changes=field_changes(before, rating) if before else None, place=(None, None))
        # The catalogue's rating filter and badges show the scale's names.
        transaction.on_commit(public_catalogue_changed)
    return rating


# --- Past conferences, from the boards' files ----------------------------------------------------------

PAST_RESULT_FIELDS = ("rating", "recognised", "proposed_upward", "proposed_for_commendation")


def find_past_conference(*, host_unit, kind: str, year_from: int, year_to: int, title: str) -> Conference | None:
    """The conference a past record names: same host, kind and years, and the same title (accents, case and
    spacing aside)."""
    folded = fold_for_search(title)
    for conference in Conference.unscoped.filter(host_unit=host_unit, kind=kind, year_from=year_from,
                                                 year_to=year_to).order_by("pk"):
        if fold_for_search(conference.title) == folded:
            return conference
    return None


def past_result_refusal(conference: Conference | None) -> str:
    """Why the results of this existing conference cannot be brought in from a file (empty: they can)."""
    if conference is None:
        return ""
    if conference.status != ConferenceStatus.CLOSED:
        return _("the conference “%(title)s” is being held in the portal: its results are decided there.") % {
            "title": conference.title}
    if ScoreSheet.unscoped.filter(nomination__conference=conference).exists():
        return _("the conference “%(title)s” was scored in the portal: its results cannot be changed by a file.") % {
            "title": conference.title}
    return ""


def record_past_results(*, acting_user, title: str, kind: str, year_from: int, year_to: int, host_unit,
                        held_on: datetime.date | None = None, results: list[dict]) -> tuple[Conference, int, int]:
    """Record a conference held before the portal (or outside it) as closed, with its results: no council and
    no score sheets, the rating as decided then. Returns (conference, results added, results changed).

    `results` holds one dict per model: initiative, rating (or None), recognised, proposed_upward,
    proposed_for_commendation. The same conference named again (host, kind, years, title) is completed, not
    duplicated; a result already recorded with the same values is left alone. A conference scored in the
    portal is never changed this way. The catalogue's latest ratings follow.
    """
    if not policies.can_record_past(acting_user, host_unit):
        raise PermissionDenied(_("You can only record past conferences of your own area, with the permission to "
                                 "import records."))
    if kind == ConferenceKind.YEARLY:
        year_to = year_from
    with transaction.atomic():
        conference = find_past_conference(host_unit=host_unit, kind=kind, year_from=year_from, year_to=year_to,
                                          title=title)
        refusal = past_result_refusal(conference)
        if refusal:
            raise EvaluationError(refusal)
        if conference is None:
            closed_on = held_on or datetime.date(year_to, 12, 31)
            conference = Conference(title=title.strip(), kind=kind, year_from=year_from, year_to=year_to,
                                    host_unit=host_unit, level=host_unit.level, held_on=held_on,
                                    criteria_set=default_criteria_set(), status=ConferenceStatus.CLOSED,
                                    closed_at=min(timezone.make_aware(datetime.datetime.combine(
                                        closed_on, datetime.time(17))), timezone.now()),
                                    created_by=acting_user if getattr(acting_user, "pk", None) else None)
            conference.full_clean()
            conference.save()
            log_action(conference, "conference.created", user=acting_user)
        else:
            conference = _locked(conference)
        existing = {n.initiative_id: n for n in Nomination.unscoped.select_for_update().filter(conference=conference)}
        added, changed = [], 0
        for result in results:
            initiative = result["initiative"]
            if initiative.status != InitiativeStatus.ACCEPTED:
                raise EvaluationError(_("%(code)s is not an accepted model.") % {"code": initiative.code})
            if not in_subtree(initiative.unit, host_unit):
                raise EvaluationError(_("%(code)s is outside the area of %(unit)s.") % {
                    "code": initiative.code, "unit": host_unit.name})
            values = {name: result.get(name) or (None if name == "rating" else False) for name in PAST_RESULT_FIELDS}
            if values["proposed_upward"] and _next_level_unit(conference) is None:
                raise EvaluationError(_("%(code)s: this conference is already at the highest level.")
                                      % {"code": initiative.code})
            nomination = existing.get(initiative.pk)
            if nomination is None:
                nomination = Nomination(conference=conference, initiative=initiative, nominated_by=acting_user,
                                        computed_rating=None, override_rating=None, **values)
                nomination.full_clean(exclude=["conference", "initiative"])
                added.append(nomination)
                existing[initiative.pk] = nomination
                continue
            before = values_of(nomination, PAST_RESULT_FIELDS)
            for name, value in values.items():
                setattr(nomination, name, value)
            changes = field_changes(before, nomination, PAST_RESULT_FIELDS)
            if changes:
                nomination.version += 1
                nomination.save()
                log_action(nomination, "nomination.result_decided", user=acting_user, changes=changes)
                changed += 1
        Nomination.unscoped.bulk_create(added)
        if added or changed:
            log_action(conference, "conference.past_results_recorded", user=acting_user,
                       data={"count": len(added) + changed,
                             "codes": ", ".join(n.initiative.code for n in added[:20])})
        refresh_latest_ratings([result["initiative"].pk for result in results])
        transaction.on_commit(public_catalogue_changed)
    return conference, len(added), changed
