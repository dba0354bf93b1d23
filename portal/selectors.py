"""Reads for the public site and the staff area. Scope comes only from `visible_to` and `public()`."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from awards import selectors as awards
from evaluations import ratings
from models_registry.models import (
    AdministrativeUnit,
    Initiative,
    InitiativeStatus,
    InitiativeTransition,
    Lifecycle,
    Organization,
    UnitLevel,
)
from models_registry.public_cache import public_cache_key
from models_registry.scope import UserScope
from models_registry.statistics import headline_figures, recognised_by_field, registrations_by_year

# What a list row shows: one query for the whole page, whatever its size.
LIST_RELATED = ("organization", "unit", "unit__parent", "field", "field__parent")


def public_provinces():
    """The provinces of today's map, in Vietnamese alphabetical order."""
    return AdministrativeUnit.objects.current().filter(level=UnitLevel.PROVINCE).select_related("edition") \
        .alphabetical()


def province_communes(province_id) -> list[AdministrativeUnit] | None:
    """The units of today's map inside a province of today's map, in Vietnamese alphabetical order (pk and
    name only); None when the id is not such a province. Unit names are public."""
    province = public_provinces().filter(pk=province_id).first() if str(province_id).isdigit() else None
    if province is None:
        return None
    return list(
        AdministrativeUnit.objects.current().filter(path__startswith=province.path).exclude(pk=province.pk)
        .alphabetical().only("pk", "name")
    )


def public_initiatives():
    """Accepted models with what a card shows, their latest rating included, in one query per page."""
    return ratings.with_latest_rating(Initiative.objects.public().select_related(*LIST_RELATED))


# What names a model in a link to it: its code, title, organisation and place up to the province.
REFERENCE_RELATED = ("organization", "unit", "unit__parent", "unit__parent__parent")


def rating_choices() -> list[tuple[int, str]]:
    """The rating scale, best first, as the catalogue's filter offers it: read once per public catalogue
    version (or DANVAN_STATISTICS_CACHE_SECONDS) rather than on every page, like the list's count."""
    return cache.get_or_set(public_cache_key("rating-scale"),
                            lambda: list(ratings.rating_scale().values_list("pk", "name")),
                            settings.DANVAN_STATISTICS_CACHE_SECONDS)


def public_initiative_detail(code: str) -> Initiative | None:
    """The model with what its page shows beside it. Its replication source, which most models do not have,
    is read apart (public_replication_source): joined here, its five tables made PostgreSQL spend longer
    planning the query than running it."""
    return (
        awards.with_commendation_flag(Initiative.objects.public())
        .select_related(*LIST_RELATED, ratings.LATEST_RATING_RELATED)
        .filter(code=code)
        .first()
    )


def public_replications(initiative: Initiative):
    """The accepted models that replicate this one."""
    return initiative.replications.public().select_related(*REFERENCE_RELATED).order_by("registration_year", "id")


def public_replication_source(initiative: Initiative) -> Initiative | None:
    """The model this one replicates, if the public may see it."""
    if initiative.replicated_from_id is None:
        return None
    return Initiative.objects.public().select_related(*REFERENCE_RELATED).filter(
        pk=initiative.replicated_from_id).first()


def home_statistics() -> dict:
    """The home page's figures and chart data: aggregates over every registration in the country, so they
    are computed at most once per DANVAN_STATISTICS_CACHE_SECONDS rather than on every visit, and again as
    soon as something public changes (models_registry.public_cache)."""

    def compute():
        return {
            "figures": headline_figures(),
            "by_field": recognised_by_field(),
            "by_year": registrations_by_year(),
        }

    return cache.get_or_set(public_cache_key("home-statistics"), compute, settings.DANVAN_STATISTICS_CACHE_SECONDS)


def recently_recognised(limit: int = 6):
    return public_initiatives().order_by("-decided_at", "-id")[:limit]


def outstanding_models(limit: int = 6) -> list[Initiative]:
    """The home page's "outstanding models": highly effective ones, most recently rated first. They change
    only when a conference closes or reopens (or a model leaves the catalogue), each of which renews the
    public catalogue's version, so they are cached like the figures."""
    return cache.get_or_set(public_cache_key("outstanding-models", limit),
                            lambda: ratings.outstanding_models(public_initiatives(), limit),
                            settings.DANVAN_STATISTICS_CACHE_SECONDS)


def ratings_by_year(initiative: Initiative):
    """The results of the closed conferences that rated the initiative (the caller checked who may see it)."""
    return ratings.ratings_by_year(initiative)


def commendations_of(initiative: Initiative):
    """The approved commendations linked to the initiative (the caller checked who may see it)."""
    return awards.initiative_commendations(initiative)


def printable_decisions(user, commendations) -> set[int]:
    """The decisions among these commendations whose list of recipients the user may print."""
    return awards.printable_decision_ids(user, {commendation.decision_id for commendation in commendations})


# --- Staff area -----------------------------------------------------------------------------------------


def own_organization(user) -> Organization | None:
    """The organisation the user works for (from the scope, which has already read the profile)."""
    own = UserScope.of(user).own_organization_id
    return Organization.unscoped.filter(pk=own).first() if own else None


def organization_initiatives(user, organization_id: int):
    """The organisation's initiatives the user may see, with the latest decision reason in the same query."""
    latest_decision = InitiativeTransition.unscoped.filter(
        initiative=OuterRef("pk"),
        to_status__in=(InitiativeStatus.RETURNED, InitiativeStatus.REJECTED),
    ).order_by("-created_at", "-id")
    return (
        Initiative.objects.visible_to(user)
        .filter(organization_id=organization_id)
        .select_related("field", "field__parent", ratings.LATEST_RATING_RELATED)
        .annotate(decision_reason=Subquery(latest_decision.values("reason")[:1]))
        .order_by("-updated_at", "-id")
    )


@dataclass(frozen=True)
class YearFigures:
    year: int
    registered: int
    accepted: int
    running: int


def organization_figures(user, organization_id: int) -> YearFigures:
    year = timezone.localdate().year
    counts = Initiative.objects.visible_to(user).filter(organization_id=organization_id).aggregate(
        registered=Count("pk", filter=Q(registration_year=year) & ~Q(status=InitiativeStatus.DRAFT)),
        accepted=Count("pk", filter=Q(registration_year=year, status=InitiativeStatus.ACCEPTED)),
        running=Count("pk", filter=Q(status=InitiativeStatus.ACCEPTED, lifecycle=Lifecycle.ACTIVE)),
    )
    return YearFigures(year=year, **counts)
