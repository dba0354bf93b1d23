"""Figures the portal publishes, defined once, for the home page, `seed_demo`'s summary and the reports."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import plugins
from .models import (
    MOVEMENT_FIRST_YEAR,
    ActivityField,
    Initiative,
    InitiativeStatus,
    InitiativeTally,
    Lifecycle,
    YearlyResult,
)
from .plugins import Figure, Figures, register_figures


@register_figures(order=10)
def registry_figures() -> list[Figure]:
    """Counts over every registration that left the draft stage (no single initiative is shown), and the
    value the recognised models mobilised: sums of the tallies, not counts over every registration."""
    totals = InitiativeTally.objects.aggregate(**{name: Coalesce(Sum(name), 0) for name in TALLIED})
    return [
        Figure("registered", _("models registered"), totals["registered"]),
        Figure("recognised", _("models recognised"), totals["recognised"]),
        Figure("running", _("recognised models still running"), totals["running"]),
        Figure("value_mobilised", _("value mobilised"), totals["value_mobilised"], money=True),
    ]


# --- The tallies: national figures per registration year and field, kept in step on every write ------------

TALLIED = ("registered", "recognised", "running", "value_mobilised")


def _tally_values(initiatives) -> dict:
    """The tallied figures of a set of initiatives, grouped by (registration year, field)."""
    counts = (initiatives.exclude(status=InitiativeStatus.DRAFT).values("registration_year", "field_id").order_by()
              .annotate(registered=Count("pk"),
                        recognised=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED)),
                        running=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED, lifecycle=Lifecycle.ACTIVE))))
    values = (YearlyResult.unscoped.filter(initiative__in=initiatives.filter(status=InitiativeStatus.ACCEPTED))
              .values("initiative__registration_year", "initiative__field_id").order_by()
              .annotate(total=Sum("value_mobilised")))
    cells: dict = {}
    for row in counts:
        cells[(row["registration_year"], row["field_id"])] = {name: row[name] for name in TALLIED[:3]}
    for row in values:
        key = (row["initiative__registration_year"], row["initiative__field_id"])
        cells.setdefault(key, {"registered": 0, "recognised": 0, "running": 0})["value_mobilised"] = row["total"]
    return cells


def refresh_tally(registration_year: int, field_id: int) -> None:
    """Count one year and field again, from the registrations themselves (a few thousand rows at most).

    Called by every write that changes a figure (services.py, and the signals of public_cache.py), in the
    writer's transaction. The cell's row is locked first, so that two writers of the same cell count one
    after the other and the last count sees both changes."""
    with transaction.atomic():
        tally, _created = InitiativeTally.objects.select_for_update().get_or_create(
            registration_year=registration_year, field_id=field_id)
        cell = _tally_values(Initiative.unscoped.filter(registration_year=registration_year, field_id=field_id))
        values = cell.get((registration_year, field_id), {})
        for name in TALLIED:
            setattr(tally, name, values.get(name, 0))
        tally.save()


def refresh_tally_of(*initiatives) -> None:
    """The cells of these initiatives (as they are now)."""
    for year, field_id in {(i.registration_year, i.field_id) for i in initiatives if i.field_id}:
        refresh_tally(year, field_id)


def tally_new_initiatives(initiatives) -> None:
    """Add initiatives just written, which have no yearly results yet, to their cells (an import's rows).

    Their contribution is known from the rows themselves: the cells' rows are locked in one query, in order,
    and the counts raised by it, instead of counting the cells again — a count of the whole country when an
    import spans every year and field."""
    added: dict = {}
    for initiative in initiatives:
        if initiative.status == InitiativeStatus.DRAFT or not initiative.field_id:
            continue
        cell = added.setdefault((initiative.registration_year, initiative.field_id),
                                {"registered": 0, "recognised": 0, "running": 0})
        cell["registered"] += 1
        if initiative.status == InitiativeStatus.ACCEPTED:
            cell["recognised"] += 1
            cell["running"] += initiative.lifecycle == Lifecycle.ACTIVE
    if not added:
        return
    years, fields = {year for year, _field in added}, {field for _year, field in added}
    with transaction.atomic():
        InitiativeTally.objects.bulk_create([InitiativeTally(registration_year=year, field_id=field)
                                             for year, field in added], ignore_conflicts=True)
        tallies = {(t.registration_year, t.field_id): t for t in InitiativeTally.objects.select_for_update().filter(
            registration_year__in=years, field_id__in=fields).order_by("registration_year", "field_id")}
        for cell, counts in added.items():
            for name, count in counts.items():
                setattr(tallies[cell], name, getattr(tallies[cell], name) + count)
        InitiativeTally.objects.bulk_update([tallies[cell] for cell in added], TALLIED[:3])


def refresh_tallies(registration_year: int | None = None) -> None:
    """Count every cell again (or those of one registration year): after a bulk load (seed_demo), which writes
    without the services or signals."""
    if registration_year is not None:
        for field_id in ActivityField.objects.values_list("pk", flat=True):
            refresh_tally(registration_year, field_id)
        return
    with transaction.atomic():
        InitiativeTally.objects.all().delete()
        cells = _tally_values(Initiative.unscoped.all())
        InitiativeTally.objects.bulk_create([
            InitiativeTally(registration_year=year, field_id=field_id, **{n: values.get(n, 0) for n in TALLIED})
            for (year, field_id), values in cells.items()], batch_size=1000)


def _initiative_written(sender, instance, **kwargs) -> None:
    refresh_tally_of(instance)


def _yearly_result_written(sender, instance, **kwargs) -> None:
    initiative = Initiative.unscoped.filter(pk=instance.initiative_id).first()
    if initiative is not None:  # not when its initiative is being deleted with it
        refresh_tally_of(initiative)


def connect_signals() -> None:
    """Rows saved or deleted one by one (the services, the admin, imports, tests' factories) keep the tallies in
    step; status and lifecycle changes, conditional UPDATEs without signals, call `refresh_tally_of` in
    services.py; bulk loads call `refresh_tallies`."""
    for signal, name in ((post_save, "saved"), (post_delete, "deleted")):
        signal.connect(_initiative_written, sender=Initiative, dispatch_uid=f"tally-initiative-{name}")
        signal.connect(_yearly_result_written, sender=YearlyResult, dispatch_uid=f"tally-result-{name}")


def headline_figures() -> Figures:
    """Every app's headline figures, in order (the home page and the seeding summary show the same)."""
    return plugins.headline_figures()


def recognised_by_field() -> dict:
    """Accepted models per standard field (sub-themes roll up to theirs), as chart data."""
    rows = InitiativeTally.objects.values("field__parent_id", "field_id").annotate(total=Sum("recognised"))
    totals: dict[int, int] = {}
    for row in rows:
        standard = row["field__parent_id"] or row["field_id"]
        totals[standard] = totals.get(standard, 0) + row["total"]
    fields = ActivityField.objects.filter(parent__isnull=True).order_by("order", "name")
    return {"labels": [f.name for f in fields], "values": [totals.get(f.pk, 0) for f in fields]}


def registrations_by_year() -> dict:
    """Registered (left the draft stage) and accepted models per registration year, as chart data."""
    rows = list(InitiativeTally.objects.values("registration_year")
                .annotate(registered=Sum("registered"), accepted=Sum("recognised"))
                .filter(registered__gt=0).order_by("registration_year"))
    return {
        "labels": [str(r["registration_year"]) for r in rows],
        "registered": [r["registered"] for r in rows],
        "accepted": [r["accepted"] for r in rows],
    }


def first_year_with_data(model, field_name: str) -> int:
    """The earliest year in a column, cached like the public statistics (one MIN, not a DISTINCT per page)."""

    def compute():
        first = model._default_manager.aggregate(first=Min(field_name))["first"]
        return max(first or timezone.localdate().year, MOVEMENT_FIRST_YEAR)

    key = f"first-year:{model._meta.label_lower}:{field_name}"
    return cache.get_or_set(key, compute, settings.DANVAN_STATISTICS_CACHE_SECONDS)
