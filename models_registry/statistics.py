"""Figures the portal publishes, defined once, for the home page, `seed_demo`'s summary and the reports."""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Min, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from . import plugins
from .models import MOVEMENT_FIRST_YEAR, ActivityField, Initiative, InitiativeStatus, Lifecycle, YearlyResult
from .plugins import Figure, Figures, register_figures


@register_figures(order=10)
def registry_figures() -> list[Figure]:
    """Counts over every registration that left the draft stage (no single initiative is shown), and the
    value the recognised models mobilised."""
    counts = Initiative.unscoped.exclude(status=InitiativeStatus.DRAFT).aggregate(
        registered=Count("pk"),
        recognised=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED)),
        running=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED, lifecycle=Lifecycle.ACTIVE)),
    )
    value = YearlyResult.unscoped.filter(initiative__status=InitiativeStatus.ACCEPTED).aggregate(
        total=Coalesce(Sum("value_mobilised"), 0)
    )["total"]
    return [
        Figure("registered", _("models registered"), counts["registered"]),
        Figure("recognised", _("models recognised"), counts["recognised"]),
        Figure("running", _("recognised models still running"), counts["running"]),
        Figure("value_mobilised", _("value mobilised"), value, money=True),
    ]


def headline_figures() -> Figures:
    """Every app's headline figures, in order (the home page and the seeding summary show the same)."""
    return plugins.headline_figures()


def recognised_by_field() -> dict:
    """Accepted models per standard field (sub-themes roll up to theirs), as chart data."""
    rows = (
        Initiative.objects.public()
        .values("field__parent_id", "field_id")
        .annotate(total=Count("pk"))
    )
    totals: dict[int, int] = {}
    for row in rows:
        standard = row["field__parent_id"] or row["field_id"]
        totals[standard] = totals.get(standard, 0) + row["total"]
    fields = ActivityField.objects.filter(parent__isnull=True).order_by("order", "name")
    return {"labels": [f.name for f in fields], "values": [totals.get(f.pk, 0) for f in fields]}


def registrations_by_year() -> dict:
    """Registered (left the draft stage) and accepted models per registration year, as chart data."""
    rows = (
        Initiative.unscoped.exclude(status=InitiativeStatus.DRAFT)
        .values("registration_year")
        .annotate(registered=Count("pk"), accepted=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED)))
        .order_by("registration_year")
    )
    rows = list(rows)
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
