"""The audit log: one shape for every business action of every app (pretix's `log_action`).

A service calls `log_action(obj, "initiative.changed", user=..., changes=...)` inside its transaction; the
entry is scoped like the record (its unit and organisation) and the admin's "Lịch sử" page of the record
shows it. Apps name their actions with a dotted prefix of their own and register the labels people read.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.functional import Promise
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from . import formatting
from .models import AuditEntry

ACTION_LABELS: dict[str, Promise | str] = {}


def register_actions(labels: dict[str, Promise | str]) -> None:
    """Name the actions an app writes to the log, as people should read them."""
    ACTION_LABELS.update(labels)


register_actions({
    "initiative.changed": _("registration edited"),
    "initiative.deleted": _("draft deleted"),
    "initiative.yearly_result_saved": _("yearly results reported"),
    "initiative.attachment_added": _("file attached"),
    "initiative.attachment_removed": _("file removed"),
    "user.assigned": _("role and place assigned"),
    "user.created": _("account created"),
    "user.changed": _("account changed"),
    "user.deleted": _("account deleted"),
    "organization.created": _("organisation created"),
    "organization.changed": _("organisation changed"),
    "field.created": _("field created"),
    "field.changed": _("field changed"),
})


# Labels of the details an entry may carry besides its field changes.
DETAIL_LABELS: dict[str, Promise | str] = {"year": _("year"), "file": _("file"), "kind": _("kind"),
                                           "role": _("role"), "code": _("code"),
                                           "username": _("username"), "reason": _("reason"),
                                           "member": _("council member"), "total": _("total"),
                                           "entered_for": _("entered for"), "count": _("number"),
                                           "codes": _("codes")}


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


def details_text(entry: AuditEntry) -> str:
    """The entry's details as one line ("Năm: 2024", "Tệp: ke-hoach.pdf; Loại: Kế hoạch")."""
    details = entry.data if isinstance(entry.data, dict) else {}
    return "; ".join(f"{capfirst(DETAIL_LABELS.get(key, key))}: {value}" for key, value in details.items()
                     if key != "model")


def display_value(instance: models.Model, name: str) -> str:
    """A field's value as a person reads it: choice labels, names of related rows, Vietnamese dates."""
    field = instance._meta.get_field(name)
    if field.is_relation:
        related = getattr(instance, name, None)
        return "" if related is None else str(related)
    value = getattr(instance, field.attname)
    if value in (None, ""):
        return ""
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return gettext("Yes") if value else gettext("No")
    if isinstance(value, datetime.datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    if isinstance(field, models.BigIntegerField):  # amounts in đồng
        return formatting.thousands(value)
    if isinstance(value, Decimal):
        return formatting.decimal_text(value)
    return str(value)


def values_of(instance: models.Model, names) -> dict[str, str]:
    """The displayed values of some fields, to compare with after a change."""
    return {name: display_value(instance, name) for name in names}


def field_changes(before: dict[str, str], instance: models.Model, names=None) -> dict[str, list[str]]:
    """{field name: [before, after]} for the fields whose displayed value differs."""
    after = values_of(instance, names if names is not None else before.keys())
    return {name: [before.get(name, ""), value] for name, value in after.items() if before.get(name, "") != value}


def _place_of(obj) -> tuple[int | None, int | None]:
    """The unit and organisation whose scope holds the record."""
    if hasattr(obj, "audit_place"):
        return obj.audit_place()
    return getattr(obj, "unit_id", None), getattr(obj, "organization_id", None)


def log_action(obj: models.Model, action: str, *, user, changes: dict | None = None,
               data: dict | None = None, place: tuple[int | None, int | None] | None = None) -> AuditEntry:
    """Record that `user` did `action` to `obj` (call it inside the service's transaction).

    The entry is scoped like the record: by its unit and organisation, or by `place` (unit id, organisation
    id) for a record that has none of its own (a user account).
    """
    from django.contrib.contenttypes.models import ContentType

    unit_id, organization_id = place if place is not None else _place_of(obj)
    return AuditEntry.unscoped.create(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk), object_repr=str(obj)[:255],
        action=action, changes=changes or {}, data=data or {},
        actor=user if getattr(user, "pk", None) else None, unit_id=unit_id, organization_id=organization_id,
    )


def log_related_action(obj: models.Model, action: str, *, related: models.Model, user, changes: dict | None = None,
                       data: dict | None = None, place: tuple[int | None, int | None] | None = None) -> AuditEntry:
    """Record on `obj`'s history an action on one of its parts (a yearly result, a staff profile): the changed
    fields are those of the part, labelled with its model's field names."""
    return log_action(obj, action, user=user, changes=changes, place=place,
                      data={**(data or {}), "model": related._meta.label_lower})


def change_rows(entry: AuditEntry) -> list[tuple[str, str, str]]:
    """(label, before, after) for each changed field, labelled with the model's (Vietnamese) field names."""
    label = entry.data.get("model") if isinstance(entry.data, dict) else None
    model = apps.get_model(label) if label else entry.content_type.model_class()
    rows = []
    for name, pair in entry.changes.items():
        try:
            label = capfirst(model._meta.get_field(name).verbose_name)
        except FieldDoesNotExist:  # not a model field (a role), or one renamed since
            label = capfirst(DETAIL_LABELS.get(name, name))
        before, after = (pair + ["", ""])[:2] if isinstance(pair, list) else ("", str(pair))
        rows.append((label, before, after))
    return rows
