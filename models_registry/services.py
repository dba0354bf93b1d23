"""Every change to an initiative's registration goes through one function here.

Each transition is atomic, re-reads the row under a lock, changes the status only if it is still what the
caller saw (a conditional UPDATE, so two reviewers acting at once produce one transition), writes the
transition log, and sends notifications after the transaction commits.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from . import notifications, policies, selectors, signals, statistics
from .audit import display_value, field_changes, log_action, log_related_action, values_of
from .batches import check_constraints_in_python, chunks, insert_rows
from .models import (
    ActivityField,
    AdministrativeUnit,
    CodeCounter,
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    OrganizationCategory,
    UnitLevel,
    YearlyResult,
    copy_initiative_scope,
    initiative_rows_follow,
    prepare_bulk_write,
)
from .public_cache import public_catalogue_changed


class WorkflowError(ValidationError):
    """A transition that cannot happen now; the message is for the person who tried it."""


# --- Who reviews what -----------------------------------------------------------------------------


def reviewing_unit_for(organization: Organization) -> AdministrativeUnit:
    """The unit whose reviewers decide on this organisation's registrations.

    Bodies inside a commune are reviewed by the commune's board; a commune (or district) Party committee by
    the level above it (the district before 2025, the province today); everything at province level by the
    province.
    """
    unit = organization.unit
    if (
        organization.category == OrganizationCategory.PARTY_COMMITTEE
        and unit.level != UnitLevel.PROVINCE
        and unit.parent_id
    ):
        return unit.parent
    return unit


# --- Creating and editing -------------------------------------------------------------------------


def reserve_codes(key: str, count: int = 1) -> int:
    """Reserve `count` numbers of a named counter (safe against concurrent callers); returns the first."""
    with transaction.atomic():
        counter, _created = CodeCounter.objects.select_for_update().get_or_create(key=key)
        CodeCounter.objects.filter(pk=key).update(value=F("value") + count)
        return counter.value + 1


def initiative_code(province_code: str, year: int, number: int) -> str:
    return f"DVK-{province_code}-{year}-{number:05d}"


def province_code_of(unit: AdministrativeUnit) -> str:
    return unit.path.split("/")[1]


def initiative_create(*, acting_user, organization: Organization, **values) -> Initiative:
    """Register a new initiative as a draft of the organisation."""
    initiative = Initiative(organization=organization, created_by=acting_user, **values)
    return initiative_register(initiative=initiative, acting_user=acting_user)


def initiative_register(*, initiative: Initiative, acting_user) -> Initiative:
    """Save an unsaved initiative (built by a form) as a new draft: derive its units, code and first log row.

    The instance itself is saved, so that a form's inline rows can point at it.
    """
    organization = initiative.organization
    if not policies.can_see(acting_user, organization):
        raise PermissionDenied(_("You cannot register models for an organisation outside your area."))
    if not policies.can_register_for(acting_user, organization):
        raise PermissionDenied(_("You are not allowed to register models."))
    _check_replication_source(initiative)
    initiative.unit = organization.unit
    initiative.review_unit = reviewing_unit_for(organization)
    initiative.status = InitiativeStatus.DRAFT
    if initiative.created_by_id is None and getattr(acting_user, "pk", None):
        initiative.created_by = acting_user
    with transaction.atomic():
        province = province_code_of(organization.unit)
        year = initiative.registration_year
        initiative.code = initiative_code(province, year, reserve_codes(f"initiative:{province}:{year}"))
        initiative.full_clean()
        initiative.save()
        InitiativeTransition.unscoped.create(
            initiative=initiative, from_status="", to_status=InitiativeStatus.DRAFT, actor=acting_user
        )
    return initiative


IMPORT_INITIATIVE_PERMISSION = "models_registry.import_initiative"


def initiative_record_historical(*, initiative: Initiative, acting_user, decided_on: datetime.date) -> Initiative:
    """Save an unsaved initiative recognised before the portal kept records (a board bringing in its files since
    2017) as accepted on the day it was recognised, never as a draft: one initiative of `initiatives_import`, by
    its rules (staff with the import permission, for an organisation of their area; a code the old records gave
    is kept when free; one transition in its log says who recorded it and when it was decided)."""
    if decided_on is None:
        raise ValidationError({"decided_at": _("Give the date (or year) the model was recognised.")})
    item = NewInitiative(initiative, decided_on)
    with transaction.atomic():
        refusals = _new_initiatives_refusals(acting_user, [item])
        if refusals:
            raise refusals[0]
        _write_new_initiatives(acting_user, [item])
    return initiative


# --- Imports: many new initiatives at once --------------------------------------------------------------


@dataclass
class NewInitiative:
    """A new initiative of an import: unsaved, its organisation (with its unit), field and source read by the
    caller; `decided_on` is the day an accepted model of a past year was recognised, None for a draft."""

    initiative: Initiative
    decided_on: datetime.date | None = None


Refusals = dict[int, ValidationError | PermissionDenied]  # by the index of the initiative refused


class ImportRefused(ValidationError):
    """Initiatives of an import that cannot be written (`refusals`: their index → the reason); nothing was."""

    def __init__(self, refusals: Refusals):
        self.refusals = refusals
        index, first = next(iter(refusals.items()))
        super().__init__(_("%(count)s initiatives cannot be written; the first (no. %(index)s): %(reason)s") % {
            "count": len(refusals), "index": index + 1, "reason": " ".join(
                first.messages if isinstance(first, ValidationError) else [str(first)])})


# Read by whoever builds the initiatives (in scope): not looked up again row by row (full_clean would, one query per
# foreign key of each row). Their null check stays.
_READ_BY_CALLER = ("organization", "unit", "review_unit", "field", "replicated_from", "created_by")


def initiative_validation_error(initiative: Initiative, *, exclude=()) -> ValidationError | None:
    """The model's rules on an initiative about to be written, without a query: its fields (required, lengths,
    choices, years, the phone number) and its check constraints, evaluated in Python."""
    errors = {}
    for name in _READ_BY_CALLER:
        field = Initiative._meta.get_field(name)
        if not field.null and getattr(initiative, field.attname) is None and name not in exclude:
            errors[name] = [field.error_messages["null"]]
    try:
        initiative.clean_fields(exclude={*_READ_BY_CALLER, *exclude})
    except ValidationError as error:
        errors.update(error.message_dict)
    try:
        check_constraints_in_python(initiative)
    except ValidationError as error:
        errors.setdefault(NON_FIELD_ERRORS, []).extend(error.messages)
    return ValidationError(errors) if errors else None


def initiatives_import_refusals(*, acting_user, items: list[NewInitiative]) -> Refusals:
    """Why `initiatives_import` would refuse each of these initiatives (by index): nothing when it would write
    them all. Nothing is written; what they refer to is read at once, a few queries whatever their number."""
    return _new_initiatives_refusals(acting_user, items)


def initiatives_import(*, acting_user, items: list[NewInitiative]) -> list[Initiative]:
    """Write the new initiatives of an import at once, each by the rules of `initiative_register` (a draft, by
    someone allowed to register for its organisation) or of the board's past records (an accepted model, by
    someone allowed to import, for an organisation of their area, recognised between its registration year and
    today), checked again here in the writer's transaction.

    A code the old records gave is kept when no other initiative has it, so that the same file finds its rows
    again; the others get the next codes of their province and year, reserved once per province and year. The
    initiatives (batches.insert_rows: COPY on PostgreSQL) and their first status change are written at once, and
    the public catalogue renewed once. One refused initiative and nothing is written: ImportRefused names them
    all.
    """
    if not items:
        return []
    with transaction.atomic():
        refusals = _new_initiatives_refusals(acting_user, items)
        if refusals:
            raise ImportRefused(refusals)
        return _write_new_initiatives(acting_user, items)


def _new_initiatives_refusals(acting_user, items: list[NewInitiative]) -> Refusals:
    """Check each new initiative and derive what the services derive (units, status, dates, author)."""
    importing = policies._active(acting_user) and acting_user.has_perm(IMPORT_INITIATIVE_PERMISSION)
    sees, registers = {}, {}  # by organisation: the person's rights there, judged once
    source_ids = {item.initiative.replicated_from_id for item in items} - {None}
    sources = set()
    for part in chunks(source_ids):
        sources.update(Initiative.objects.replication_sources().filter(pk__in=part).values_list("pk", flat=True))
    today = timezone.localdate()
    refusals: Refusals = {}
    for index, item in enumerate(items):
        initiative, decided_on = item.initiative, item.decided_on
        organization = initiative.organization
        if organization.pk not in sees:
            sees[organization.pk] = policies.can_see(acting_user, organization)
            registers[organization.pk] = sees[organization.pk] and policies.can_register_for(acting_user, organization)
        if decided_on is not None and not (importing and sees[organization.pk]):
            refusals[index] = PermissionDenied(_("Only a board allowed to import records can bring in models "
                                                 "recognised in past years, for the organisations of its area."))
            continue
        if decided_on is None and not sees[organization.pk]:
            refusals[index] = PermissionDenied(_("You cannot register models for an organisation outside your area."))
            continue
        if decided_on is None and not registers[organization.pk]:
            refusals[index] = PermissionDenied(_("You are not allowed to register models."))
            continue
        if initiative.replicated_from_id is not None and initiative.replicated_from_id not in sources:
            refusals[index] = ValidationError({"replicated_from": _(
                "Choose the replicated model among the accepted models of the public catalogue.")})
            continue
        if decided_on is not None and (decided_on.year < (initiative.registration_year or 0) or decided_on > today):
            refusals[index] = ValidationError({"decided_at": _(
                "The model was recognised between its registration year (%(year)s) and today.")
                % {"year": initiative.registration_year}})
            continue
        initiative.unit = organization.unit
        initiative.review_unit = reviewing_unit_for(organization)
        if decided_on is None:
            initiative.status = InitiativeStatus.DRAFT
        else:
            initiative.status = InitiativeStatus.ACCEPTED
            initiative.submitted_at = initiative.decided_at = timezone.make_aware(
                datetime.datetime.combine(decided_on, datetime.time(12)))
        if initiative.created_by_id is None and getattr(acting_user, "pk", None):
            initiative.created_by = acting_user
        initiative.code = (initiative.code or "").strip()
        error = initiative_validation_error(initiative, exclude=() if initiative.code else ("code",))
        if error is not None:
            refusals[index] = error
    return refusals


def _give_codes(initiatives: list[Initiative]) -> None:
    """Keep each code the records gave when it is free; give the others the next ones of their province and year."""
    given = {initiative.code for initiative in initiatives if initiative.code}
    taken = set()
    for part in chunks(given):
        taken.update(Initiative.unscoped.filter(code__in=part).values_list("code", flat=True))
    kept, waiting = set(), {}
    for initiative in initiatives:
        if initiative.code and initiative.code not in taken and initiative.code not in kept:
            kept.add(initiative.code)
            continue
        province = province_code_of(initiative.organization.unit)
        waiting.setdefault((province, initiative.registration_year), []).append(initiative)
    while waiting:
        offered = {}
        for (province, year), group in waiting.items():
            first = reserve_codes(f"initiative:{province}:{year}", len(group))
            for number, initiative in enumerate(group, start=first):
                offered[initiative_code(province, year, number)] = initiative
        clashing = set(offered) & kept  # a reserved number an old record already used: take another
        for part in chunks(set(offered) - kept):
            clashing.update(Initiative.unscoped.filter(code__in=part).values_list("code", flat=True))
        waiting = {}
        for code, initiative in offered.items():
            if code in clashing:
                province = province_code_of(initiative.organization.unit)
                waiting.setdefault((province, initiative.registration_year), []).append(initiative)
            else:
                initiative.code = code
                kept.add(code)


def _write_new_initiatives(acting_user, items: list[NewInitiative]) -> list[Initiative]:
    initiatives = [item.initiative for item in items]
    _give_codes(initiatives)
    prepare_bulk_write(initiatives)  # what save() would set
    insert_rows(Initiative, initiatives)
    actor = acting_user if getattr(acting_user, "pk", None) else None
    recognised = _("Recognised on %(date)s; recorded from the board's past records.")
    transitions = [
        InitiativeTransition(
            initiative=item.initiative, from_status="", to_status=item.initiative.status, actor=actor,
            reason="" if item.decided_on is None else recognised % {"date": f"{item.decided_on:%d/%m/%Y}"},
        ) for item in items]
    copy_initiative_scope(transitions)  # what the row's save() would set; the initiatives are at hand
    insert_rows(InitiativeTransition, transitions)
    # Rows written at once send no post_save: what single saves keep in step is told here, once per cell.
    statistics.tally_new_initiatives(initiatives)
    public_catalogue_changed()
    return initiatives


def _check_replication_source(initiative: Initiative) -> None:
    """A registration replicates a model proven elsewhere: one of the public catalogue's, never itself."""
    source_id = initiative.replicated_from_id
    if source_id is None:
        return
    if source_id == initiative.pk or not Initiative.objects.replication_sources().filter(pk=source_id).exists():
        raise ValidationError({"replicated_from": _(
            "Choose the replicated model among the accepted models of the public catalogue.")})


EDITABLE_FIELDS = (
    "title", "kind", "person_name", "person_position", "origin", "replicated_from", "field",
    "registration_year", "start_date", "end_date", "situation", "objectives", "content_methods",
    "area_beneficiaries", "participating_forces", "resources", "budget_amount", "expected_outputs",
    "sustainability", "contact_name", "contact_phone", "contact_email",
)


class StaleEditError(WorkflowError):
    pass


def initiative_update(*, initiative: Initiative, acting_user, values: dict, expected_version: int) -> Initiative:
    """Save the owner's edits to a draft or returned initiative, refusing an edit made from a stale page."""
    with transaction.atomic():
        current = Initiative.unscoped.select_for_update().get(pk=initiative.pk)
        if not policies.acts_for_owner(acting_user, current):
            raise PermissionDenied(_("Only staff of the registering organisation can edit this registration."))
        if not current.is_editable_by_owner:
            raise WorkflowError(_("This initiative is %(status)s and can no longer be edited.")
                                % {"status": current.get_status_display()})
        if current.version != expected_version:
            raise StaleEditError(_("Someone saved this initiative after you opened it. Reload the page to "
                                   "see their changes, then make yours again."))
        before = values_of(current, EDITABLE_FIELDS)
        cell = (current.registration_year, current.field_id)
        for name, value in values.items():
            if name not in EDITABLE_FIELDS:
                raise ValueError(name)
            setattr(current, name, value)
        current.version = expected_version + 1
        _check_replication_source(current)
        current.full_clean()
        current.save()  # counted again in its year and field (statistics.connect_signals)
        if cell != (current.registration_year, current.field_id):
            statistics.refresh_tally(*cell)  # and no longer in the ones it left
        changes = field_changes(before, current)
        if changes:
            log_action(current, "initiative.changed", user=acting_user, changes=changes)
    return current


def changed_fields(old: Initiative, new: Initiative) -> dict[str, dict[str, str]]:
    """What differs between two versions of an initiative, by verbose field name, for the reviewer."""
    changes = {}
    for name in EDITABLE_FIELDS:
        before, after = display_value(old, name), display_value(new, name)
        if before != after:
            label = str(Initiative._meta.get_field(name).verbose_name)
            changes[label] = {"before": before, "after": after}
    return changes


_JSON = DjangoJSONEncoder()


def snapshot_of(initiative: Initiative) -> dict:
    """The editable fields as JSON-safe values (foreign keys by id)."""
    data = {}
    for name in EDITABLE_FIELDS:
        field = Initiative._meta.get_field(name)
        value = field.value_from_object(initiative)
        data[field.attname] = value if isinstance(value, str | int | type(None)) else _JSON.default(value)
    return data


def initiative_from_snapshot(data: dict) -> Initiative:
    """An unsaved initiative holding a snapshot's values, to compare with the current one."""
    old = Initiative()
    for name in EDITABLE_FIELDS:
        field = Initiative._meta.get_field(name)
        if field.attname in data:
            setattr(old, field.attname, field.to_python(data[field.attname]))
    return old


def initiative_delete_draft(*, initiative: Initiative, acting_user) -> None:
    """Delete a draft that was never submitted (its organisation's staff only); anything later stays."""
    with transaction.atomic():
        current = Initiative.unscoped.select_for_update().get(pk=initiative.pk)
        if not policies.can_delete_draft(acting_user, current):
            raise PermissionDenied(_("Only a draft that was never submitted can be deleted, by its organisation."))
        if current.transitions.exclude(to_status=InitiativeStatus.DRAFT).exists():
            raise WorkflowError(_("This registration has been submitted before: it is kept, not deleted."))
        log_action(current, "initiative.deleted", user=acting_user, data={"code": current.code})
        current.delete()


# --- Transitions ----------------------------------------------------------------------------------


def _transition(
    *,
    initiative: Initiative,
    acting_user,
    allowed_from: tuple[str, ...],
    to_status: str,
    reason: str = "",
    changes: dict | None = None,
    snapshot: dict | None = None,
    extra: dict | None = None,
) -> Initiative:
    with transaction.atomic():
        current = Initiative.unscoped.select_for_update().get(pk=initiative.pk)
        if current.status not in allowed_from:
            raise WorkflowError(
                _("This initiative is already %(status)s; it may have just been handled by someone else. "
                  "Reload the page to see where it stands.") % {"status": current.get_status_display()}
            )
        values = {"status": to_status, "version": F("version") + 1, "updated_at": timezone.now(), **(extra or {})}
        # Conditional on the status we read: with two concurrent callers only one UPDATE matches.
        updated = Initiative.unscoped.filter(pk=current.pk, status=current.status).update(**values)
        if not updated:
            raise WorkflowError(_("This initiative was just handled by someone else. Reload the page."))
        InitiativeTransition.unscoped.create(
            initiative=current, from_status=current.status, to_status=to_status, actor=acting_user,
            reason=reason, changes=changes or {}, snapshot=snapshot or {},
        )
        if InitiativeStatus.DRAFT in (current.status, to_status):
            # Its log was its owner's while a draft: the reviewers see it from now on.
            initiative_rows_follow(current.pk, draft=to_status == InitiativeStatus.DRAFT)
        _announce_status_change(current, current.status, to_status, acting_user, reason)
        statistics.refresh_tally_of(current)
        if InitiativeStatus.ACCEPTED in (current.status, to_status) or current.status == InitiativeStatus.DRAFT:
            public_catalogue_changed()  # the catalogue, or the home page's count of registrations
    current.refresh_from_db()
    return current


def _announce_status_change(initiative: Initiative, from_status: str, to_status: str, actor, reason: str) -> None:
    """Tell the other apps (signals.initiative_status_changed) once the transaction has committed."""
    pk = initiative.pk

    def send():
        signals.initiative_status_changed.send(
            sender=Initiative, initiative=Initiative.unscoped.get(pk=pk), from_status=from_status,
            to_status=to_status, actor=actor, reason=reason,
        )

    transaction.on_commit(send)


def _require_reason(reason: str, message: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise WorkflowError({"reason": message})
    return reason


def _require_reviewer(user, initiative: Initiative) -> None:
    # Judged on the stored row (its status decides who may see it), not on the caller's copy.
    stored = Initiative.unscoped.select_related("review_unit").get(pk=initiative.pk)
    if not policies.can_review(user, stored):
        raise PermissionDenied(_("You are not the reviewer of this initiative."))


# What a reviewer cannot judge a registration without; a draft may leave them empty, a submission may not.
REQUIRED_FOR_SUBMISSION = ("situation", "objectives", "content_methods", "contact_name", "contact_phone")


def submission_problems(initiative: Initiative) -> dict[str, str]:
    """The parts of the registration form still empty, by field name, with a message for the owner."""
    problems = {}
    for name in REQUIRED_FOR_SUBMISSION:
        if not str(getattr(initiative, name) or "").strip():
            label = Initiative._meta.get_field(name).verbose_name
            problems[name] = _("Fill in “%(field)s” before submitting.") % {"field": label}
    return problems


class AlreadySubmitted(WorkflowError):
    """The registration is already waiting for review (e.g. a second click on "Gửi"): nothing was done."""


def initiative_submit(*, initiative: Initiative, acting_user) -> Initiative:
    """Submit (or resubmit after a return) a registration to its reviewers.

    A resubmission records for the reviewer what changed since the previous submission.
    """
    if not policies.acts_for_owner(acting_user, initiative):
        raise PermissionDenied(_("Only staff of the registering organisation can submit this initiative."))
    with transaction.atomic():
        current = Initiative.unscoped.select_for_update().get(pk=initiative.pk)
        if current.status == InitiativeStatus.SUBMITTED:
            raise AlreadySubmitted(_("This registration has already been submitted; it is waiting for review."))
        problems = submission_problems(current)
        if problems:
            raise WorkflowError(problems)
        previous = (
            current.transitions.filter(to_status=InitiativeStatus.SUBMITTED).exclude(snapshot={})
            .order_by("-created_at", "-id").first()
        )
        changes = changed_fields(initiative_from_snapshot(previous.snapshot), current) if previous else {}
        result = _transition(
            initiative=current, acting_user=acting_user,
            allowed_from=(InitiativeStatus.DRAFT, InitiativeStatus.RETURNED),
            to_status=InitiativeStatus.SUBMITTED, changes=changes, snapshot=snapshot_of(current),
            extra={"submitted_at": timezone.now()},
        )
        notifications.initiative_submitted(result, recipients=lambda: selectors.reviewers_for(result),
                                           acting_user=acting_user, changes=changes)
        return result


def initiative_accept(*, initiative: Initiative, acting_user, note: str = "") -> Initiative:
    """Accept a registration; the reviewer's optional note goes to the log and to the unit."""
    _require_reviewer(acting_user, initiative)
    note = (note or "").strip()
    result = _transition(
        initiative=initiative, acting_user=acting_user, allowed_from=(InitiativeStatus.SUBMITTED,),
        to_status=InitiativeStatus.ACCEPTED, reason=note, extra={"decided_at": timezone.now()},
    )
    notify_owner(result, InitiativeStatus.ACCEPTED, note, acting_user=acting_user)
    return result


def initiative_return(*, initiative: Initiative, acting_user, reason: str) -> Initiative:
    reason = _require_reason(reason, _("Say what the unit must change before it submits again."))
    _require_reviewer(acting_user, initiative)
    result = _transition(
        initiative=initiative, acting_user=acting_user, allowed_from=(InitiativeStatus.SUBMITTED,),
        to_status=InitiativeStatus.RETURNED, reason=reason, extra={"decided_at": timezone.now()},
    )
    notify_owner(result, InitiativeStatus.RETURNED, reason, acting_user=acting_user)
    return result


def initiative_reject(*, initiative: Initiative, acting_user, reason: str) -> Initiative:
    reason = _require_reason(reason, _("Give the reason for rejecting the registration."))
    _require_reviewer(acting_user, initiative)
    result = _transition(
        initiative=initiative, acting_user=acting_user, allowed_from=(InitiativeStatus.SUBMITTED,),
        to_status=InitiativeStatus.REJECTED, reason=reason, extra={"decided_at": timezone.now()},
    )
    notify_owner(result, InitiativeStatus.REJECTED, reason, acting_user=acting_user)
    return result


def initiative_discontinue(*, initiative: Initiative, acting_user, reason: str, year: int) -> Initiative:
    reason = _require_reason(reason, _("Give the reason why the model stopped."))
    if not (policies.can_review(acting_user, initiative) or policies.is_owner(acting_user, initiative)):
        raise PermissionDenied(_("You cannot change the lifecycle of this initiative."))
    this_year = timezone.localdate().year
    if not year or year < initiative.registration_year or year > this_year:
        raise WorkflowError({"year": _("The year must be between %(start)s and %(end)s.")
                             % {"start": initiative.registration_year, "end": this_year}})
    with transaction.atomic():
        current = Initiative.unscoped.select_for_update().get(pk=initiative.pk)
        if current.status != InitiativeStatus.ACCEPTED or current.lifecycle != Lifecycle.ACTIVE:
            raise WorkflowError(_("Only an accepted model that is still running can be discontinued."))
        updated = Initiative.unscoped.filter(pk=current.pk, lifecycle=Lifecycle.ACTIVE).update(
            lifecycle=Lifecycle.DISCONTINUED, discontinued_reason=reason, discontinued_year=year,
            version=F("version") + 1, updated_at=timezone.now(),
        )
        if not updated:
            raise WorkflowError(_("This initiative was just handled by someone else. Reload the page."))
        InitiativeTransition.unscoped.create(
            initiative=current, from_status=Lifecycle.ACTIVE, to_status=Lifecycle.DISCONTINUED,
            actor=acting_user, reason=reason,
        )
        _announce_status_change(current, Lifecycle.ACTIVE, Lifecycle.DISCONTINUED, acting_user, reason)
        statistics.refresh_tally_of(current)
        public_catalogue_changed()
    current.refresh_from_db()
    return current


# --- Yearly results ----------------------------------------------------------------------------------


YEARLY_RESULT_FIELDS = ("is_running", "participants", "beneficiaries", "value_mobilised", "land_donated_m2",
                        "workdays", "narrative")


def yearly_result_save(*, initiative: Initiative, acting_user, year: int, values: dict) -> YearlyResult:
    """Record (or correct) one year's results of an accepted model of the acting user's organisation.

    A year reported as no longer running discontinues the model, with the narrative as the reason.
    """
    initiative = Initiative.unscoped.get(pk=initiative.pk)  # judged as stored, not as the caller's copy says
    if initiative.status != InitiativeStatus.ACCEPTED:
        raise ValidationError(_("Results are reported for accepted models only."))
    if not policies.can_report_results(acting_user, initiative):
        raise PermissionDenied(_("Only staff of the registering organisation can report its results."))
    this_year = timezone.localdate().year
    if year < initiative.registration_year or year > this_year:
        raise ValidationError({"year": _("The year must be between %(start)s and %(end)s.")
                               % {"start": initiative.registration_year, "end": this_year}})
    with transaction.atomic():
        result = YearlyResult.unscoped.select_for_update().filter(initiative=initiative, year=year).first()
        before = values_of(result, YEARLY_RESULT_FIELDS) if result is not None else {}
        if result is None:
            result = YearlyResult(initiative=initiative, year=year)
        for name, value in values.items():
            setattr(result, name, value)
        result.reported_by = acting_user
        result.full_clean()
        result.save()
        changes = field_changes(before, result, YEARLY_RESULT_FIELDS)
        if changes:
            log_related_action(initiative, "initiative.yearly_result_saved", related=result, user=acting_user,
                               changes=changes, data={"year": year})
        if not result.is_running and initiative.lifecycle == Lifecycle.ACTIVE:
            initiative_discontinue(initiative=initiative, acting_user=acting_user,
                                   reason=result.narrative, year=year)
    return result


# --- Notifications ---------------------------------------------------------------------------------


def notify_owner(initiative: Initiative, status: str, reason: str = "", *, acting_user=None) -> None:
    """E-mail the registering organisation's staff, once the transaction has committed."""
    notifications.initiative_decided(initiative, recipients=lambda: selectors.owners_of(initiative), status=status,
                                     reason=reason, acting_user=acting_user)


# --- What a person may do with an initiative (used by the admin and the staff area) ---------------------

SUBMIT, ACCEPT, RETURN, REJECT, DISCONTINUE = "submit", "accept", "return", "reject", "discontinue"
def initiative_available_transitions(user, initiative: Initiative) -> list[str]:
    """The transitions this person can start on this initiative now, in the order buttons show them."""
    actions = []
    if policies.can_submit(user, initiative):
        actions.append(SUBMIT)
    if initiative.status == InitiativeStatus.SUBMITTED and policies.can_review(user, initiative):
        actions.extend([ACCEPT, RETURN, REJECT])
    if policies.can_discontinue(user, initiative):
        actions.append(DISCONTINUE)
    return actions


def initiative_apply_transition(*, initiative: Initiative, acting_user, action: str, reason: str = "",
                                year: int | None = None) -> Initiative:
    """Run one named transition: the single entry point for buttons and bulk actions."""
    if action == SUBMIT:
        return initiative_submit(initiative=initiative, acting_user=acting_user)
    if action == ACCEPT:
        return initiative_accept(initiative=initiative, acting_user=acting_user, note=reason)
    if action == RETURN:
        return initiative_return(initiative=initiative, acting_user=acting_user, reason=reason)
    if action == REJECT:
        return initiative_reject(initiative=initiative, acting_user=acting_user, reason=reason)
    if action == DISCONTINUE:
        return initiative_discontinue(initiative=initiative, acting_user=acting_user, reason=reason, year=year)
    raise ValueError(action)


# --- Organisations and fields ---------------------------------------------------------------------------

ORGANIZATION_FIELDS = ("name", "category", "unit", "is_active", "successor")


def organization_save(*, organization: Organization, acting_user) -> Organization:
    """Create or change an organisation of the acting user's area (built by a form or an import row)."""
    creating = organization.pk is None
    if not policies.can_manage_organization(acting_user, organization, creating=creating):
        raise PermissionDenied(_("You cannot manage this organisation."))
    if organization.unit_id and not policies.can_see(acting_user, organization.unit):
        raise PermissionDenied(_("You can only place an organisation inside your own area."))
    if organization.successor_id and not policies.can_see(acting_user, organization.successor):
        raise PermissionDenied(_("The organisation it merged into must be inside your area."))
    with transaction.atomic():
        before = {}
        if not creating:
            before = values_of(Organization.unscoped.select_for_update().get(pk=organization.pk), ORGANIZATION_FIELDS)
        organization.full_clean()
        organization.save()
        changes = field_changes(before, organization, ORGANIZATION_FIELDS)
        if creating or changes:
            log_action(organization, "organization.created" if creating else "organization.changed",
                       user=acting_user, changes=changes)
    return organization


FIELD_FIELDS = ("code", "name", "parent", "order")


def field_save(*, field: ActivityField, acting_user) -> ActivityField:
    """Create or change a field or a local sub-theme (administrators only)."""
    creating = field.pk is None
    permission = "models_registry.add_activityfield" if creating else "models_registry.change_activityfield"
    if not acting_user.has_perm(permission):
        raise PermissionDenied(_("You cannot manage the fields."))
    with transaction.atomic():
        before = {} if creating else values_of(ActivityField.objects.select_for_update().get(pk=field.pk), FIELD_FIELDS)
        field.full_clean()
        field.save()
        changes = field_changes(before, field, FIELD_FIELDS)
        if creating or changes:
            log_action(field, "field.created" if creating else "field.changed", user=acting_user, changes=changes)
    return field
