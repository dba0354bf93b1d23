"""Every change to a commendation goes through here: proposing (by hand or from conference results),
approving onto a decision, rejecting. Each checks the acting user (policies.py) and the eligibility rules,
writes inside one transaction and records an audit entry. A batch is all or nothing: one ineligible
recipient and nothing is written, with every reason listed."""

from __future__ import annotations

import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from evaluations.models import ConferenceStatus, Nomination
from models_registry.audit import log_action, register_actions
from models_registry.formatting import vnd
from models_registry.models import InitiativeKind
from models_registry.policies import can_see
from models_registry.public_cache import public_catalogue_changed
from models_registry.scope import UserScope
from models_registry.text import fold_for_search

from . import policies
from .models import AwardForm, Commendation, CommendationStatus, Decision, RecipientKind

register_actions({
    "commendation.proposed": gettext_lazy("proposed for commendation"),
    "commendation.approved": gettext_lazy("commendation approved"),
    "commendation.rejected": gettext_lazy("commendation rejected"),
    "decision.created": gettext_lazy("commendation decision entered"),
    "award_form.saved": gettext_lazy("award form saved"),
    "decision.recorded": gettext_lazy("past commendation decision recorded"),
})


class AwardError(ValidationError):
    """A proposal or a decision that breaks a rule; the message says which and why."""


# --- Eligibility: each rule once, with its message ----------------------------------------------------


def _same_recipient(commendation: Commendation):
    """The other rows for the same recipient, form and year."""
    rows = Commendation.unscoped.filter(award_form=commendation.award_form, year=commendation.year,
                                        organization=commendation.organization,
                                        recipient_kind=commendation.recipient_kind)
    if commendation.pk:
        rows = rows.exclude(pk=commendation.pk)
    if commendation.recipient_kind == RecipientKind.INDIVIDUAL:
        folded = fold_for_search(commendation.person_name)
        return [row for row in rows if fold_for_search(row.person_name) == folded]
    return list(rows)


def eligibility_errors(commendation: Commendation, *, on: datetime.date | None = None,
                       approving: bool = False) -> list[str]:
    """Why this recipient cannot have this form (empty when it can). `on` is the decision's date."""
    form: AwardForm = commendation.award_form
    errors = []
    if not form.fits(commendation.recipient_kind):
        errors.append(_("“%(form)s” is not awarded to %(kind)s.") % {
            "form": form.name, "kind": RecipientKind(commendation.recipient_kind).label.lower()})
    day = on or datetime.date(commendation.year, 12, 31)
    if not form.valid_on(day):
        errors.append(_("“%(form)s” is not in use on %(date)s.") % {"form": form.name,
                                                                      "date": f"{day:%d/%m/%Y}"})
    if form.min_rating_id:
        rating = commendation.nomination.rating if commendation.nomination_id else None
        if rating is None:
            errors.append(_("“%(form)s” needs an evaluation result rated at least “%(rating)s”.") % {
                "form": form.name, "rating": form.min_rating.name})
        elif rating.min_percent < form.min_rating.min_percent:
            errors.append(_("The result is rated “%(rating)s”; “%(form)s” needs at least “%(minimum)s”.") % {
                "rating": rating.name, "form": form.name, "minimum": form.min_rating.name})
    others = [row for row in _same_recipient(commendation) if row.status != CommendationStatus.REJECTED]
    if approving:
        others = [row for row in others if row.status == CommendationStatus.APPROVED]
    if others:
        errors.append(_("%(recipient)s already has “%(form)s” for %(year)s (proposed or approved).") % {
            "recipient": commendation.recipient_name, "form": form.name, "year": commendation.year})
    return errors


def _check_links(commendation: Commendation, acting_user) -> None:
    nomination = None
    if commendation.nomination_id:
        # As stored now (closed or not, its rating), not as the caller's copy remembers it.
        nomination = Nomination.unscoped.select_related("conference", "rating").get(pk=commendation.nomination_id)
        commendation.nomination = nomination
        if nomination.conference.status != ConferenceStatus.CLOSED:
            raise AwardError(_("A conference's results become official when it closes: propose after closing."))
        if commendation.initiative_id is None:
            commendation.initiative = nomination.initiative
        elif commendation.initiative_id != nomination.initiative_id:
            raise AwardError(_("The evaluation result belongs to another model."))
    if commendation.initiative_id and not can_see(acting_user, commendation.initiative):
        raise PermissionDenied(_("This model is outside your area."))
    if nomination is None and not commendation.justification.strip():
        raise AwardError({"justification": _("Write why this recipient deserves the commendation (no evaluation "
                                             "result is linked).")})


def _refuse(errors: list[str], heading: str) -> None:
    if errors:
        raise AwardError([heading, *errors])


# --- Proposing -----------------------------------------------------------------------------------------


def propose(*, acting_user, commendation: Commendation) -> Commendation:
    """Record one proposal (built by a form)."""
    return propose_many(acting_user=acting_user, commendations=[commendation])[0]


def propose_many(*, acting_user, commendations: list[Commendation]) -> list[Commendation]:
    with transaction.atomic():
        errors, seen = [], set()
        for commendation in commendations:
            if not policies.can_propose(acting_user, commendation.organization):
                raise PermissionDenied(_("You can only propose commendations for the bodies and people of your "
                                         "area."))
            commendation.person_name = commendation.person_name.strip()
            commendation.justification = (commendation.justification or "").strip()
            _check_links(commendation, acting_user)
            problems = eligibility_errors(commendation)
            # Two of the same batch for one recipient are a duplicate too.
            key = (commendation.award_form_id, commendation.year, commendation.organization_id,
                   commendation.recipient_kind, fold_for_search(commendation.person_name))
            if key in seen:
                problems.append(_("%(recipient)s is proposed twice.") % {"recipient": commendation.recipient_name})
            seen.add(key)
            errors += [f"{commendation.recipient_name}: {problem}" for problem in problems]
        _refuse(errors, _("Nothing was proposed:"))
        for commendation in commendations:
            commendation.status = CommendationStatus.PROPOSED
            commendation.proposed_by = acting_user
            commendation.full_clean()
            commendation.save()
            log_action(commendation, "commendation.proposed", user=acting_user,
                       data={"form": commendation.award_form.name, "year": commendation.year})
    return commendations


def from_result(nomination: Nomination, award_form: AwardForm, *, year: int | None = None) -> Commendation:
    """The proposal a conference result makes: the registering body, or the exemplar for an individual."""
    initiative = nomination.initiative
    individual = initiative.kind == InitiativeKind.INDIVIDUAL
    return Commendation(
        recipient_kind=RecipientKind.INDIVIDUAL if individual else RecipientKind.COLLECTIVE,
        organization=initiative.organization, person_name=initiative.person_name if individual else "",
        person_position=initiative.person_position if individual else "", initiative=initiative,
        nomination=nomination, year=year or nomination.conference.year_to, award_form=award_form,
        justification=_("Rated “%(rating)s” by the %(conference)s.") % {
            "rating": nomination.rating.name if nomination.rating else "–", "conference": nomination.conference},
    )


def propose_from_results(*, acting_user, nominations, award_form: AwardForm) -> list[Commendation]:
    return propose_many(acting_user=acting_user,
                        commendations=[from_result(nomination, award_form) for nomination in nominations])


# --- Deciding ------------------------------------------------------------------------------------------


def approve(*, acting_user, commendations: list[Commendation], number: str, date: datetime.date, signer: str,
            issuing_authority: str = "", prize_amount: int | None = None) -> Decision:
    """Put the proposals on one decision of their (common) form. All of them or none."""
    if not commendations:
        raise AwardError(_("Choose the proposals to approve."))
    with transaction.atomic():
        rows = list(Commendation.unscoped.select_for_update(of=("self",)).filter(pk__in=[c.pk for c in commendations])
                    .select_related("award_form", "organization", "nomination__rating", "award_form__min_rating"))
        forms = {row.award_form_id for row in rows}
        if len(forms) > 1:
            raise AwardError(_("One decision grants one award form: choose proposals of the same form."))
        form = rows[0].award_form
        if not policies.decides_at_level(acting_user, form):
            raise PermissionDenied(_("“%(form)s” is decided at the %(level)s.") % {
                "form": form.name, "level": form.get_level_display()})
        errors = []
        for row in rows:
            if row.status != CommendationStatus.PROPOSED:
                errors.append(_("%(recipient)s: already %(status)s.") % {
                    "recipient": row.recipient_name, "status": row.get_status_display()})
            elif not policies.can_decide(acting_user, row):
                raise PermissionDenied(_("A proposal is outside your area."))
            else:
                errors += [f"{row.recipient_name}: {problem}" for problem in
                           eligibility_errors(row, on=date, approving=True)]
        _refuse(errors, _("Nothing was approved:"))
        decision = Decision(number=number.strip(), date=date, signer=signer.strip(),
                            issuing_authority=(issuing_authority or form.issuing_authority).strip(), award_form=form,
                            issuing_unit=UserScope.of(acting_user).unit or rows[0].unit,
                            created_by=acting_user)
        decision.full_clean()
        decision.save()
        log_action(decision, "decision.created", user=acting_user,
                   data={"count": len(rows), **({"prize": vnd(prize_amount)} if prize_amount is not None else {})})
        for row in rows:
            row.status, row.decision, row.prize_amount = CommendationStatus.APPROVED, decision, prize_amount
            row.version += 1
            row.save()
            log_action(row, "commendation.approved", user=acting_user, data={"decision": str(decision)})
        transaction.on_commit(public_catalogue_changed)
    return decision


def reject(*, acting_user, commendation: Commendation, reason: str) -> Commendation:
    reason = (reason or "").strip()
    if not reason:
        raise AwardError({"reason": _("Say why the proposal is rejected.")})
    with transaction.atomic():
        row = Commendation.unscoped.select_for_update().select_related("award_form").get(pk=commendation.pk)
        if row.status != CommendationStatus.PROPOSED:
            raise AwardError(_("This proposal has already been decided."))
        if not policies.can_decide(acting_user, row):
            raise PermissionDenied(_("“%(form)s” is decided at the %(level)s.") % {
                "form": row.award_form.name, "level": row.award_form.get_level_display()})
        row.status, row.reject_reason = CommendationStatus.REJECTED, reason
        row.version += 1
        row.save()
        log_action(row, "commendation.rejected", user=acting_user, data={"reason": reason})
    return row


def award_form_save(*, acting_user, award_form: AwardForm) -> AwardForm:
    permission = "awards.change_awardform" if award_form.pk else "awards.add_awardform"
    if not (acting_user.is_active and acting_user.has_perm(permission)):
        raise PermissionDenied(_("You are not allowed to change the award forms."))
    with transaction.atomic():
        award_form.full_clean()
        award_form.save()
        log_action(award_form, "award_form.saved", user=acting_user, place=(None, None))
    return award_form


# --- Past decisions, from the boards' files -------------------------------------------------------------


def past_result_for(initiative, year: int):
    """The evaluation result a past commendation rests on: the initiative's best-rated result of a closed
    conference ending in that year or the year before."""
    if initiative is None:
        return None
    return (Nomination.unscoped.filter(initiative=initiative, conference__status=ConferenceStatus.CLOSED,
                                       conference__year_to__in=(year, year - 1), rating__isnull=False)
            .select_related("rating", "conference").order_by("-rating__min_percent", "-conference__year_to", "pk")
            .first())


def find_past_decision(*, issuing_unit, number: str, date: datetime.date) -> Decision | None:
    return Decision.unscoped.filter(issuing_unit=issuing_unit, number=number.strip(), date=date).first()


def record_past_commendation(*, acting_user, number: str, date: datetime.date, signer: str, award_form: AwardForm,
                             commendations: list[Commendation], issuing_authority: str = "") -> tuple[Decision, int]:
    """Enter a decision taken before the portal with its recipients, approved as they were. Returns (decision,
    recipients added).

    The decision is found again by its number and date (in the acting board's register), so a file entered
    twice adds nothing; a recipient already on it is left alone. Every eligibility rule is checked for each
    new recipient (form for collectives or individuals, in use on the date, the rating its result reached,
    once per recipient, form and year), and one refusal writes nothing."""
    issuing_unit = UserScope.of(acting_user).unit
    if issuing_unit is None and not getattr(acting_user, "is_superuser", False):
        raise PermissionDenied(_("Your account has no unit: ask an administrator to set it."))
    with transaction.atomic():
        decision = find_past_decision(issuing_unit=issuing_unit or commendations[0].organization.unit,
                                      number=number, date=date) if commendations else None
        if decision is not None and decision.award_form_id != award_form.pk:
            raise AwardError(_("Decision %(number)s of %(date)s grants “%(form)s”, not “%(other)s”.") % {
                "number": number, "date": f"{date:%d/%m/%Y}", "form": decision.award_form.name,
                "other": award_form.name})
        errors, new = [], []
        for commendation in commendations:
            if not policies.can_record_past(acting_user, commendation.organization):
                raise PermissionDenied(_("You can only enter commendations of the bodies and people of your "
                                         "area, with the permission to import records."))
            commendation.award_form = award_form
            commendation.person_name = commendation.person_name.strip()
            if commendation.nomination_id is None and award_form.min_rating_id:
                commendation.nomination = past_result_for(commendation.initiative, commendation.year)
            same = [row for row in _same_recipient(commendation) if decision is not None
                    and row.decision_id == decision.pk]
            if same:
                continue
            errors += [f"{commendation.recipient_name}: {problem}"
                       for problem in eligibility_errors(commendation, on=date, approving=True)]
            new.append(commendation)
        _refuse(errors, _("Nothing was recorded:"))
        if decision is None:
            decision = Decision(number=number.strip(), date=date, signer=signer.strip(),
                                issuing_authority=(issuing_authority or award_form.issuing_authority).strip(),
                                award_form=award_form, issuing_unit=issuing_unit or new[0].organization.unit,
                                created_by=acting_user)
            decision.full_clean()
            decision.save()
            log_action(decision, "decision.recorded", user=acting_user, data={"count": len(new)})
        for commendation in new:
            commendation.status, commendation.decision = CommendationStatus.APPROVED, decision
            commendation.proposed_by = acting_user
            if not commendation.justification:
                commendation.justification = _("Recorded from the board's past records.")
            commendation.full_clean()
            commendation.save()
            log_action(commendation, "commendation.approved", user=acting_user, data={"decision": str(decision)})
        transaction.on_commit(public_catalogue_changed)
    return decision, len(new)
