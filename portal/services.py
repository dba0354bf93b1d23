"""Writes made from the staff area that the registry's services do not cover on their own.

Every status change still goes through `models_registry.services`; this module adds what the staff pages
need around it: the snapshot of the last submission (so a resubmission tells the reviewer what changed),
an idempotent submit, and the yearly results.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from models_registry.models import Initiative, InitiativeStatus, Lifecycle, YearlyResult
from models_registry.services import (
    EDITABLE_FIELDS,
    changed_fields,
    initiative_discontinue,
    initiative_submit,
    is_owner,
)

from .models import SubmittedSnapshot

_ENCODER = DjangoJSONEncoder()


def snapshot_of(initiative: Initiative) -> dict:
    """The editable fields as JSON-safe values (foreign keys by id)."""
    data = {}
    for name in EDITABLE_FIELDS:
        field = Initiative._meta.get_field(name)
        value = field.value_from_object(initiative)
        data[field.attname] = value if isinstance(value, str | int | type(None)) else _ENCODER.default(value)
    return data


def initiative_from_snapshot(data: dict) -> Initiative:
    """An unsaved Initiative holding the snapshot's values, to compare with the current one."""
    old = Initiative()
    for name in EDITABLE_FIELDS:
        field = Initiative._meta.get_field(name)
        if field.attname in data:
            setattr(old, field.attname, field.to_python(data[field.attname]))
    return old


class AlreadySubmitted(Exception):
    """The initiative was already submitted (e.g. a second click on "Gửi"): nothing was done."""


def initiative_submit_from_staff_area(*, initiative: Initiative, acting_user) -> Initiative:
    """Submit (or resubmit) a registration, recording for the reviewer what changed since the last submission.

    A second request for an initiative that is already submitted raises AlreadySubmitted and writes nothing.
    """
    with transaction.atomic():
        current = Initiative.objects.select_for_update().get(pk=initiative.pk)
        if current.status == InitiativeStatus.SUBMITTED:
            raise AlreadySubmitted
        previous = SubmittedSnapshot.objects.filter(initiative=current).first()
        changes = {}
        if previous is not None:
            changes = changed_fields(initiative_from_snapshot(previous.data), current)
        submitted = initiative_submit(initiative=current, acting_user=acting_user, changes=changes)
        SubmittedSnapshot.objects.update_or_create(
            initiative=submitted, defaults={"version": submitted.version, "data": snapshot_of(submitted)},
        )
    return submitted


def yearly_result_save(*, initiative: Initiative, acting_user, year: int, values: dict) -> YearlyResult:
    """Record (or correct) one year's results of an accepted model of the acting user's organisation.

    A year reported as no longer running discontinues the model, with the narrative as the reason.
    """
    if not (acting_user.is_superuser or is_owner(acting_user, initiative)):
        raise PermissionDenied(_("Only staff of the registering organisation can report its results."))
    if initiative.status != InitiativeStatus.ACCEPTED:
        raise ValidationError(_("Results are reported for accepted models only."))
    this_year = timezone.localdate().year
    if year < initiative.registration_year or year > this_year:
        raise ValidationError({"year": _("The year must be between %(start)s and %(end)s.")
                               % {"start": initiative.registration_year, "end": this_year}})
    with transaction.atomic():
        result = YearlyResult.objects.select_for_update().filter(initiative=initiative, year=year).first()
        if result is None:
            result = YearlyResult(initiative=initiative, year=year)
        for name, value in values.items():
            setattr(result, name, value)
        result.reported_by = acting_user
        result.full_clean()
        result.save()
        if not result.is_running and initiative.lifecycle == Lifecycle.ACTIVE:
            initiative_discontinue(initiative=initiative, acting_user=acting_user,
                                   reason=result.narrative, year=year)
    return result
